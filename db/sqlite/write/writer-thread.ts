/**
 * The writer on its own thread, for bulk imports: the thread that parses packs batch k+1 while this one
 * writes batch k. The parsing side waits (`waitUntil`) whenever batches pile up, so memory stays bounded
 * whatever the file size.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PackedBatch } from './pack-batch.js';

export type WriterRequest = { type: 'write'; seq: number; batch: PackedBatch } | { type: 'close' };
/**
 * `written`: the batch's rows are in the writer's open transaction, its new lives numbered from `firstId`.
 * `committed`: every batch up to `seq` is committed. `failed`: the batch and the rest of its transaction are not.
 */
export type WriterReply =
  | { type: 'written'; seq: number; firstId: number }
  | { type: 'committed'; seq: number }
  | { type: 'failed'; seq: number; message: string };

export interface WriterThread {
  /**
   * Queues a batch. `onWritten` runs on this thread once its rows are written, with its first new message id
   * (the batch may still be rolled back with a failure); `onCommitted` once it is committed.
   */
  submit(batch: PackedBatch, onWritten: (firstId: number) => void, onCommitted?: () => void): void;
  /** Resolves once at most `n` batches are waiting to be written; rejects with the first write failure. */
  waitUntil(n: number): Promise<void>;
  /** Waits until every batch is committed, then stops the thread. Rejects with the first write failure (after stopping). */
  close(): Promise<void>;
}

/**
 * The thread holds a few packed batches of one 256 KiB read each (about 1 MiB packed) and its statements: a
 * small heap is plenty, and without a limit V8 lets garbage pile up to several times that before collecting it
 * (RSS counts every thread's heap). Running out stops the thread with an error, like any failed write. The
 * young generation is larger than the default because it holds the batches being written and the rollup cells
 * counted over a transaction's batches: fewer of them survive into the old generation.
 */
const RESOURCE_LIMITS = {
  maxOldGenerationSizeMb: 32,
  maxYoungGenerationSizeMb: 16,
};

/** The compiled worker beside this module (absent when the sources run untranspiled, as under vitest). */
export const WORKER_SCRIPT = fileURLToPath(new URL('./writer-worker.js', import.meta.url));

/** Starts the writer thread on a database file, or returns null where a thread cannot serve (memory, no build). */
export function startWriterThread(file: string, script = WORKER_SCRIPT): WriterThread | null {
  if (file === '' || file === ':memory:' || !existsSync(script)) return null;
  const worker = new Worker(script, { workerData: { file }, resourceLimits: RESOURCE_LIMITS });
  const pending = new Map<number, (firstId: number) => void>();
  /** Batches not yet committed, in order, with what to run once they are. */
  const uncommitted = new Map<number, (() => void) | undefined>();
  let seq = 0;
  let failure: Error | null = null;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  worker.on('message', (m: WriterReply) => {
    if (m.type === 'committed') {
      for (const [s, done] of uncommitted) {
        if (s > m.seq) break;
        uncommitted.delete(s);
        done?.();
      }
    } else {
      const done = pending.get(m.seq);
      pending.delete(m.seq);
      if (m.type === 'written') done?.(m.firstId);
      else failure ??= new Error(m.message);
    }
    wake();
  });
  const lost = (err: Error) => {
    failure ??= err;
    pending.clear();
    uncommitted.clear();
    wake();
  };
  worker.on('error', lost);
  worker.on('exit', () => {
    if (pending.size > 0 || uncommitted.size > 0) {
      lost(new Error('the writer thread stopped with batches uncommitted'));
    }
    wake();
  });

  /** Waits for replies until `done` holds; rejects with the first write failure. */
  const waitFor = async (done: () => boolean): Promise<void> => {
    while (failure === null && !done()) await new Promise<void>((resolve) => waiters.push(resolve));
    if (failure) throw failure;
  };
  const waitUntil = (n: number) => waitFor(() => pending.size <= n);
  return {
    submit(batch, onWritten, onCommitted) {
      if (failure) throw failure;
      const s = ++seq;
      pending.set(s, onWritten);
      uncommitted.set(s, onCommitted);
      worker.postMessage({ type: 'write', seq: s, batch } satisfies WriterRequest);
    },
    waitUntil,
    async close() {
      try {
        await waitFor(() => pending.size === 0 && uncommitted.size === 0);
      } finally {
        worker.postMessage({ type: 'close' } satisfies WriterRequest);
        await new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          // A thread that does not stop by itself within a second is stopped.
          setTimeout(() => void worker.terminate().then(() => resolve()), 1000).unref();
        });
      }
    },
  };
}
