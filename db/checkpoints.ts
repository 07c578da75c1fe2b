/** Reads of the `sources` table: where ingest stands in each log file (written by db/write.ts). */

import type { Db } from './open.js';
import type { Checkpoint } from './rows.js';

/** A checkpoint as ingest writes it: the file's position plus what journald and fingerprint upgrades need. */
export interface SourceCheckpoint extends Checkpoint {
  /** journald cursor of the last stored entry. */
  cursor?: string | null;
  /** Set when the fingerprint grew (file was shorter than the fingerprint length when first read). */
  previousFingerprint?: string | null;
}

export interface SourceRow extends Checkpoint {
  id: number;
  cursor: string | null;
  updatedAt: number;
}

interface RawSource {
  id: number;
  path: string;
  inode: number | null;
  fingerprint: string;
  offset: number;
  size: number | null;
  lines: number;
  complete: number;
  updated_at: number;
  cursor: string | null;
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

export interface CheckpointStore {
  byFingerprint(fingerprint: string): SourceRow | undefined;
  /** Rows whose fingerprint covers fewer than `fullLength` bytes (files that were short when read). */
  shortFingerprints(fullLength: number): SourceRow[];
  /** The most recently updated row for a path (the journal uses its own path key). */
  latestForPath(path: string): SourceRow | undefined;
  all(): SourceRow[];
}

export function createCheckpointStore(db: Db): CheckpointStore {
  const byFp = db.prepare<[string], RawSource>('SELECT * FROM sources WHERE fingerprint = ?');
  const short = db.prepare<[number], RawSource>(
    `SELECT * FROM sources WHERE CAST(substr(fingerprint, 1, instr(fingerprint, ':') - 1) AS INTEGER) < ?`,
  );
  const latest = db.prepare<[string], RawSource>(
    'SELECT * FROM sources WHERE path = ? ORDER BY updated_at DESC, id DESC LIMIT 1',
  );
  const all = db.prepare<[], RawSource>('SELECT * FROM sources ORDER BY id');
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
    all: () => all.all().map(toRow),
  };
}
