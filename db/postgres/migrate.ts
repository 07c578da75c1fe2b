/**
 * Forward-only numbered migrations of the PostgreSQL store (db/postgres/migrations/NNNN_name.sql), applied once
 * for the whole fleet: the first process to start takes an advisory lock, the others wait for it and find
 * nothing left to do. Progress is kept in `schema_migrations`.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadMigrations, SchemaTooNewError, type Migration } from '../sqlite/migrate.js';
import { MIGRATION_LOCK } from './locks.js';

/** Migrations a store may be ahead of this build and still be used by it (see docs/deploy.md, upgrades). */
const TOLERATED_AHEAD = 1;

/** The .sql files sit next to the sources; the build copies them beside the compiled module. */
export function pgMigrations(): Migration[] {
  return loadMigrations(join(dirname(fileURLToPath(import.meta.url)), 'migrations'));
}

/** The schema version of the database (0 for a new, empty one). */
export async function pgSchemaVersion(client: pg.ClientBase): Promise<number> {
  const table = await client.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  if (!table.rows[0]?.exists) return 0;
  const { rows } = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

/**
 * Applies every migration above the database's version, each in its own transaction, under the migration lock.
 * Answers the versions applied; throws SchemaTooNewError for a database more than one migration ahead of it.
 */
export async function migratePg(
  client: pg.ClientBase,
  migrations = pgMigrations(),
  onUpgrade?: (m: Migration) => void,
): Promise<number[]> {
  const newest = migrations.reduce((n, m) => Math.max(n, m.version), 0);
  await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const current = await pgSchemaVersion(client);
    // A fleet upgrades one host at a time: a process one migration behind keeps working (each adds only).
    if (current > newest + TOLERATED_AHEAD) throw new SchemaTooNewError(current, newest);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      if (current > 0) onUpgrade?.(m);
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
  }
}
