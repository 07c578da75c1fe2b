/** Forward-only numbered SQL migrations (db/sqlite/migrations/NNNN_name.sql), progress kept in PRAGMA user_version. */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { registerFunctions } from './functions.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The .sql files sit next to the sources; the build copies them beside the compiled module. */
function migrationsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'migrations');
}

const MIGRATION_FILE = /^\d{4}_[\w-]+\.sql$/;

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
}

/** The schema version a database is at (0 for a new, empty one). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The newest schema version this build knows: that of its last migration (read from file names only). */
export function newestSchemaVersion(dir = migrationsDir()): number {
  let newest = 0;
  for (const f of readdirSync(dir)) {
    if (MIGRATION_FILE.test(f)) newest = Math.max(newest, Number(f.slice(0, 4)));
  }
  return newest;
}

/** A database written by a newer version: this build does not know its schema and must not use it. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly version: number,
    readonly newest: number,
  ) {
    super(`database schema ${version} is newer than the newest this build knows (${newest})`);
  }
}

/** Throws SchemaTooNewError when the database's schema is above `newest`; returns its version otherwise. */
export function checkSchemaKnown(db: Database.Database, newest = newestSchemaVersion()): number {
  const version = schemaVersion(db);
  if (version > newest) throw new SchemaTooNewError(version, newest);
  return version;
}

/**
 * Applies every migration above the database's user_version, each in its own transaction. Returns the versions
 * applied. `onUpgrade` hears of each one applied to a database that already had a schema (some rewrite every
 * stored row and take a while), not of those that create a new database.
 */
export function migrate(
  db: Database.Database,
  migrations = loadMigrations(),
  onUpgrade?: (m: Migration) => void,
): number[] {
  // Views and migrations call the schema's own SQL functions.
  registerFunctions(db);
  const current = schemaVersion(db);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    if (current > 0) onUpgrade?.(m);
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
