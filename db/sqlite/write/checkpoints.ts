/** Reads of the `sources` table: where ingest stands in each log file (written with each batch, batch-writer.ts). */

import type { SourceRow } from '../../store/checkpoints.js';
import type { Db } from '../open.js';

/** The `sources` rows, read on this thread (sqlite-writer.ts answers the store's CheckpointReader with them). */
interface CheckpointStore {
  byFingerprint(fingerprint: string): SourceRow | undefined;
  /** Rows whose fingerprint covers fewer than `fullLength` bytes (files that were short when read). */
  shortFingerprints(fullLength: number): SourceRow[];
  /** The most recently updated row for a path (the journal uses its own path key). */
  latestForPath(path: string): SourceRow | undefined;
}

/** A `sources` row as SQLite returns it: the stored checkpoint, with its flag as 0/1 and its time in snake_case. */
interface RawSource extends Omit<SourceRow, 'complete' | 'updatedAt'> {
  complete: number;
  updated_at: number;
}

const toRow = (r: RawSource): SourceRow => ({
  id: r.id,
  path: r.path,
  inode: r.inode,
  fingerprint: r.fingerprint,
  offset: r.offset,
  size: r.size,
  lines: r.lines,
  complete: r.complete !== 0,
  updatedAt: r.updated_at,
  cursor: r.cursor,
});

export function createCheckpointStore(db: Db): CheckpointStore {
  const byFp = db.prepare<[string], RawSource>('SELECT * FROM sources WHERE fingerprint = ?');
  const short = db.prepare<[number], RawSource>(
    `SELECT * FROM sources WHERE CAST(substr(fingerprint, 1, instr(fingerprint, ':') - 1) AS INTEGER) < ?`,
  );
  const latest = db.prepare<[string], RawSource>(
    'SELECT * FROM sources WHERE path = ? ORDER BY updated_at DESC, id DESC LIMIT 1',
  );
  return {
    byFingerprint(fingerprint) {
      const r = byFp.get(fingerprint);
      return r ? toRow(r) : undefined;
    },
    shortFingerprints: (fullLength) => short.all(fullLength).map(toRow),
    latestForPath(path) {
      const r = latest.get(path);
      return r ? toRow(r) : undefined;
    },
  };
}
