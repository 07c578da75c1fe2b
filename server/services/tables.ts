/** Turns rollup aggregates into counts, changes, chart arrays and ranked tables. */

import type { GroupRow, SeriesResult } from '../../db/store/reader.js';
import type { Change, OutcomeCounts, Rates, RangeInfo } from '../http/contract/common.js';
import type { BreakdownRow } from '../http/contract/detail.js';
import type { SeriesResponse, TargetRow, TargetSort } from '../http/contract/overview.js';
import { emptyCounts, isOutcome, ratesOf } from './measures.js';

/** Adds rows carrying an `outcome` key into counts. */
export function addCounts(counts: OutcomeCounts, rows: readonly GroupRow[]): OutcomeCounts {
  for (const r of rows) if (isOutcome(r.keys.outcome)) counts[r.keys.outcome] += r.count;
  return counts;
}

const relative = (now: number, before: number): number | null =>
  before > 0 ? (now - before) / before : null;
const difference = (now: number | null, before: number | null): number | null =>
  now === null || before === null ? null : now - before;

/** Counts change relatively (+0.25 = 25% more); rates change in points (0.02 = two percentage points). */
export function change(cur: OutcomeCounts, prev: OutcomeCounts, curRates: Rates, prevRates: Rates): Change {
  return {
    sent: relative(cur.sent, prev.sent),
    deferred: relative(cur.deferred, prev.deferred),
    bounced: relative(cur.bounced, prev.bounced),
    expired: relative(cur.expired, prev.expired),
    rejected: relative(cur.rejected, prev.rejected),
    bounceRate: difference(curRates.bounceRate, prevRates.bounceRate),
    deferralRate: difference(curRates.deferralRate, prevRates.deferralRate),
  };
}

/** Dense chart arrays: every bucket of the range present, zero where nothing happened. */
export function toSeries(result: SeriesResult, range: RangeInfo): SeriesResponse {
  const { plan, rows } = result;
  const buckets: number[] = [];
  for (let b = plan.from; b < plan.to; b += plan.step) buckets.push(b);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const zeros = () => buckets.map(() => 0);
  const outcomes = {
    sent: zeros(),
    deferred: zeros(),
    bounced: zeros(),
    expired: zeros(),
    rejected: zeros(),
  };
  const classes = { temporary: zeros(), permanent: zeros() };
  for (const r of rows) {
    const i = index.get(r.bucket);
    if (i === undefined) continue;
    if (isOutcome(r.outcome)) outcomes[r.outcome][i]! += r.count;
    if (isDeliveryOutcome(r.outcome) && (r.class === 'temporary' || r.class === 'permanent'))
      classes[r.class][i]! += r.count;
  }
  return { range, step: plan.step, buckets, outcomes, classes };
}

/** Outcomes of deliveries: not rejects, nor what is counted apart (hops, waits, discards, notification copies). */
export const isDeliveryOutcome = (o: string): boolean => o !== 'rejected' && isOutcome(o);

/** Rows of deliveries and rejects only: those counted apart are not among a breakdown's failures. */
export const countedRows = (rows: readonly GroupRow[]): GroupRow[] =>
  rows.filter((r) => isOutcome(r.keys.outcome));

/** Per-key outcome counts (rows grouped by [key column, 'outcome']) ranked for "who hurts most". */
export function toTargets(
  rows: readonly GroupRow[],
  keyColumn: 'domain' | 'provider',
  topCauses: ReadonlyMap<string, string>,
  sort: TargetSort,
  limit: number,
  nameOf: (key: string) => string | null,
): TargetRow[] {
  const byKey = new Map<string, OutcomeCounts>();
  for (const r of rows) {
    const key = r.keys[keyColumn];
    if (key === '') continue;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = emptyCounts()));
    if (isOutcome(r.keys.outcome)) c[r.keys.outcome] += r.count;
  }
  // Inbound rejects name our own domains: a recipient domain or provider is ranked only on delivery attempts.
  const delivered = [...byKey].filter(([, c]) => c.sent + c.deferred + c.bounced + c.expired > 0);
  const out: TargetRow[] = delivered.map(([key, c]) => ({
    key,
    name: nameOf(key),
    ...c,
    ...ratesOf(c),
    total: c.sent + c.deferred + c.bounced + c.expired + c.rejected,
    failures: c.deferred + c.bounced + c.expired,
    topCause: topCauses.get(key) ?? null,
  }));
  const value = (t: TargetRow): number => t[sort] ?? -1;
  return out
    .sort((a, b) => value(b) - value(a) || b.failures - a.failures || a.key.localeCompare(b.key))
    .slice(0, limit);
}

/**
 * The most frequent failure cause per key, from rows grouped by [key column, 'cause'] and perhaps more columns: a
 * cause's rows are summed first, and a tie goes to the cause named first, so that both stores answer the same.
 */
export function topCauseByKey(
  rows: readonly GroupRow[],
  keyColumn: 'domain' | 'provider',
): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.keys.cause === '') continue;
    const key = r.keys[keyColumn];
    let byCause = counts.get(key);
    if (!byCause) counts.set(key, (byCause = new Map<string, number>()));
    byCause.set(r.keys.cause, (byCause.get(r.keys.cause) ?? 0) + r.count);
  }
  const top = new Map<string, string>();
  for (const [key, byCause] of counts) {
    let best: [string, number] | null = null;
    for (const [cause, count] of byCause) {
      if (!best || count > best[1] || (count === best[1] && cause < best[0])) best = [cause, count];
    }
    if (best) top.set(key, best[0]);
  }
  return top;
}

/**
 * Failure counts per key with the class split (rows grouped by [column, 'class']), biggest first, each with what
 * its key means (`titleOf`: a cause's title, a code's meaning).
 */
export function toBreakdown(
  rows: readonly GroupRow[],
  column: 'cause' | 'code' | 'domain',
  limit: number,
  titleOf: (key: string) => string | null = () => null,
  helpOf: (key: string) => string | null = () => null,
): BreakdownRow[] {
  const byKey = new Map<string, Omit<BreakdownRow, 'title' | 'help'>>();
  for (const r of rows) {
    const key = r.keys[column];
    if (key === '' || r.keys.class === 'success') continue;
    let b = byKey.get(key);
    if (!b) byKey.set(key, (b = { key, count: 0, temporary: 0, permanent: 0 }));
    b.count += r.count;
    if (r.keys.class === 'temporary') b.temporary += r.count;
    if (r.keys.class === 'permanent') b.permanent += r.count;
  }
  // Titles and help pages for the rows shown only.
  return [...byKey.values()]
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, limit)
    .map((b) => ({ ...b, title: titleOf(b.key), help: helpOf(b.key) }));
}
