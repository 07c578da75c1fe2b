/** What a person can do about failures that SQLite words for programmers. */

/** A hint to add to the failure's message, or '' when there is none to give. */
export function failureHint(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_READONLY' || /readonly database/i.test(message)) {
    return ' (the database cannot be written by this user: SQLite writes the file and, beside it, FILE-wal and FILE-shm, so the user needs write permission on all three and on their folder; run as the owner, fix the permissions, or point --db at a copy)';
  }
  if (code === 'SQLITE_FULL' || /database or disk is full/i.test(message)) {
    return ' (the disk holding the database is full: free space there; nothing read so far is lost)';
  }
  return '';
}
