/**
 * The SQLite store's writer lock (the contract is in db/store/writer-lock.ts): an exclusive transaction held
 * open on a small SQLite file beside the database, `FILE.writer-lock`. SQLite's file locks are the system's, so
 * the lock goes with its process whatever ends it (kill -9 included). Who holds it is written to
 * `FILE.writer-lock.json` once it is taken, for the refusal's message.
 */

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { WriterLockedError, type AcquireWriterLock, type WriterHolder } from '../store/writer-lock.js';

/** Whom the holder file names, or null when there is none or it cannot be read. */
function readHolder(path: string): WriterHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<keyof WriterHolder, unknown>> | null;
    if (!h || typeof h.pid !== 'number' || typeof h.command !== 'string') return null;
    if (typeof h.hostname !== 'string' || typeof h.since !== 'number') return null;
    return { pid: h.pid, command: h.command, hostname: h.hostname, since: h.since };
  } catch {
    return null;
  }
}

const isBusy = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/** The writer lock of the database at `file`; a database in memory has no other writer and locks nothing. */
export function sqliteWriterLock(file: string): AcquireWriterLock {
  return (me) => {
    if (file === '' || file === ':memory:') return Promise.resolve({ release: () => undefined });
    const lockFile = `${file}.writer-lock`;
    const holderFile = `${lockFile}.json`;
    const lock = new Database(lockFile);
    try {
      lock.pragma('busy_timeout = 0');
      // The rollback journal, not WAL: an exclusive lock then keeps every other connection out.
      lock.pragma('journal_mode = DELETE');
      lock.pragma('locking_mode = EXCLUSIVE');
      lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
      lock.exec('BEGIN EXCLUSIVE');
      lock.exec('DELETE FROM holder');
    } catch (err) {
      lock.close();
      if (isBusy(err)) return Promise.reject(new WriterLockedError(file, readHolder(holderFile)));
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const holder: WriterHolder = { ...me, since: Date.now() };
    writeFileSync(holderFile, JSON.stringify(holder) + '\n');
    let held = true;
    return Promise.resolve({
      release() {
        if (!held) return;
        held = false;
        // Only the holder's own note is removed: another process may hold the lock a moment later.
        if (readHolder(holderFile)?.pid === holder.pid) rmSync(holderFile, { force: true });
        lock.exec('ROLLBACK');
        lock.close();
      },
    });
  };
}
