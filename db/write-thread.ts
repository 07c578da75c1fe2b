/**
 * The writer on its own thread, for bulk imports: the thread that parses packs batch k+1 while this one
 * writes batch k. The parsing side waits (`waitUntil`) whenever batches pile up, so memory stays bounded
 * whatever the file size.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PackedBatch } from './batch-pack.js';

export type WriterRequest = { type: 'write'; seq: number; batch: PackedBatch } | { type: 'close' };
export type WriterReply =
  { type: 'written'; seq: number; firstId: number } | { type: 'failed'; seq: number; message: string };

export interface WriterThread {
  /** Queues a batch; `onWritten` runs on this thread once it is committed, with its first new message id. */
  submit(batch: PackedBatch, onWritten: (firstId: number) => void): void;
  /** Resolves once at most `n` batches are waiting; rejects with the first write failure. */
  waitUntil(n: number): Promise<void>;
  /** Whether the last `waitUntil` had to wait: the writer is the slower side. */
  behind(): boolean;
  /** Waits for every batch, then stops the thread. Rejects with the first write failure (after stopping). */
  close(): Promise<void>;
}

/**
 * The thread holds a few packed batches of one 256 KiB read each (about 1 MiB packed) and its statements: a
 * small heap is plenty, and without a limit V8 lets garbage pile up to several times that before collecting it
 * (RSS counts every thread's heap). Running out stops the thread with an error, like any failed write.
 */
const RESOURCE_LIMITS = {
  maxOldGenerationSizeMb: 32,
  maxYoungGenerationSizeMb: 8,
};

/** The compiled worker beside this module (absent when the sources run untranspiled, as under vitest). */
export const WORKER_SCRIPT = fileURLToPath(new URL('./write-worker.js', import.meta.url));

/** Starts the writer thread on a database file, or returns null where a thread cannot serve (memory, no build). */
export function startWriterThread(file: string, script = WORKER_SCRIPT): WriterThread | null {
  if (file === '' || file === ':memory:' || !existsSync(script)) return null;
  const worker = new Worker(script, { workerData: { file }, resourceLimits: RESOURCE_LIMITS });
  const pending = new Map<number, (firstId: number) => void>();
  let seq = 0;
  let failure: Error | null = null;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  worker.on('message', (m: WriterReply) => {
    const done = pending.get(m.seq);
    pending.delete(m.seq);
    if (m.type === 'written') done?.(m.firstId);
    else failure ??= new Error(m.message);
    wake();
  });
  worker.on('error', (err) => {
    failure ??= err;
    pending.clear();
    wake();
  });
  worker.on('exit', () => {
    if (pending.size > 0) failure ??= new Error('the writer thread stopped with batches unwritten');
    pending.clear();
    wake();
  });

  let waited = false;
  const waitUntil = async (n: number): Promise<void> => {
    waited = false;
    // Replies that arrived while this thread was busy are taken first (they wait behind the immediate): only
    // a batch still unanswered after that means the writer is behind.
    if (pending.size > n) await new Promise<void>((resolve) => setImmediate(resolve));
    while (failure === null && pending.size > n) {
      waited = true;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    if (failure) throw failure;
  };
  return {
    submit(batch, onWritten) {
      if (failure) throw failure;
      const s = ++seq;
      pending.set(s, onWritten);
      worker.postMessage({ type: 'write', seq: s, batch } satisfies WriterRequest);
    },
    waitUntil,
    behind: () => waited,
    async close() {
      try {
        await waitUntil(0);
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
