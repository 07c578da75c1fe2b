/** Opens the SQLite database in one place, with the pragmas every connection needs, and migrates it. */

import Database from 'better-sqlite3';
import { migrate, type Migration } from './migrate.js';

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
  if (!options.readonly) {
    if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (!options.readonly && options.migrate !== false) migrate(db, undefined, options.onUpgrade);
  return db;
}
