/** In-process event bus: ingest announces what it stored; live views, alerts and metrics listen. */

import { EventEmitter } from 'node:events';
import type { LogLoss } from '../db/store/fleet.js';
import type { AttemptRow, RejectRow } from '../db/store/stored-rows.js';
import type { TriageFacts } from '../db/store/triage.js';

export interface StoredBatch {
  attempts: readonly AttemptRow[];
  rejects: readonly RejectRow[];
  linesRead: number;
  unparsed: number;
  /** Time of the newest line in the batch (unix ms), for ingest lag. */
  newestTs: number | null;
  /** Warnings, session counts and submitters of the batch, for the triage alerts. */
  triage?: TriageFacts;
}

export interface EventBus {
  /** Called by ingest after a batch is committed. */
  emitBatch(batch: StoredBatch): void;
  /** Returns an unsubscribe function. */
  onBatch(listener: (batch: StoredBatch) => void): () => void;
  /**
   * Whether anyone listens for batches. A bulk import keeps each batch's rows until the writer thread has
   * committed them only to announce them; with no listener it lets them go at once.
   */
  hasBatchListeners(): boolean;
  /** Called by a follower on every poll, also when nothing new came: it is alive. */
  emitHeartbeat(): void;
  onHeartbeat(listener: () => void): () => void;
  /** Called by a follower whose round failed (a full disk, a damaged database): health says so until it recovers. */
  emitIngestFailure(message: string): void;
  onIngestFailure(listener: (message: string) => void): () => void;
  /** Called by a follower that found log text rotated away before it was read. */
  emitLogLoss(loss: LogLoss): void;
  onLogLoss(listener: (loss: LogLoss) => void): () => void;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emitBatch: (batch) => emitter.emit('batch', batch),
    onBatch(listener) {
      emitter.on('batch', listener);
      return () => emitter.off('batch', listener);
    },
    hasBatchListeners: () => emitter.listenerCount('batch') > 0,
    emitHeartbeat: () => emitter.emit('heartbeat'),
    onHeartbeat(listener) {
      emitter.on('heartbeat', listener);
      return () => emitter.off('heartbeat', listener);
    },
    emitIngestFailure: (message) => emitter.emit('ingest-failure', message),
    onIngestFailure(listener) {
      emitter.on('ingest-failure', listener);
      return () => emitter.off('ingest-failure', listener);
    },
    emitLogLoss: (loss) => emitter.emit('log-loss', loss),
    onLogLoss(listener) {
      emitter.on('log-loss', listener);
      return () => emitter.off('log-loss', listener);
    },
  };
}
