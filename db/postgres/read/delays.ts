/**
 * Delivery delay histograms from PostgreSQL's attempt rows: the same fixed buckets as SQLite's delay_hours
 * (width_bucket over the same bounds) and the same whole hours, so both stores answer the same counts.
 */

import type { PgReads } from './prepared.js';
import { DELAY_BOUNDS, type DelayCountRow, type DelayQuery } from '../../store/delay-buckets.js';
import type { TimeRange } from '../../sqlite/read/report.js';

const HOUR = 3_600_000;
const COLUMN = { domain: 'a.domain', provider: 'a.provider', all: 'NULL::integer' } as const;

export async function delayHistograms(
  pool: PgReads,
  range: TimeRange,
  q: DelayQuery,
): Promise<DelayCountRow[]> {
  const by = q.by ?? 'all';
  const col = COLUMN[by];
  const floor = (ms: number) => ms - (((ms % HOUR) + HOUR) % HOUR);
  const from = floor(range.from);
  // SQLite counts whole hours that start before `to`: every event up to the end of that hour.
  const to = floor(range.to - 1) + HOUR;
  const key = by === 'all' ? null : (q.key ?? null);
  const { rows } = await pool.query<{ key: string; t: string; bucket: number; count: number }>(
    `SELECT coalesce(d.value, '') AS key, g.t, g.bucket, g.count FROM (
       SELECT ${col} AS k,
              CASE WHEN $3::bigint > 0 THEN $1::bigint + ((a.ts - a.ts % ${HOUR} - $1::bigint) / $3::bigint) * $3::bigint
                   ELSE $1::bigint END AS t,
              width_bucket(a.delay::numeric::float8, $4::float8[]) AS bucket, count(*)::integer AS count
         FROM attempts a
        WHERE a.ts >= $1 AND a.ts < $2 AND a.outcome = 1 AND a.delay IS NOT NULL AND a.flags & 7 = 0
          AND ($5::text IS NULL OR a.host = (SELECT id FROM dict WHERE value = $5))
          AND ($6::text IS NULL OR ($6 = '' AND ${col} IS NULL) OR ${col} = (SELECT id FROM dict WHERE value = $6))
        GROUP BY 1, 2, 3) g
       LEFT JOIN dict d ON d.id = g.k
      ORDER BY 1, 2, 3`,
    [from, to, q.step ?? 0, DELAY_BOUNDS, q.host ?? null, key],
  );
  return rows.map((r) => ({ key: r.key, t: Number(r.t), bucket: r.bucket, count: r.count }));
}
