import { attemptIdsInRange } from '../time-blocks.js';

/**
 * Attempts and rejects read back as rollup rows: one row per event with the key ingest counts it under
 * (db/sqlite/write/pack-batch.ts), `bucket` its exact time and `count` 1. Minute-precision questions older than the minute
 * rollups are answered from these, and the benchmark's bulk fill builds its rollups from them.
 * Rejects have no provider (our server refused a client: no provider answered). Hops and waits count under
 * their own outcomes, a notification's delivery once more under `notice-<outcome>`; the lines counted apart
 * without an attempt row (discards, probes, notes) have no raw rows, and so no minute detail older than the
 * minute rollups.
 */
export function rawCellsSql(range: 'all' | 'from-to'): string {
  // Attempts have no time index: their time blocks give the id ranges to read (db/sqlite/time-blocks.ts).
  const where = range === 'all' ? '1' : `id IN (${attemptIdsInRange})`;
  const rejectsWhere = range === 'all' ? '1' : 'ts >= @from AND ts < @to';
  const key = `host, recipient_domain AS domain, COALESCE(provider, '') AS provider`;
  const rest = `class, COALESCE(cause, '') AS cause, COALESCE(enhanced_status, dsn, CAST(reply_code AS TEXT), '') AS code,
      1 AS count`;
  return `SELECT ts AS bucket, ${key},
      CASE flags & 3 WHEN 1 THEN 'hop' WHEN 2 THEN 'wait' ELSE outcome END AS outcome, ${rest}
    FROM attempts WHERE ${where}
    UNION ALL
    SELECT ts AS bucket, ${key}, 'notice-' || outcome, ${rest}
    FROM attempts WHERE (${where}) AND flags & 7 = 4
    UNION ALL
    SELECT ts, host, COALESCE(recipient_domain, ''), '', 'rejected', class, COALESCE(cause, ''),
      COALESCE(enhanced_status, CAST(reply_code AS TEXT), ''), 1
    FROM rejects WHERE ${rejectsWhere}`;
}
