/** Following journald: `journalctl -f -o json` for the Postfix and Exim units, resumed by cursor. */

import { spawn } from 'node:child_process';
import type { CheckpointReader } from '../../db/store/writer.js';
import type { Logger } from '../log.js';
import type { Follower } from './follow.js';
import { createLineSplitter } from './lines.js';
import type { Pipeline } from './pipeline.js';

const JOURNAL_UNITS = ['postfix*', 'exim*'] as const;
/** The sources row of the journal: its path and fingerprint are this key; the cursor is the position. */
const JOURNAL_KEY = `journal:${JOURNAL_UNITS.join(',')}`;

const CURSOR = /"__CURSOR"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const FLUSH_MS = 200;

export interface JournalOptions {
  fromEnd?: boolean;
  signal?: AbortSignal;
  /** The journalctl executable (default: found on PATH). */
  command?: string;
}

function journalArgs(cursor: string | null, fromEnd: boolean): string[] {
  const args = ['-f', '-o', 'json', '--no-pager'];
  for (const u of JOURNAL_UNITS) args.push('-u', u);
  if (cursor) args.push(`--after-cursor=${cursor}`);
  else if (fromEnd) args.push('-n', '0');
  else args.push('--no-tail');
  return args;
}

export function followJournal(
  deps: { pipeline: Pipeline; store: CheckpointReader; log: Logger; now: () => number },
  options: JournalOptions,
): Follower {
  const { pipeline, store, log, now } = deps;
  let stopping = false;
  let kill = (): void => undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const run = async (): Promise<void> => {
    const saved = await store.latestForPath(JOURNAL_KEY);
    if (stopping) return;
    let cursor = saved?.cursor ?? null;
    let lines = saved?.lines ?? 0;
    let savedCursor = cursor;
    const args = journalArgs(cursor, options.fromEnd ?? false);
    log.info({ args }, 'following journald');
    const child = spawn(options.command ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    kill = () => child.kill('SIGTERM');
    const splitter = createLineSplitter(0);

    const onLine = (line: string) => {
      const m = CURSOR.exec(line);
      if (m) cursor = m[1]!.replace(/\\(.)/g, '$1');
      lines++;
      pipeline.line(line);
    };
    const flush = async () => {
      if (pipeline.pending() === 0 && cursor === savedCursor) return;
      const at = cursor;
      await pipeline.flush({
        path: JOURNAL_KEY,
        inode: null,
        fingerprint: JOURNAL_KEY,
        offset: 0,
        size: null,
        lines,
        complete: false,
        cursor: at,
      });
      savedCursor = at;
    };
    const flushOrLog = () =>
      flush().catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'journal batch failed');
      });

    child.stdout.on('data', (chunk: Buffer) => {
      pipeline.setContext({ referenceMs: now() });
      splitter.push(chunk, onLine);
      if (pipeline.pending() >= 8192) void flushOrLog();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      log.warn({ stderr: chunk.toString('utf8').trim().slice(0, 500) }, 'journalctl');
    });
    const timer = setInterval(() => void flushOrLog(), FLUSH_MS);
    child.once('spawn', () => markReady());

    await new Promise<void>((resolve, reject) => {
      child.once('error', (err) => {
        clearInterval(timer);
        reject(new Error(`cannot run journalctl: ${err.message}`));
      });
      child.once('close', (code) => {
        clearInterval(timer);
        if (!stopping && code !== 0) log.warn({ code }, 'journalctl exited');
        // Only complete lines carry a cursor we can resume after; a partial last record is read again.
        void flushOrLog().then(resolve);
      });
    });
  };

  const done = run().finally(() => markReady());
  const stop = async () => {
    stopping = true;
    kill();
    await done.catch(() => undefined);
  };
  if (options.signal) {
    if (options.signal.aborted) void stop();
    else options.signal.addEventListener('abort', () => void stop(), { once: true });
  }
  return { ready, done, stop };
}
