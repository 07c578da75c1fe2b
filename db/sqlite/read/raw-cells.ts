/**
 * Attempts and rejects read back as rollup rows: one row per event with the key ingest counts it under
 * (db/sqlite/write/pack-batch.ts), `bucket` its exact time and `count` 1. Minute-precision questions older than the minute
 * rollups are answered from these, and the benchmark's bulk fill builds its rollups from them.
 * Rejects have no provider (our server refused a client: no provider answered).
 */
export function rawCellsSql(where: string): string {
  return `SELECT ts AS bucket, host, recipient_domain AS domain, COALESCE(provider, '') AS provider, outcome,
      class, COALESCE(cause, '') AS cause, COALESCE(enhanced_status, dsn, CAST(reply_code AS TEXT), '') AS code,
      1 AS count
    FROM attempts WHERE ${where}
    UNION ALL
    SELECT ts, host, COALESCE(recipient_domain, ''), '', 'rejected', class, COALESCE(cause, ''),
      COALESCE(enhanced_status, CAST(reply_code AS TEXT), ''), 1
    FROM rejects WHERE ${where}`;
}
