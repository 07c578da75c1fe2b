/** Reads of what ingest counted: unparsed samples and line counters (for the ingest command's summary). */

import type { Db } from '../open.js';

interface UnparsedShape {
  program: string;
  reason: string;
  line: string;
  count: number;
}

export interface IngestStats {
  /** The most frequent unparsed shapes, most frequent first. */
  unparsedSamples(limit: number): UnparsedShape[];
  lineStats(): Map<string, number>;
}

export function createIngestStats(db: Db): IngestStats {
  const samples = db.prepare<[number], UnparsedShape>(
    'SELECT program, reason, line, count FROM unparsed_samples ORDER BY count DESC, id LIMIT ?',
  );
  const stats = db.prepare<[], { name: string; count: number }>('SELECT name, count FROM line_stats');
  return {
    unparsedSamples: (limit) => samples.all(limit),
    lineStats: () => new Map(stats.all().map((r) => [r.name, r.count])),
  };
}
