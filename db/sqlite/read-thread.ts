/**
 * The store's reads of raw rows on their own thread, each within a time budget: a report over a week of replies
 * or a trace search may take seconds, and on the main thread they would stop the dashboard and `/healthz` from
 * answering. A call past its budget stops the thread (a new one starts for the next call) and is refused with
 * StoreTimeoutError. Rollup counts, alerts and health stay on the main thread: they are quick, and their memo
 * is forgotten there when the writer commits.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { StoreDamagedError } from '../store/damage.js';
import { StoreTimeoutError } from '../store/errors.js';
import { isDamage } from './integrity.js';
import { backgroundWorker } from './thread-priority.js';
import type { StoreReader } from '../store/reader.js';

/** The reads that scan raw rows, and so run on the thread. */
const THREADED_READS = [
  'recentFailures',
  'replyGroups',
  'hardBouncedAddresses',
  'expiredRecipients',
  'firstRawTs',
  'findTraceKeys',
  'loadQueueHistory',
  'hopChildren',
  'findLooseRejects',
  'unparsedSamples',
  'unparsedShapes',
  'integrityProblems',
] as const satisfies readonly (keyof StoreReader)[];
type ThreadedRead = (typeof THREADED_READS)[number];

export interface ReadRequest {
  id: number;
  method: ThreadedRead;
  args: unknown[];
}
export type ReadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; code: string | undefined };

/** The compiled worker beside this module (absent when the sources run untranspiled, as under vitest). */
const WORKER_SCRIPT = fileURLToPath(new URL('./read-worker.js', import.meta.url));

export interface ReadThreadOptions {
  /** The database file the thread opens read-only. */
  file: string;
  /** How long one call may take before the thread is stopped (default 60 s). */
  budgetMs?: number;
  script?: string;
}

export interface ThreadedReader {
  reader: StoreReader;
  /** Stops the thread; later threaded calls start it again. */
  close(): Promise<void>;
}

interface Pending {
  method: ThreadedRead;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Wraps `base`: the threaded reads go to the thread, the rest to `base`. Returns null where a thread cannot
 * serve (a database in memory, no compiled worker), and the caller keeps `base`.
 */
export function createThreadedReader(base: StoreReader, options: ReadThreadOptions): ThreadedReader | null {
  const script = options.script ?? WORKER_SCRIPT;
  if (options.file === '' || options.file === ':memory:' || !existsSync(script)) return null;
  const budgetMs = options.budgetMs ?? 60_000;
  let thread: Thread | null = null;
  let seq = 0;

  /** A thread and the calls it has not answered; a thread that is stopped fails its own calls only. */
  interface Thread {
    worker: Worker;
    pending: Map<number, Pending>;
  }
  const failAll = (t: Thread, make: (p: Pending) => Error) => {
    for (const [id, p] of t.pending) {
      clearTimeout(p.timer);
      t.pending.delete(id);
      p.reject(make(p));
    }
  };
  const stop = (t: Thread, make: (p: Pending) => Error) => {
    if (thread === t) thread = null;
    failAll(t, make);
    void t.worker.terminate();
  };
  const start = (): Thread => {
    const t: Thread = {
      // Reads for reports and drill-downs run beside the thread that serves: it goes first.
      worker: backgroundWorker(script, { workerData: { file: options.file } }),
      pending: new Map(),
    };
    t.worker.on('message', (m: ReadReply) => {
      const p = t.pending.get(m.id);
      if (!p) return;
      t.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.value);
      else {
        const err = Object.assign(new Error(m.message), { code: m.code });
        p.reject(isDamage(err) ? new StoreDamagedError(m.message) : err);
      }
      if (t.pending.size === 0) t.worker.unref();
    });
    t.worker.on('error', (err) => stop(t, () => err));
    t.worker.on('exit', () => stop(t, (p) => new Error(`the read thread stopped during ${p.method}`)));
    return t;
  };

  const call = (method: ThreadedRead, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      thread ??= start();
      const t = thread;
      t.worker.ref();
      const id = ++seq;
      // The thread cannot be interrupted otherwise: every call waiting on it goes with it.
      const timer = setTimeout(() => stop(t, () => new StoreTimeoutError(method, budgetMs)), budgetMs);
      t.pending.set(id, { method, resolve, reject, timer });
      t.worker.postMessage({ id, method, args } satisfies ReadRequest);
    });

  const reader: StoreReader = { ...base };
  for (const method of THREADED_READS) {
    (reader as unknown as Record<ThreadedRead, (...args: unknown[]) => Promise<unknown>>)[method] = (
      ...args
    ) => call(method, args);
  }
  return {
    reader,
    async close() {
      const t = thread;
      if (!t) return;
      stop(t, (p) => new Error(`the store closed during ${p.method}`));
      await t.worker.terminate();
    },
  };
}
