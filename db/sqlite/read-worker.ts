/**
 * Entry of the read thread (read-thread.ts): its own read-only connection, answering one call at a time, started
 * in the background (backgroundWorker).
 */

import { parentPort, workerData } from 'node:worker_threads';
import { StoreDamagedError } from '../store/damage.js';
import { openDatabase } from './open.js';
import { createSqliteReader } from './reader.js';
import type { ReadReply, ReadRequest } from './read-thread.js';

const port = parentPort;
if (!port) throw new Error('read-worker runs as a worker thread');
const { file } = workerData as { file: string };

const db = openDatabase({ file, readonly: true });
const reader = createSqliteReader(db, { now: Date.now });

port.on('message', (m: ReadRequest) => {
  const methods = reader as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const run = (...args: unknown[]) =>
    (methods[m.method] ?? (() => Promise.reject(new Error(`no such read: ${m.method}`))))(...args);
  run(...m.args).then(
    (value) => port.postMessage({ id: m.id, ok: true, value } satisfies ReadReply),
    (err: unknown) => {
      // The SQLite error code (SQLITE_CORRUPT, SQLITE_BUSY) crosses with the message: callers act on it.
      // The store's damage error crosses as the code it came from, and becomes one again on the other side.
      const damaged = err instanceof StoreDamagedError;
      const code = damaged ? 'SQLITE_CORRUPT' : (err as { code?: unknown }).code;
      port.postMessage({
        id: m.id,
        ok: false,
        message: damaged ? err.detail : err instanceof Error ? err.message : String(err),
        code: typeof code === 'string' ? code : undefined,
      } satisfies ReadReply);
    },
  );
});
