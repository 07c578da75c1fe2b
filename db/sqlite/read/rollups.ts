/** Aggregates over the rollup tables: totals grouped by a whitelisted set of columns, and chart series. */

import type { Db } from '../open.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../rollup-horizon.js';
import { planSeries, splitRange, type CountSource, type SeriesPlan } from './range.js';
import { rawCellsSql } from './raw-cells.js';
import { memoClosed } from './rollup-cache.js';
import { statementCache } from './statements.js';

/** Columns a rollup aggregate may be grouped by (the whitelist that reaches SQL). */
const GROUP_COLUMNS = ['outcome', 'class', 'domain', 'provider', 'cause', 'code', 'host'] as const;
export type GroupColumn = (typeof GROUP_COLUMNS)[number];

/** Optional equality filters; null or undefined means "any". */
export interface RollupFilter {
  host?: string | null;
  domain?: string | null;
  provider?: string | null;
  cause?: string | null;
  code?: string | null;
}

export interface GroupRow {
  /** Shared with the memo of closed segments: read, never change. */
  keys: Readonly<Record<GroupColumn, string>>;
  count: number;
}

/** A segment's aggregate row as memoised: keyed once, so a call that reads it from the memo only adds it up. */
interface KeyedRow {
  id: string;
  keys: Readonly<Record<GroupColumn, string>>;
  count: number;
}

function keyedRows(rows: Record<string, string | number>[], columns: readonly GroupColumn[]): KeyedRow[] {
  return rows.map((row) => {
    const keys = {} as Record<GroupColumn, string>;
    for (const c of columns) keys[c] = String(row[c]);
    return { id: columns.map((c) => keys[c]).join('\u0000'), keys, count: Number(row['n']) };
  });
}

const FILTER_SQL = `(@host IS NULL OR host = @host) AND (@domain IS NULL OR domain = @domain)
  AND (@provider IS NULL OR provider = @provider) AND (@cause IS NULL OR cause = @cause)
  AND (@code IS NULL OR code = @code)`;

/** The name's id, looked up once per statement (a name never stored has none, and matches no row). */
const nameId = (param: string) => `(SELECT id FROM names WHERE name = @${param})`;

/** FILTER_SQL on the stored rollup rows, whose keys are name ids (migration 0012). */
const ID_FILTER_SQL = `(@host IS NULL OR host = ${nameId('host')}) AND (@domain IS NULL OR domain = ${nameId('domain')})
  AND (@provider IS NULL OR provider = ${nameId('provider')}) AND (@cause IS NULL OR cause = ${nameId('cause')})
  AND (@code IS NULL OR code = ${nameId('code')})`;

/** The stored rows behind each rollup view. */
const ROWS: Record<Exclude<CountSource, 'raw'>, string> = {
  rollups_minute: 'rollup_minute_rows',
  rollups_hour: 'rollup_hour_rows',
  rollups_day: 'rollup_day_rows',
};

/** A key column of grouped rollup rows (`g`) as its name. */
const named = (column: string) => `(SELECT name FROM names WHERE id = g.${column}) AS ${column}`;

const cache = statementCache();

function filterParams(f: RollupFilter) {
  return {
    host: f.host ?? null,
    domain: f.domain ?? null,
    provider: f.provider ?? null,
    cause: f.cause ?? null,
    code: f.code ?? null,
  };
}

/** What a query reads for a count source: a rollup table, or the raw rows of [@from, @to) shaped as one. */
const fromClause = (table: CountSource): string => (table === 'raw' ? `(${rawCellsSql('from-to')})` : table);

/** The first minute the minute rollups hold (ingest writes none older, retention deletes them as they age). */
const minuteRollupsFrom = (now: number): number => now - MINUTE_ROLLUPS_KEPT_MS;

function groupStatement(db: Db, table: CountSource, columns: readonly GroupColumn[]) {
  for (const c of columns) if (!GROUP_COLUMNS.includes(c)) throw new Error(`not a group column: ${c}`);
  const cols = columns.join(', ');
  // Stored rollups are summed on their ids, and only the groups get their names back.
  const sql =
    table === 'raw'
      ? `SELECT ${cols}, SUM(count) AS n FROM ${fromClause(table)}
         WHERE bucket >= @from AND bucket < @to AND ${FILTER_SQL}
         GROUP BY ${cols}`
      : `SELECT ${columns.map(named).join(', ')}, g.n AS n FROM (
           SELECT ${cols}, SUM(count) AS n FROM ${ROWS[table]}
            WHERE bucket >= @from AND bucket < @to AND ${ID_FILTER_SQL}
            GROUP BY ${cols}) g
         ORDER BY ${cols}`;
  return cache(db, `group:${table}:${cols}`, sql);
}

/** Sums counts over [from, to) grouped by `columns`, reading days, hours and minutes as the range allows. */
export function groupRollups(
  db: Db,
  range: { from: number; to: number },
  columns: readonly GroupColumn[],
  filter: RollupFilter = {},
  now: number = Date.now(),
): GroupRow[] {
  const merged = new Map<string, GroupRow>();
  const params = filterParams(filter);
  const filterKey = JSON.stringify(params);
  for (const seg of splitRange(range.from, range.to, minuteRollupsFrom(now))) {
    const stmt = groupStatement(db, seg.table, columns);
    // Keyed in the memo: 30 days of domains, 26k rows read back from it, took 30 ms a call to key again
    // (10M attempts: p50 34.6 ms against 8.1 ms now), and its garbage made every few calls slower still.
    const rows = memoClosed(
      db,
      `group|${seg.table}|${seg.from}|${seg.to}|${columns.join(',')}|${filterKey}`,
      seg.to,
      now,
      () =>
        keyedRows(
          stmt.all({ ...params, from: seg.from, to: seg.to }) as Record<string, string | number>[],
          columns,
        ),
    );
    for (const row of rows) {
      const existing = merged.get(row.id);
      // A new row: the memo's is not added to.
      if (existing) existing.count += row.count;
      else merged.set(row.id, { keys: row.keys, count: row.count });
    }
  }
  return [...merged.values()];
}

interface SeriesRow {
  bucket: number;
  outcome: string;
  class: string;
  count: number;
}

export interface SeriesResult {
  plan: SeriesPlan;
  rows: SeriesRow[];
}

/** Chart points by outcome and class over the range, bucketed to suit its length. */
export function seriesRollups(
  db: Db,
  range: { from: number; to: number },
  filter: RollupFilter = {},
  now: number = Date.now(),
): SeriesResult {
  const plan = planSeries(range.from, range.to, minuteRollupsFrom(now));
  const stmt = cache(
    db,
    `series:${plan.table}`,
    plan.table === 'raw'
      ? `SELECT bucket - ((bucket - @origin) % @step) AS b, outcome, class, SUM(count) AS n FROM ${fromClause(plan.table)}
         WHERE bucket >= @from AND bucket < @to AND ${FILTER_SQL}
         GROUP BY b, outcome, class ORDER BY b`
      : `SELECT g.b AS b, ${named('outcome')}, ${named('class')}, g.n AS n FROM (
           SELECT bucket - ((bucket - @origin) % @step) AS b, outcome, class, SUM(count) AS n FROM ${ROWS[plan.table]}
            WHERE bucket >= @from AND bucket < @to AND ${ID_FILTER_SQL}
            GROUP BY b, outcome, class) g
         ORDER BY b, outcome, class`,
  );
  const params = filterParams(filter);
  type Raw = { b: number; outcome: string; class: string; n: number };
  const read = (from: number, to: number): Raw[] =>
    from < to ? (stmt.all({ ...params, step: plan.step, origin: plan.origin, from, to }) as Raw[]) : [];
  // Buckets that ended before now are memoised; the current bucket is always read fresh.
  const cut = Math.max(plan.from, Math.min(plan.to, now - ((now - plan.origin) % plan.step)));
  const closed = memoClosed(
    db,
    `series|${plan.table}|${plan.step}|${plan.from}|${cut}|${JSON.stringify(params)}`,
    cut,
    now,
    () => read(plan.from, cut),
  );
  const rows = [...closed, ...read(cut, plan.to)].map((r) => ({
    bucket: r.b,
    outcome: r.outcome,
    class: r.class,
    count: r.n,
  }));
  return { plan, rows };
}

/** Distinct hosts seen in the range (for the host filter); whole past days are memoised. */
export function listHosts(db: Db, range: { from: number; to: number }, now: number = Date.now()): string[] {
  const stmt = cache(
    db,
    'hosts',
    `SELECT name AS host FROM names
      WHERE id IN (SELECT host FROM rollup_day_rows WHERE bucket >= @from AND bucket < @to) AND name != '' LIMIT 500`,
  );
  const day = 86_400_000;
  const from = range.from - (range.from % day);
  const cut = Math.max(from, Math.min(range.to, now - (now % day)));
  const read = (a: number, b: number) => (a < b ? (stmt.all({ from: a, to: b }) as { host: string }[]) : []);
  const closed = memoClosed(db, `hosts|${from}|${cut}`, cut, now, () => read(from, cut));
  const hosts = new Set([...closed, ...read(cut, range.to)].map((r) => r.host));
  return [...hosts].sort().slice(0, 500);
}
