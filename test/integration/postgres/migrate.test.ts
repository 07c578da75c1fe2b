import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migratePg, pgMigrations, pgSchemaVersion } from '../../../db/postgres/migrate.js';
import { SchemaTooNewError } from '../../../db/sqlite/migrate.js';
import { describePg } from '../../helpers/pg-context.js';

describePg('PostgreSQL migrations', (url) => {
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    clients.push(client);
    return client;
  };
  let first: pg.Client;
  beforeAll(async () => {
    first = await connect();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
  });

  it('are numbered from 1 without gaps', () => {
    const versions = pgMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('run once when several processes start together: one applies them, the others wait and find none left', async () => {
    const others = await Promise.all([connect(), connect(), connect()]);
    const applied = await Promise.all([first, ...others].map((c) => migratePg(c)));
    const newest = pgMigrations().length;
    expect(applied.flat().sort((a, b) => a - b)).toEqual(pgMigrations().map((m) => m.version));
    expect(await pgSchemaVersion(first)).toBe(newest);
    const { rows } = await first.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    expect(Number(rows[0]!.n)).toBe(newest);
  });

  it('let a process one migration behind go on, and refuse one further behind', async () => {
    const newest = pgMigrations().length;
    const add = (version: number, name: string) =>
      first.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [version, name, 0]);
    await add(newest + 1, 'next_one');
    await expect(migratePg(first)).resolves.toEqual([]);
    await add(newest + 2, 'the_one_after');
    await expect(migratePg(first)).rejects.toBeInstanceOf(SchemaTooNewError);
    await first.query('DELETE FROM schema_migrations WHERE version > $1', [newest]);
  });

  it('lay out raw rows and triage facts by day, with the host first in every primary key', async () => {
    const { rows } = await first.query<{ table: string; strategy: string }>(
      `SELECT c.relname AS table, p.partstrat AS strategy FROM pg_partitioned_table p
         JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1`,
    );
    expect(rows).toEqual([
      { table: 'attempts', strategy: 'r' },
      { table: 'messages', strategy: 'r' },
      { table: 'rejects', strategy: 'r' },
      { table: 'sender_hours', strategy: 'r' },
      { table: 'session_hours', strategy: 'r' },
      { table: 'warning_hours', strategy: 'r' },
    ]);
    const keys = await first.query<{ table: string; first: string }>(
      `SELECT c.relname AS table, a.attname AS first FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
        WHERE k.contype = 'p' AND c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
          AND array_length(k.conkey, 1) > 1`,
    );
    expect(keys.rows.length).toBeGreaterThan(5);
    for (const k of keys.rows)
      expect({ table: k.table, first: k.first }).toEqual({ table: k.table, first: 'host' });
  });
});
