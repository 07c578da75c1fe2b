/**
 * The SQLite store's writer (db/store/writer.ts): ingest's batches go into the database on this thread, or, in
 * a bulk import, on a writer thread with the secondary indexes set aside. Every answer is ready at once; the
 * promises are the interface's, for stores that answer later.
 */

import { invalidateRollupCache } from '../read/rollup-cache.js';
import type { Batch } from '../../store/batch.js';
import type { BatchLimits, StoreWriter } from '../../store/writer.js';
import { migrate } from '../migrate.js';
import type { Db } from '../open.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../rollup-horizon.js';
import { createBatchWriter } from './batch-writer.js';
import { createCheckpointStore } from './checkpoints.js';
import { createIndexDeferral } from './deferred-indexes.js';
import { rebuildIndexes } from './index-thread.js';
import { createMessageStore } from './open-lives.js';
import { createPlaceholders, packBatch, settleLives } from './pack-batch.js';
import { createRetention, type Retention } from './retention.js';
import { startWriterThread, type WriterThread } from './writer-thread.js';

/** One transaction per batch on this thread: large batches, few commits. */
export const BATCH_LIMITS: BatchLimits = { lines: 16_384, chars: 4 * 1024 * 1024 };
/**
 * Through the writer thread: about one read chunk (256 KiB, 1,600 to 2,000 lines) per batch. A batch's rows live
 * until it is handed over, and those of a large batch outlive young-generation collections and cost copying to
 * the old generation, more than the writer thread loses on smaller transactions (it groups them anyway).
 */
export const THREAD_BATCH_LIMITS: BatchLimits = { lines: 1024, chars: 256 * 1024 };
/**
 * Beside a dashboard that serves the same file (`run`): a batch is one transaction, and the dashboard's own small
 * writes (alert state, the health probe) wait for the one under way, so it is kept short.
 */
const SERVING_BATCH_LIMITS: BatchLimits = { lines: 512, chars: 64 * 1024 };
/**
 * Batches left queued for the writer thread before the reading side waits. A group's commit (its rollup rows
 * and the WAL) makes the writer's pace uneven, and a deeper queue lets the reading side read on through it,
 * for a few MiB more memory.
 */
const THREAD_QUEUE_BATCHES = 3;

/** Imports of at least this much text (and more than the rows already stored) are bulk imports. */
const BULK_MIN_BYTES = 4 * 1024 * 1024;
const BYTES_PER_LINE = 130;
/** Attempts per line in a typical log, to compare an import with the rows already stored. */
const ATTEMPTS_PER_LINE = 0.2;

export interface SqliteWriterOptions {
  /** The clock that places the minute-rollup horizon (MINUTE_ROLLUPS_KEPT_MS before now). */
  now?: () => number;
  /**
   * Starts a bulk import's writer thread on the database file, or returns null to write on this thread.
   * Default: startWriterThread with the compiled worker beside this module; tests start one built from source.
   */
  startThread?: (file: string) => WriterThread | null;
  /** The index thread's worker (default: the compiled one beside this module); tests build one from source. */
  indexScript?: string;
  /**
   * The database is served by a dashboard in this process (`run`): batches of SERVING_BATCH_LIMITS, and indexes
   * an interrupted import set aside are built at a lower priority than serving.
   */
  serving?: boolean;
  /**
   * Told when a committed batch reaches back to `from`: memoised rollup sums from then on are stale. Default:
   * forgets them on this connection; a writer on a thread of its own tells the thread that serves.
   */
  forget?: (from: number) => void;
}

const RESOLVED = Promise.resolve();

/** The promise of an answer computed now: its value, or its exception as a rejection. */
function answer<T>(compute: () => T): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (err) {
    return rejected(err);
  }
}

const rejected = (err: unknown): Promise<never> =>
  Promise.reject(err instanceof Error ? err : new Error(String(err)));

/** The time of the oldest event of a batch (Infinity if none): memoised sums from then on are stale. */
export function oldestEvent(batch: {
  readonly attempts: readonly { ts: number }[];
  readonly rejects: readonly { ts: number }[];
}): number {
  let oldest = Infinity;
  for (const a of batch.attempts) if (a.ts < oldest) oldest = a.ts;
  for (const r of batch.rejects) if (r.ts < oldest) oldest = r.ts;
  return oldest;
}

export function createSqliteWriter(db: Db, options: SqliteWriterOptions = {}): StoreWriter {
  const now = options.now ?? Date.now;
  const startThread = options.startThread ?? ((file: string) => startWriterThread(file));
  const writer = createBatchWriter(db);
  const checkpoints = createCheckpointStore(db);
  const messages = createMessageStore(db);
  const indexes = createIndexDeferral(db);
  let retention: Retention | null = null;
  /** Placeholder ids of the lives new in batches packed here for the writer thread. */
  const placeholders = createPlaceholders();
  let thread: WriterThread | null = null;
  let bulk: { indexesDeferred: number } | null = null;

  // A stored batch that reaches back in time makes the dashboard's memoised rollup sums of that time stale.
  const forget = options.forget ?? ((from: number) => invalidateRollupCache(db, from));
  const committed = (oldest: number, then: (() => void) | undefined) => {
    if (oldest !== Infinity) forget(oldest);
    then?.();
  };

  const write = (batch: Batch, onCommitted?: () => void): Promise<void> => {
    batch.minuteFrom ??= now() - MINUTE_ROLLUPS_KEPT_MS;
    const oldest = oldestEvent(batch);
    try {
      if (thread) {
        // Packed here, written there: this thread goes on parsing while the batch is written; the rollup cells
        // are left to the writer thread, which sums them over the batches of one transaction.
        const { packed, newLives } = packBatch(batch, placeholders, { countRollups: false });
        thread.submit(
          packed,
          (firstId) => settleLives(newLives, firstId),
          () => committed(oldest, onCommitted),
        );
      } else {
        writer.write(batch);
        committed(oldest, onCommitted);
      }
    } catch (err) {
      return rejected(err);
    }
    return RESOLVED;
  };

  return {
    async prepare() {
      const migrated = migrate(db);
      // On a thread: `run` serves the dashboard while a large database's indexes are built.
      const indexesRebuilt = await rebuildIndexes(db, {
        script: options.indexScript,
        background: options.serving ?? false,
      });
      return { migrated, indexesRebuilt };
    },
    checkpoints: {
      byFingerprint: (fingerprint) => answer(() => checkpoints.byFingerprint(fingerprint)),
      shortFingerprints: (fullLength) => answer(() => checkpoints.shortFingerprints(fullLength)),
      latestForPath: (path) => answer(() => checkpoints.latestForPath(path)),
    },
    openLives: (limit) => answer(() => messages.openLives(limit)),
    get batchLimits() {
      return thread ? THREAD_BATCH_LIMITS : options.serving ? SERVING_BATCH_LIMITS : BATCH_LIMITS;
    },
    write,
    ready: () => (thread ? thread.waitUntil(THREAD_QUEUE_BATCHES) : RESOLVED),
    beginBulk: (bytes) =>
      answer(() => {
        const newAttempts = (bytes / BYTES_PER_LINE) * ATTEMPTS_PER_LINE;
        if (bulk || bytes < BULK_MIN_BYTES || newAttempts < indexes.attemptRows()) return null;
        bulk = { indexesDeferred: indexes.defer() };
        // One connection each: this thread parses while the writer thread writes.
        thread = startThread(db.name);
        return { ...bulk };
      }),
    async endBulk(onPhase) {
      if (!bulk) return null;
      const { indexesDeferred } = bulk;
      try {
        if (thread) {
          onPhase?.('writing');
          await thread.close();
        }
      } finally {
        thread = null;
        bulk = null;
        if (indexesDeferred > 0) {
          onPhase?.('indexing');
          indexes.restore();
        }
      }
      return { indexesBuilt: indexesDeferred };
    },
    prune: (nowMs, retainDays) =>
      answer(() => {
        retention ??= createRetention(db);
        return retention.prune(nowMs, retainDays);
      }),
  };
}
