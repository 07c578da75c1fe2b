/**
 * `serve` after an interrupted bulk import: when no writer holds the database, it takes the writer lock and builds
 * the indexes the import set aside (on a thread, while it serves), then lets the lock go. When a writer holds it,
 * that writer built them when it started.
 */

import { hostname } from 'node:os';
import type { Db } from '../../db/sqlite/open.js';
import { missingIndexes, rebuildIndexes } from '../../db/sqlite/write/index-thread.js';
import { sqliteWriterLock } from '../../db/sqlite/writer-lock.js';
import { WriterLockedError } from '../../db/store/writer-lock.js';
import type { Logger } from '../log.js';

export async function repairIndexesIfFree(
  db: Db,
  command: string,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  if (db.memory || missingIndexes(db) === 0) return;
  let lock;
  try {
    lock = await sqliteWriterLock(db.name)({
      pid: process.pid,
      command: `bouncewatch ${command}`,
      hostname: hostname(),
    });
  } catch (err) {
    if (err instanceof WriterLockedError)
      log.warn({ holder: err.holder }, 'indexes missing; the writer holding the database builds them');
    else log.error({ err }, 'indexes missing; could not take the writer lock to build them');
    return;
  }
  try {
    const started = Date.now();
    log.warn('an interrupted import left indexes unbuilt: building them now (reports are slow until then)');
    const built = await rebuildIndexes(db, { signal, background: true });
    log.info({ indexes: built, seconds: (Date.now() - started) / 1000 }, 'indexes built');
  } catch (err) {
    if (!signal.aborted) log.error({ err }, 'building the missing indexes failed');
  } finally {
    lock.release();
  }
}
