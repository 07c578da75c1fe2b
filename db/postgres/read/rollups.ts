/**
 * Rollup aggregates in PostgreSQL: the same segments as the SQLite store (whole days, hours and minutes, raw rows
 * for minutes older than the minute rollups), summed over the decoded rollup views.
 */

import type { PgReads } from './prepared.js';
import { planSeries, splitRange, type CountSource } from '../../sqlite/read/range.js';
import type { GroupColumn, GroupRow, RollupFilter, SeriesResult } from '../../sqlite/read/rollups.js';
import { memoClosedAsync } from '../../sqlite/read/rollup-cache.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../../sqlite/rollup-horizon.js';

const GROUP_COLUMNS: readonly GroupColumn[] = [
  'outcome',
  'class',
  'domain',
  'provider',
  'cause',
  'code',
  'host',
];

/**
 * The attempts of [$1, $2) shaped as rollup rows, `outcome` as given: read from the attempts table with only the
 * texts a rollup names (attempts_full would also join each attempt's life, which the planner does by hashing every
 * stored life).
 */
const attemptCells = (
  outcome: string,
  where = '',
) => `SELECT a.ts AS bucket, h.value AS host, d.value AS domain,
      COALESCE(pv.value, '') AS provider, ${outcome} AS outcome, cc.name AS class, COALESCE(ca.value, '') AS cause,
      COALESCE(es.value, ds.value, a.reply_code::text, '') AS code, 1 AS count
    FROM attempts a
    JOIN dict h ON h.id = a.host JOIN dict d ON d.id = a.domain
    JOIN outcome_codes oc ON oc.code = a.outcome JOIN class_codes cc ON cc.code = a.class
    LEFT JOIN dict pv ON pv.id = a.provider LEFT JOIN dict ca ON ca.id = a.cause
    LEFT JOIN dict es ON es.id = a.enhanced_status LEFT JOIN dict ds ON ds.id = a.dsn
    WHERE a.ts >= $1 AND a.ts < $2${where}`;

/** The raw rows of [$1, $2) shaped as rollup rows (one per event), as ingest counts them. */
const RAW_CELLS = `(${attemptCells("CASE a.flags & 3 WHEN 1 THEN 'hop' WHEN 2 THEN 'wait' ELSE oc.name END")}
    UNION ALL
    ${attemptCells("'notice-' || oc.name", ' AND a.flags & 7 = 4')}
    UNION ALL
    SELECT ts, host, COALESCE(recipient_domain, ''), '', 'rejected', class, COALESCE(cause, ''),
      COALESCE(enhanced_status, reply_code::text, ''), 1
    FROM rejects_full WHERE ts >= $1 AND ts < $2) raw`;

const source = (table: CountSource): string => (table === 'raw' ? RAW_CELLS : `${table}_v`);

/** How each column of a rollup table reads as text: its integer id, and the table that names it. */
const DECODE: Record<GroupColumn, { join: string; text: string }> = {
  host: { join: 'JOIN dict x_host ON x_host.id = g.host', text: 'x_host.value' },
  domain: { join: 'JOIN dict x_domain ON x_domain.id = g.domain', text: 'x_domain.value' },
  provider: { join: 'JOIN dict x_provider ON x_provider.id = g.provider', text: 'x_provider.value' },
  cause: { join: 'JOIN dict x_cause ON x_cause.id = g.cause', text: 'x_cause.value' },
  code: { join: 'JOIN dict x_code ON x_code.id = g.code', text: 'x_code.value' },
  outcome: { join: 'JOIN outcome_codes x_outcome ON x_outcome.code = g.outcome', text: 'x_outcome.name' },
  class: { join: 'JOIN class_codes x_class ON x_class.code = g.class', text: 'x_class.name' },
};

/** FILTER_SQL on a rollup table's integer columns: each text filter becomes its id (no id: no rows). */
const ID_FILTER_SQL = ['host', 'domain', 'provider', 'cause', 'code']
  .map((c, i) => `($${i + 3}::text IS NULL OR ${c} = (SELECT id FROM dict WHERE value = $${i + 3}))`)
  .join(' AND ');

/**
 * Sums a rollup table grouped by `columns` (plus `extra`, an expression named `b`), on its integer columns, and
 * names only the groups' ids: far fewer lookups than reading the decoded view row by row.
 */
function rollupTableSql(table: string, columns: readonly GroupColumn[], extra: string | null): string {
  const keys = [...(extra ? [`${extra} AS b`] : []), ...columns];
  const groupBy = [...(extra ? ['b'] : []), ...columns];
  const inner = `SELECT ${[...keys, 'SUM(count) AS n'].join(', ')} FROM ${table}
    WHERE bucket >= $1 AND bucket < $2 AND ${ID_FILTER_SQL}${groupBy.length > 0 ? ` GROUP BY ${groupBy.join(', ')}` : ''}`;
  const outer = [...(extra ? ['g.b'] : []), ...columns.map((c) => `${DECODE[c].text} AS ${c}`), 'g.n'];
  return `SELECT ${outer.join(', ')} FROM (${inner}) g ${columns.map((c) => DECODE[c].join).join(' ')}`;
}

/**
 * How far behind now a fleet's agents may still be writing: a segment that ended more recently than this is read
 * fresh at every call rather than memoised without their last lines.
 */
const AGENT_LAG_MS = 10 * 60_000;

/** Filters on $3.. $7 (null: any). */
const FILTER_SQL = `($3::text IS NULL OR host = $3) AND ($4::text IS NULL OR domain = $4)
  AND ($5::text IS NULL OR provider = $5) AND ($6::text IS NULL OR cause = $6) AND ($7::text IS NULL OR code = $7)`;

const filterParams = (f: RollupFilter) => [
  f.host ?? null,
  f.domain ?? null,
  f.provider ?? null,
  f.cause ?? null,
  f.code ?? null,
];

export async function groupRollups(
  pool: PgReads,
  range: { from: number; to: number },
  columns: readonly GroupColumn[],
  filter: RollupFilter,
  now: number,
): Promise<GroupRow[]> {
  for (const c of columns) if (!GROUP_COLUMNS.includes(c)) throw new Error(`not a group column: ${c}`);
  const cols = columns.join(', ');
  const segments = splitRange(range.from, range.to, now - MINUTE_ROLLUPS_KEPT_MS);
  const merged = new Map<string, GroupRow>();
  const params = filterParams(filter);
  const filterKey = JSON.stringify(params);
  // Settled segments (whole past days and hours, old minutes) are memoised as on SQLite (rollup-cache.ts).
  const results = await Promise.all(
    segments.map((seg) =>
      memoClosedAsync(
        pool,
        `group|${seg.table}|${seg.from}|${seg.to}|${cols}|${filterKey}`,
        seg.to,
        now - AGENT_LAG_MS,
        async () => {
          const { rows } = await pool.query<Record<string, string | number | null>>(
            seg.table === 'raw'
              ? `SELECT ${cols}${cols ? ', ' : ''}SUM(count) AS n FROM ${source(seg.table)}
              WHERE bucket >= $1 AND bucket < $2 AND ${FILTER_SQL}${cols ? ` GROUP BY ${cols}` : ''}`
              : rollupTableSql(seg.table, columns, null),
            [seg.from, seg.to, ...params],
          );
          return rows;
        },
      ),
    ),
  );
  for (const rows of results) {
    for (const row of rows) {
      if (row['n'] === null) continue;
      const keys = {} as Record<GroupColumn, string>;
      for (const c of columns) keys[c] = String(row[c]);
      const id = columns.map((c) => keys[c]).join('\u0000');
      const existing = merged.get(id);
      if (existing) existing.count += Number(row['n']);
      else merged.set(id, { keys, count: Number(row['n']) });
    }
  }
  return [...merged.values()];
}

export async function seriesRollups(
  pool: PgReads,
  range: { from: number; to: number },
  filter: RollupFilter,
  now: number,
): Promise<SeriesResult> {
  const plan = planSeries(range.from, range.to, now - MINUTE_ROLLUPS_KEPT_MS);
  const bucketOf = 'bucket - ((bucket - $9) % $8)';
  const params = filterParams(filter);
  const sql =
    plan.table === 'raw'
      ? `SELECT ${bucketOf} AS b, outcome, class, SUM(count) AS n FROM ${source(plan.table)}
          WHERE bucket >= $1 AND bucket < $2 AND ${FILTER_SQL}
          GROUP BY b, outcome, class ORDER BY b`
      : `${rollupTableSql(plan.table, ['outcome', 'class'], bucketOf)} ORDER BY g.b`;
  const read = async (from: number, to: number) =>
    from < to
      ? (
          await pool.query<{ b: number; outcome: string; class: string; n: number }>(sql, [
            from,
            to,
            ...params,
            plan.step,
            plan.origin,
          ])
        ).rows
      : [];
  // Settled buckets are memoised (as on SQLite); the current bucket is always read fresh.
  const cut = Math.max(plan.from, Math.min(plan.to, now - ((now - plan.origin) % plan.step)));
  const [closed, open] = await Promise.all([
    memoClosedAsync(
      pool,
      `series|${plan.table}|${plan.step}|${plan.from}|${cut}|${JSON.stringify(params)}`,
      cut,
      now - AGENT_LAG_MS,
      () => read(plan.from, cut),
    ),
    read(cut, plan.to),
  ]);
  return {
    plan,
    rows: [...closed, ...open].map((r) => ({ bucket: r.b, outcome: r.outcome, class: r.class, count: r.n })),
  };
}

/** Distinct hosts seen in the range (for the host filter); whole past days are memoised. */
export async function listHosts(
  pool: PgReads,
  range: { from: number; to: number },
  now: number,
): Promise<string[]> {
  const day = 86_400_000;
  const from = range.from - (range.from % day);
  const cut = Math.max(from, Math.min(range.to, now - (now % day)));
  const read = async (a: number, b: number) =>
    a < b
      ? (
          await pool.query<{ host: string }>(
            `SELECT DISTINCT d.value AS host FROM rollups_day r JOIN dict d ON d.id = r.host
              WHERE r.bucket >= $1 AND r.bucket < $2 AND d.value <> '' LIMIT 500`,
            [a, b],
          )
        ).rows
      : [];
  const [closed, open] = await Promise.all([
    memoClosedAsync(pool, `hosts|${from}|${cut}`, cut, now - AGENT_LAG_MS, () => read(from, cut)),
    read(cut, range.to),
  ]);
  return [...new Set([...closed, ...open].map((r) => r.host))].sort().slice(0, 500);
}

export async function dataSpan(pool: PgReads): Promise<{ from: number; to: number } | null> {
  const { rows } = await pool.query<{ first: number | null; last: number | null }>(
    'SELECT (SELECT MIN(bucket) FROM rollups_hour) AS first, (SELECT MAX(bucket) FROM rollups_hour) AS last',
  );
  const row = rows[0];
  if (!row || row.first === null || row.last === null) return null;
  return { from: row.first, to: row.last + 3_600_000 };
}

/** Start of each day or hour in the range that holds any count: one index step per bucket (a loose index scan). */
export async function bucketsWithData(
  pool: PgReads,
  unit: 'day' | 'hour',
  range: { from: number; to: number },
): Promise<number[]> {
  const table = unit === 'day' ? 'rollups_day' : 'rollups_hour';
  const { rows } = await pool.query<{ v: number }>(
    `WITH RECURSIVE b(v) AS (
       SELECT (SELECT MIN(bucket) FROM ${table} WHERE bucket >= $1 AND bucket < $2)
       UNION ALL
       SELECT (SELECT MIN(bucket) FROM ${table} WHERE bucket > b.v AND bucket < $2) FROM b WHERE b.v IS NOT NULL
     )
     SELECT v FROM b WHERE v IS NOT NULL`,
    [range.from, range.to],
  );
  return rows.map((r) => r.v);
}
