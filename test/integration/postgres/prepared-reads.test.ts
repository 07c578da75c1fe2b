// The dashboard's reads are prepared once per connection with one generic plan, and survive a migration that
// changes what a prepared statement returns (a view replaced while dashboards run, as in a fleet's upgrade).
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgPool } from '../../../db/postgres/connect.js';
import { preparedReads } from '../../../db/postgres/read/prepared.js';
import { describePg } from '../../helpers/pg-context.js';

describePg('the dashboard\u2019s prepared reads', (url) => {
  let pool: pg.Pool;
  beforeAll(async () => {
    // One connection: every statement below meets the statements prepared before it.
    pool = createPgPool(url(), 1);
    await pool.query('CREATE TABLE things (n integer)');
    await pool.query('INSERT INTO things SELECT generate_series(1, 20)');
    await pool.query('CREATE VIEW things_v AS SELECT n FROM things');
  });
  afterAll(async () => {
    await pool.end();
  });

  it('plan a statement once and reuse that plan for other values', async () => {
    const reads = preparedReads(pool);
    const sql = 'SELECT count(*)::int AS c FROM things WHERE n <= $1';
    expect((await reads.query<{ c: number }>(sql, [5])).rows).toEqual([{ c: 5 }]);
    expect((await reads.query<{ c: number }>(sql, [12])).rows).toEqual([{ c: 12 }]);
    const { rows } = await pool.query<{ generic: number; custom: number }>(
      `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
        WHERE statement = $1`,
      [sql],
    );
    expect(rows).toEqual([{ generic: 2, custom: 0 }]);
  });

  it('keep answering after a migration replaced a view with more columns', async () => {
    const reads = preparedReads(pool);
    const sql = 'SELECT * FROM things_v WHERE n = $1';
    expect((await reads.query(sql, [3])).rows).toEqual([{ n: 3 }]);
    await pool.query('CREATE OR REPLACE VIEW things_v AS SELECT n, n * 2 AS twice FROM things');
    expect((await reads.query(sql, [3])).rows).toEqual([{ n: 3, twice: 6 }]);
  });
});
