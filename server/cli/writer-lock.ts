/** The commands that write ingest's rows take the store's writer lock first, and refuse in one line when it is held. */

import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { CHECK_AT_START_BYTES, checkIntegrity } from '../../db/sqlite/integrity.js';
import { DAMAGE_ADVICE } from '../../db/store/damage.js';
import { sqliteWriterLock } from '../../db/sqlite/writer-lock.js';
import { WriterLockedError, type WriterLock } from '../../db/store/writer-lock.js';
import type { Db } from '../../db/sqlite/open.js';
import { CliError, openDatabaseOrFail } from './args.js';

/** Takes the writer lock of the database at `file` for `bouncewatch <command>`, or throws a CliError naming the holder. */
async function lockWriter(file: string, command: string): Promise<WriterLock> {
  try {
    return await sqliteWriterLock(file)({
      pid: process.pid,
      command: `bouncewatch ${command}`,
      hostname: hostname(),
    });
  } catch (err) {
    if (err instanceof WriterLockedError) {
      throw new CliError(
        `${err.message}; one writer per database keeps every line counted once: stop it first, or let it read these logs too`,
        { cause: err },
      );
    }
    throw new CliError(
      `cannot take the writer lock of ${file}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/** A writer must not add rows to a damaged file: checked before it starts, unless the file is too large to wait for. */
function refuseDamaged(db: Db, file: string): void {
  if (db.memory || !existsSync(file) || statSync(file).size > CHECK_AT_START_BYTES) return;
  const problems = checkIntegrity(db, { limit: 3 });
  if (problems.length > 0) throw new CliError(`${DAMAGE_ADVICE}: ${problems.join('; ')}`);
}

/** The writer lock, then the database opened (and migrated) under it: what `ingest`, `follow` and `run` start with. */
export async function openForWriting(file: string, command: string): Promise<{ db: Db; lock: WriterLock }> {
  const lock = await lockWriter(file, command);
  let db: Db | null = null;
  try {
    db = openDatabaseOrFail({ file });
    refuseDamaged(db, file);
    return { db, lock };
  } catch (err) {
    db?.close();
    lock.release();
    throw err;
  }
}
