/**
 * Retention in PostgreSQL: whole days of raw rows go by dropping their partitions (no row-by-row delete, no
 * bloat); a day goes once it ended more than N days ago. Days are the fleet's, so the shortest retention of its
 * agents wins. The writer's own minute rollups older than their horizon are deleted.
 */

import type pg from 'pg';
import type { PruneResult } from '../../store/writer.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../../sqlite/rollup-horizon.js';
import { PARTITION_LOCK } from '../locks.js';
import { DAY_MS, RAW_TABLES, TRIAGE_TABLES } from './partitions.js';

/** Day partitions of `table` whose whole day lies before `cutoff`. */
async function oldPartitions(client: pg.ClientBase, table: string, cutoff: number): Promise<string[]> {
  const { rows } = await client.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass`,
    [table],
  );
  return rows
    .filter((r) => {
      const to = /TO \('?(-?\d+)'?\)/.exec(r.bound);
      return to !== null && Number(to[1]) <= cutoff;
    })
    .map((r) => r.name);
}

export async function pruneDays(
  client: pg.ClientBase,
  nowMs: number,
  retainDays: number,
  hostKey?: number,
): Promise<PruneResult> {
  const cutoff = nowMs - retainDays * DAY_MS;
  const counts: Record<(typeof RAW_TABLES)[number], number> = { attempts: 0, rejects: 0, messages: 0 };
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...PARTITION_LOCK]);
    for (const table of RAW_TABLES) {
      for (const name of await oldPartitions(client, table, cutoff)) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${name}`);
        counts[table] += rows[0]?.n ?? 0;
        await client.query(`DROP TABLE ${name}`);
      }
    }
    // Triage facts name logins, addresses and IPs (personal data): their days go with the raw rows'.
    for (const table of TRIAGE_TABLES) {
      for (const name of await oldPartitions(client, table, cutoff)) await client.query(`DROP TABLE ${name}`);
    }
    const minutes = await client.query(
      'DELETE FROM rollups_minute WHERE bucket < $1 AND ($2::integer IS NULL OR host = $2)',
      [nowMs - MINUTE_ROLLUPS_KEPT_MS, hostKey ?? null],
    );
    await client.query('DELETE FROM unparsed_samples WHERE ts < $1', [cutoff]);
    await client.query('COMMIT');
    return { ...counts, minuteRollups: minutes.rowCount ?? 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
