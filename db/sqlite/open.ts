/**
 * Opens the SQLite database in one place, with the pragmas every connection needs, and migrates it. A database
 * written by a newer version (schema above the newest migration here) is refused with SchemaTooNewError.
 */

import Database from 'better-sqlite3';
import { registerFunctions } from './functions.js';
import { checkSchemaKnown, migrate, type Migration } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** File path, or ':memory:'. */
  file: string;
  readonly?: boolean;
  /** Run pending migrations (default true for writable connections). */
  migrate?: boolean;
  /** Told of each migration before it upgrades an existing database. */
  onUpgrade?: (m: Migration) => void;
}

export function openDatabase(options: OpenOptions): Db {
  const db = new Database(options.file, { readonly: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  registerFunctions(db);
  // A newer bouncewatch's schema may store things differently: refuse it before changing anything.
  try {
    checkSchemaKnown(db);
  } catch (err) {
    db.close();
    throw err;
  }
  if (!options.readonly) {
    if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (!options.readonly && options.migrate !== false) migrate(db, undefined, options.onUpgrade);
  return db;
}
