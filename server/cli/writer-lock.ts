/** The commands that write ingest's rows take the store's writer lock first, and refuse in one line when it is held. */

import { hostname } from 'node:os';
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

/** The writer lock, then the database opened (and migrated) under it: what `ingest`, `follow` and `run` start with. */
export async function openForWriting(file: string, command: string): Promise<{ db: Db; lock: WriterLock }> {
  const lock = await lockWriter(file, command);
  try {
    return { db: openDatabaseOrFail({ file }), lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}
