/** Reads a database the fault suite's processes write, as it stands between their commits. */

import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../../db/sqlite/open.js';

/** `f` over a read-only connection, or null while the file is missing or not yet migrated. */
export function readDb<T>(file: string, f: (db: Db) => T): T | null {
  if (!existsSync(file)) return null;
  const db = openDatabase({ file, readonly: true });
  try {
    return f(db);
  } catch {
    return null; // not migrated yet
  } finally {
    db.close();
  }
}
