/**
 * One ingest writer per store: `ingest`, `follow` and `run` hold the store's writer lock for their whole life,
 * so two of them never store the same lines twice. SQLite holds it as an exclusive lock on a file beside the
 * database (db/sqlite/writer-lock.ts); a PostgreSQL store holds an advisory lock for the same contract. Either
 * way the operating system or the server frees it when the holder dies, however it dies.
 */

/** Who holds the lock: enough for a person to find and stop that process. */
export interface WriterHolder {
  pid: number;
  /** What it runs, e.g. `bouncewatch follow`. */
  command: string;
  hostname: string;
  /** When it took the lock (unix ms). */
  since: number;
}

export interface WriterLock {
  /** Frees the lock (idempotent). */
  release(): void;
}

/** Another process holds the writer lock; `holder` is null when it could not be read. */
export class WriterLockedError extends Error {
  override readonly name = 'WriterLockedError';
  constructor(
    readonly store: string,
    readonly holder: WriterHolder | null,
  ) {
    super(
      `${store} is being written by ${
        holder
          ? `${holder.command} (pid ${holder.pid} on ${holder.hostname}, since ${new Date(holder.since).toISOString()})`
          : 'another process'
      }`,
    );
  }
}

/** Takes the store's writer lock at once, or rejects with WriterLockedError. */
export type AcquireWriterLock = (me: Omit<WriterHolder, 'since'>) => Promise<WriterLock>;
