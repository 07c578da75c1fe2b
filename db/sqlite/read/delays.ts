/** Delivery delay histograms (delay_hours, migrations 0015 and 0016) over a range of hours, per domain, per provider or in all. */

import type { DelayCountRow, DelayQuery } from '../../store/delay-buckets.js';
import { delayCountPairs } from '../delay-cells.js';
import type { Db } from '../open.js';
import type { TimeRange } from './report.js';
import { statementCache } from './statements.js';

const HOUR = 3_600_000;
const cache = statementCache();

/** The column a query groups by, or none (every delivery under key ''). */
const COLUMN = { domain: 'domain', provider: 'provider', all: '0' } as const;

export function delayHistograms(db: Db, range: TimeRange, q: DelayQuery): DelayCountRow[] {
  const by = q.by ?? 'all';
  const column = COLUMN[by];
  const nameId = (name: string) =>
    cache(db, 'delays:name', 'SELECT id FROM names WHERE name = ?').pluck().get(name) as number | undefined;
  // An unknown provider is stored as 0, not as a name.
  const idOf = (name: string | null | undefined, provider: boolean): number | null | undefined =>
    name === null || name === undefined ? null : provider && name === '' ? 0 : nameId(name);
  const host = idOf(q.host, false);
  const key = by === 'all' ? null : idOf(q.key, by === 'provider');
  if (host === undefined || key === undefined) return [];
  const from = range.from - (((range.from % HOUR) + HOUR) % HOUR);
  const step = q.step ?? 0;
  // Rows keep their hour in hours since the epoch; each group's counts are added up in one blob (bw_delay_sum).
  const rows = cache(
    db,
    `delays:${by}`,
    `SELECT g.k, coalesce(n.name, '') AS key, g.t, g.counts FROM (
       SELECT ${column} AS k, CASE WHEN @step > 0 THEN hour * ${HOUR} - ((hour * ${HOUR} - @from) % @step) ELSE @from END AS t,
              bw_delay_sum(counts) AS counts
         FROM delay_hours
        WHERE hour >= @fromHour AND hour < @toHour AND (@host IS NULL OR host = @host)
          AND (@key IS NULL OR ${column} = @key)
        GROUP BY k, t) g
       LEFT JOIN names n ON n.id = g.k AND g.k != 0
      ORDER BY g.k, g.t`,
  ).all({ from, fromHour: from / HOUR, toHour: Math.ceil(range.to / HOUR), step, host, key }) as {
    key: string;
    t: number;
    counts: Buffer;
  }[];
  const out: DelayCountRow[] = [];
  for (const { key: name, t, counts } of rows) {
    for (const [bucket, count] of delayCountPairs(counts))
      out.push({ key: by === 'all' ? '' : name, t, bucket, count });
  }
  return out;
}
