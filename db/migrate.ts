/** Forward-only numbered SQL migrations (db/migrations/NNNN_name.sql), progress kept in PRAGMA user_version. */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The .sql files sit next to the sources; the build copies them beside the compiled module. */
export function migrationsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'migrations');
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
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
  const current = db.pragma('user_version', { simple: true }) as number;
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
