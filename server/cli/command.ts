/** What a subcommand is: its name, one-line summary, help text and entry point. */

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text printed by `bouncewatch NAME --help`. */
  help: string;
  /** Returns the exit status (0 success, 1 failure); throws UsageError for bad usage. */
  run(argv: string[], io: CliIo): Promise<number>;
}
