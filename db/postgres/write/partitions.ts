/**
 * Day partitions of the raw tables (attempts, rejects, messages) and the triage facts' hours, created as the first row of a day arrives, in a
 * short transaction of their own under an advisory lock (agents of several hosts may reach a new day together).
 * Retention drops whole partitions.
 */

import type pg from 'pg';
import { PARTITION_LOCK } from '../locks.js';

export const DAY_MS = 86_400_000;
export const RAW_TABLES = ['attempts', 'rejects', 'messages'] as const;
/** The triage facts' hourly tables (migration 5): partitioned by day too, since they name logins and IPs. */
export const TRIAGE_TABLES = ['warning_hours', 'session_hours', 'sender_hours'] as const;

/** The partition of `table` holding the UTC day that starts at `day` (ms). */
function partitionName(table: string, day: number): string {
  return `${table}_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

export interface Partitions {
  /** Makes sure every table has a partition for the day of each time. */
  ensure(client: pg.ClientBase, times: Iterable<number>): Promise<void>;
}

export function createPartitions(): Partitions {
  const known = new Set<number>();
  return {
    async ensure(client, times) {
      const days = new Set<number>();
      for (const t of times) {
        const day = t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
        if (!known.has(day)) days.add(day);
      }
      if (days.size === 0) return;
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...PARTITION_LOCK]);
        for (const day of days) {
          for (const table of [...RAW_TABLES, ...TRIAGE_TABLES]) {
            await client.query(
              `CREATE TABLE IF NOT EXISTS ${partitionName(table, day)} PARTITION OF ${table}
                 FOR VALUES FROM (${day}) TO (${day + DAY_MS})`,
            );
          }
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      for (const day of days) known.add(day);
    },
  };
}
