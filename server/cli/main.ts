/** The bouncewatch executable: dispatches to one subcommand per file in ./commands. */

import { CliError, UsageError } from './args.js';
import type { CliIo, Command } from './command.js';
import { classifyCommand } from './commands/classify.js';
import { explainCommand } from './commands/explain.js';
import { followCommand } from './commands/follow.js';
import { ingestCommand } from './commands/ingest.js';
import { parseCommand } from './commands/parse.js';
import { reportCommand } from './commands/report.js';
import { traceCommand } from './commands/trace.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { checkConfigCommand } from './commands/check-config.js';
import { checkDbCommand } from './commands/check-db.js';
import { showControls } from '../visible-text.js';
import { failureHint } from './failure-hint.js';

export const commands: readonly Command[] = [
  runCommand,
  ingestCommand,
  followCommand,
  serveCommand,
  reportCommand,
  traceCommand,
  parseCommand,
  classifyCommand,
  explainCommand,
  checkConfigCommand,
  checkDbCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: bouncewatch COMMAND [options]',
    '',
    'Mail-log analyzer and bounce statistics for Postfix and Exim.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'bouncewatch COMMAND --help' for a command's options.",
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`bouncewatch ${process.env['npm_package_version'] ?? '0.1.0'}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`bouncewatch: unknown command '${name}' (run 'bouncewatch --help' for the list)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`bouncewatch ${name}: ${err.message} (see 'bouncewatch ${name} --help')\n`);
      return 2;
    }
    if (err instanceof CliError) {
      io.stderr.write(`bouncewatch ${name}: ${showControls(err.message)}\n`);
      return 1;
    }
    if (err instanceof Error && err.name === 'ConfigError') {
      const lines = err.message.split('\n').map((l) => `  ${showControls(l)}`);
      io.stderr.write(`bouncewatch ${name}: invalid configuration:\n${lines.join('\n')}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`bouncewatch ${name}: failed: ${showControls(message)}${failureHint(err)}\n`);
    return 1;
  }
}
