/** Runs the MTA's queue listing command and reads its output into a snapshot; a refusal is an answer, not a crash. */

import { execFile } from 'node:child_process';
import { readEximQueueCount, readEximQueueList } from './exim-queue.js';
import { readPostqueueJson } from './postqueue-json.js';
import type { QueueSnapshot } from './queue-snapshot.js';

/** Runs a command and gives its stdout; rejects with the error (its `code` is `EACCES`, `ENOENT` or the exit status). */
export type RunCommand = (file: string, args: readonly string[]) => Promise<string>;

export type QueueReadResult =
  | { ok: true; snapshot: QueueSnapshot }
  | { ok: false; readAt: number; reason: 'not-permitted' | 'not-installed' | 'failed'; message: string };

export interface QueueReaderOptions {
  mta: 'postfix' | 'exim';
  /** The listing command; defaults to `postqueue -j` or `exim -bp` (exim -bpc first). */
  command?: readonly string[] | undefined;
  /** A queue longer than this is counted (`exim -bpc`) but not listed: listing it would cost more than it tells. */
  listLimit: number;
  run?: RunCommand;
  now: () => number;
}

export interface QueueReader {
  read(): Promise<QueueReadResult>;
}

const OUTPUT_LIMIT = 256 * 1024 * 1024;

/** Runs a command with a time limit and an output cap, as the daemon does. */
const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: 30_000, maxBuffer: OUTPUT_LIMIT, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const message = stderr.trim().split('\n')[0] ?? '';
          const failed = new Error(err.message, { cause: err });
          reject(Object.assign(failed, { code: err.code, stderrLine: message }));
        } else resolve(stdout);
      },
    );
  });

/** What went wrong, in the words an operator needs: not permitted and not installed are told apart. */
function failure(err: unknown, file: string, readAt: number): QueueReadResult {
  const e = err as { code?: unknown; stderrLine?: unknown; message?: unknown };
  const detail =
    typeof e.stderrLine === 'string' && e.stderrLine !== '' ? e.stderrLine : String(e.message ?? err);
  if (e.code === 'ENOENT')
    return { ok: false, readAt, reason: 'not-installed', message: `${file} not found` };
  if (
    e.code === 'EACCES' ||
    /permission denied|not permitted|not authorized|must be an admin/i.test(detail)
  ) {
    return { ok: false, readAt, reason: 'not-permitted', message: `${file}: ${detail}` };
  }
  return { ok: false, readAt, reason: 'failed', message: `${file}: ${detail}` };
}

export function createQueueReader(options: QueueReaderOptions): QueueReader {
  const run = options.run ?? runCommand;
  const { now } = options;
  const [file, ...args] =
    options.command ?? (options.mta === 'postfix' ? ['postqueue', '-j'] : ['exim', '-bp']);
  const program = file ?? 'postqueue';

  async function readExim(readAt: number): Promise<QueueSnapshot> {
    const count = readEximQueueCount(await run(program, ['-bpc']));
    if (count !== null && count > options.listLimit) {
      return {
        mta: 'exim',
        readAt,
        messages: count,
        bytes: null,
        oldestAgeSeconds: null,
        deferred: count,
        held: 0,
        deferredByDomain: [],
        unreadable: 0,
      };
    }
    return readEximQueueList(await run(program, args), readAt);
  }

  return {
    async read() {
      const readAt = now();
      try {
        if (options.mta === 'exim') return { ok: true, snapshot: await readExim(readAt) };
        return { ok: true, snapshot: readPostqueueJson(await run(program, args), readAt) };
      } catch (err) {
        return failure(err, program, readAt);
      }
    },
  };
}
