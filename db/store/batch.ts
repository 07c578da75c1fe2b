/** A batch as ingest hands it to the store: the rows, counters and checkpoint of consecutive lines. */

import type { SourceCheckpoint } from './checkpoints.js';
import type { AttemptRow, FlowFacts, MessageRow, RejectRow, Tally, UnparsedSample } from './stored-rows.js';
import type { TriageFacts } from './triage.js';

/** An unparsed sample with the number of lines of its shape seen in this batch (default 1). */
export interface CountedSample extends UnparsedSample {
  count?: number;
}

export interface Batch {
  attempts: AttemptRow[];
  rejects: RejectRow[];
  /** Unparsed lines per program (counts) and new samples. */
  unparsedCounts: Map<string, number>;
  unparsedSamples: CountedSample[];
  /** Line counters by name (read, delivery, reject, ignored, warning, fatal, ...). */
  lineStats: Map<string, number>;
  /** Lines counted apart (discards, probes, notes, notifications), for the rollups. */
  tallies?: Tally[];
  /** What the batch's lines say about whose domains they are for (design, Flow). */
  facts?: FlowFacts;
  /** Checkpoint covering every line of this batch, or null (stdin). */
  checkpoint: SourceCheckpoint | null;
  /**
   * Message lives created or changed by this batch: id 0 means new (the database picks the id and it is set on
   * the row); any other id is updated, or inserted with that id. Every new life an attempt of the batch names
   * is among them.
   */
  messages?: MessageRow[];
  /**
   * Minutes before this time get no minute rollup rows (ingest: now less MINUTE_ROLLUPS_KEPT_MS); hour and
   * day rows count every event. Absent: every minute is written.
   */
  minuteFrom?: number;
  /** Warning shapes, session counts and sender figures of these lines, summed per hour. */
  triage?: TriageFacts;
}

export function emptyBatch(): Batch {
  return {
    attempts: [],
    rejects: [],
    unparsedCounts: new Map(),
    unparsedSamples: [],
    lineStats: new Map(),
    checkpoint: null,
    messages: [],
  };
}
