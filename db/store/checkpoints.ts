/** Checkpoints: where ingest stands in each source it reads, saved with the rows those lines produced. */

/** The position in one log file (or the journal) after its last complete line that was stored. */
interface Checkpoint {
  path: string;
  inode: number | null;
  fingerprint: string;
  offset: number;
  size: number | null;
  lines: number;
  complete: boolean;
}

/** A checkpoint as ingest writes it: the file's position plus what journald and fingerprint upgrades need. */
export interface SourceCheckpoint extends Checkpoint {
  /** journald cursor of the last stored entry. */
  cursor?: string | null;
  /** Set when the fingerprint grew (file was shorter than the fingerprint length when first read). */
  previousFingerprint?: string | null;
}

/** A stored checkpoint. */
export interface SourceRow extends Checkpoint {
  id: number;
  cursor: string | null;
  updatedAt: number;
}
