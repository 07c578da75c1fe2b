/**
 * The write side of the store, at the level of what ingest asks of it: batches with their checkpoint in one
 * transaction, where each source stands and which message lives are open when it starts, retention, and the
 * schema. Every method may complete later (a server database answers over the network), so each returns a
 * promise; the SQLite store writes on the calling thread or its own writer thread and answers at once.
 */

import type { Batch } from './batch.js';
import type { SourceRow } from './checkpoints.js';
import type { LogLoss } from './fleet.js';
import type { OpenLives } from './open-lives.js';

/** Where ingest stands in each source, as saved with the batches. */
export interface CheckpointReader {
  byFingerprint(fingerprint: string): Promise<SourceRow | undefined>;
  /** Checkpoints whose fingerprint covers fewer than `fullLength` bytes (files that were short when read). */
  shortFingerprints(fullLength: number): Promise<SourceRow[]>;
  /** The most recently saved checkpoint of a path (the journal uses its own path key). */
  latestForPath(path: string): Promise<SourceRow | undefined>;
}

/** How much log text makes one batch: ingest hands a batch over once either is reached. */
export interface BatchLimits {
  lines: number;
  chars: number;
}

/** What a bulk import does after its last line is read: finish writing, then build what was set aside. */
export type BulkPhase = 'writing' | 'indexing';

export interface PruneResult {
  attempts: number;
  rejects: number;
  messages: number;
  minuteRollups: number;
}

export interface StoreWriter {
  /**
   * Makes the store ready for ingest: the schema migrated to the newest this build knows, and what an
   * interrupted bulk import left undone (indexes set aside) rebuilt.
   */
  prepare(): Promise<{ migrated: number[]; indexesRebuilt: number }>;
  readonly checkpoints: CheckpointReader;
  /** Lives not closed yet, newest first, at most `limit`: what correlation resumes with after a restart. */
  openLives(limit: number): Promise<OpenLives>;
  /** The batch size the store takes best now (smaller while a bulk import writes on another thread). */
  readonly batchLimits: BatchLimits;
  /**
   * Hands a batch over. Its rows and its checkpoint are committed in one transaction, maybe together with the
   * batches handed over after it, never after a later checkpoint. Lives new in the batch get their ids once its
   * rows are written; `onCommitted` runs once it is committed. Resolves once the store has taken the batch;
   * rejects when it could not, and then nothing of the batch is stored (it may be handed over again).
   */
  write(batch: Batch, onCommitted?: () => void): Promise<void>;
  /**
   * Resolves once the store can take more batches without holding many in memory; rejects with the first
   * failure of a batch it had taken (then nothing more is stored until the bulk import ends).
   */
  ready(): Promise<void>;
  /**
   * A bulk import of about `bytes` of log text is about to start. When it is large beside what is stored, the
   * store may set indexes aside and write on another thread until `endBulk`; it says what it set aside.
   */
  beginBulk(bytes: number): Promise<{ indexesDeferred: number } | null>;
  /**
   * Ends a bulk import: waits for every batch to be committed, then builds what was set aside. Rejects with a
   * failed write, after building.
   */
  endBulk(onPhase?: (phase: BulkPhase) => void): Promise<{ indexesBuilt: number } | null>;
  /** Deletes raw rows older than `retainDays` before `nowMs`; rollups stay (minute rollups are short-lived). */
  prune(nowMs: number, retainDays: number): Promise<PruneResult>;
  /** Keeps that rotation took log text before it was read, for a fleet's alert engine in another process. */
  recordLoss?(loss: Omit<LogLoss, 'host'>): Promise<void>;
  /** Tells a fleet's dashboards how far behind its logs this agent is (skipped while the store is away). */
  reportStatus?(status: { lagBytes: number; newestLineTs: number | null }): Promise<void>;
  /**
   * Marks this host's deliveries (from `since` on) that handed a message over to another host of the fleet as hops,
   * so that a message relayed across the fleet counts once, at its final outcome; answers how many it marked.
   */
  markHandovers?(since: number): Promise<number>;
}
