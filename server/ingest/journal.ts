/** Following journald: `journalctl -f -o json` for the Postfix and Exim units, resumed by cursor. */

import { spawn } from 'node:child_process';
import type { CheckpointStore } from '../../db/store/checkpoints.js';
import type { Logger } from '../log.js';
import type { Follower } from './follow.js';
import { createLineSplitter } from './lines.js';
import type { Pipeline } from './pipeline.js';

export const JOURNAL_UNITS = ['postfix*', 'exim*'] as const;
/** The sources row of the journal: its path and fingerprint are this key; the cursor is the position. */
export const JOURNAL_KEY = `journal:${JOURNAL_UNITS.join(',')}`;

const CURSOR = /"__CURSOR"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const FLUSH_MS = 200;

export interface JournalOptions {
  fromEnd?: boolean;
  signal?: AbortSignal;
  /** The journalctl executable (default: found on PATH). */
  command?: string;
}

export function journalArgs(cursor: string | null, fromEnd: boolean): string[] {
  const args = ['-f', '-o', 'json', '--no-pager'];
  for (const u of JOURNAL_UNITS) args.push('-u', u);
  if (cursor) args.push(`--after-cursor=${cursor}`);
  else if (fromEnd) args.push('-n', '0');
  else args.push('--no-tail');
  return args;
}

export function followJournal(
  deps: { pipeline: Pipeline; store: CheckpointStore; log: Logger; now: () => number },
  options: JournalOptions,
): Follower {
  const { pipeline, store, log, now } = deps;
  const saved = store.latestForPath(JOURNAL_KEY);
  let cursor = saved?.cursor ?? null;
  let lines = saved?.lines ?? 0;
  let savedCursor = cursor;
  const args = journalArgs(cursor, options.fromEnd ?? false);
  log.info({ args }, 'following journald');
  const child = spawn(options.command ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const splitter = createLineSplitter(0);
  let stopping = false;

  const onLine = (line: string) => {
    const m = CURSOR.exec(line);
    if (m) cursor = m[1]!.replace(/\\(.)/g, '$1');
    lines++;
    pipeline.line(line);
  };
  const flush = () => {
    if (pipeline.pending() === 0 && cursor === savedCursor) return;
    pipeline.flush({
      path: JOURNAL_KEY,
      inode: null,
      fingerprint: JOURNAL_KEY,
      offset: 0,
      size: null,
      lines,
      complete: false,
      cursor,
    });
    savedCursor = cursor;
  };

  child.stdout.on('data', (chunk: Buffer) => {
    pipeline.setContext({ referenceMs: now() });
    splitter.push(chunk, onLine);
    if (pipeline.pending() >= 8192) flush();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log.warn({ stderr: chunk.toString('utf8').trim().slice(0, 500) }, 'journalctl');
  });
  const timer = setInterval(() => {
    try {
      flush();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'journal batch failed');
    }
  }, FLUSH_MS);

  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.once('spawn', () => markReady());

  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (err) => {
      clearInterval(timer);
      markReady();
      reject(new Error(`cannot run journalctl: ${err.message}`));
    });
    child.once('close', (code) => {
      clearInterval(timer);
      // Only complete lines carry a cursor we can resume after; a partial last record is read again.
      flush();
      markReady();
      if (!stopping && code !== 0) log.warn({ code }, 'journalctl exited');
      resolve();
    });
  });

  const stop = async () => {
    stopping = true;
    child.kill('SIGTERM');
    await done.catch(() => undefined);
  };
  if (options.signal) {
    if (options.signal.aborted) void stop();
    else options.signal.addEventListener('abort', () => void stop(), { once: true });
  }
  return { ready, done, stop };
}
