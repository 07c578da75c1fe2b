/**
 * Builds the indexes an interrupted bulk import set aside, on a thread of its own: on a large database that takes
 * minutes, and the process that does it may be serving the dashboard meanwhile.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../open.js';
import { backgroundWorker } from '../thread-priority.js';
import { createIndexDeferral } from './deferred-indexes.js';

/** The compiled worker beside this module (absent when the sources run untranspiled, as under vitest). */
const WORKER_SCRIPT = fileURLToPath(new URL('./index-worker.js', import.meta.url));

/** How many indexes are set aside and not built yet (0 on a healthy database). */
export function missingIndexes(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM ingest_deferred_indexes').get() as { n: number }).n;
}

/**
 * Builds every index set aside and resolves with how many; on a thread when the database is a file and the
 * worker is built, else here. The caller holds the writer lock; `signal` stops the thread.
 */
export async function rebuildIndexes(
  db: Db,
  options: {
    script?: string | undefined;
    signal?: AbortSignal;
    /** The process serves the dashboard meanwhile: the build yields the CPU to it. */
    background?: boolean;
  } = {},
): Promise<number> {
  const script = options.script ?? WORKER_SCRIPT;
  if (missingIndexes(db) === 0) return 0;
  if (db.memory || !existsSync(script)) return createIndexDeferral(db).restore();
  const workerData = { file: db.name };
  const worker = options.background
    ? backgroundWorker(script, { workerData })
    : new Worker(script, { workerData });
  return new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { built: number }) => resolve(m.built));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the index thread stopped (exit ${code})`)));
    // Stopped mid-build, the build's one transaction is rolled back: the next writer builds them again.
    options.signal?.addEventListener('abort', () => void worker.terminate(), { once: true });
  });
}
