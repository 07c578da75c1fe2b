/** Splits a time range into whole days, hours and minutes so aggregates read the coarsest rollup that fits. */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

type RollupTable = 'rollups_minute' | 'rollups_hour' | 'rollups_day';
/** Where a time segment is counted: a rollup table, or the raw rows for minutes older than the minute rollups. */
export type CountSource = RollupTable | 'raw';

export interface Segment {
  table: CountSource;
  /** Inclusive start bucket (unix ms). */
  from: number;
  /** Exclusive end bucket (unix ms). */
  to: number;
}

const floorTo = (t: number, size: number): number => t - (((t % size) + size) % size);
const ceilTo = (t: number, size: number): number => floorTo(t + size - 1, size);

/**
 * Covers [from, to) with minute precision: minutes up to the first hour boundary, hours up to the first day
 * boundary, whole days, then hours and minutes at the tail. `from` is floored and `to` ceiled to the minute,
 * so an event in the current minute is always counted. Minutes that start before `minuteFrom` (where minute
 * rollups end) are counted from the raw rows; there are at most two such partial hours.
 */
export function splitRange(from: number, to: number, minuteFrom = -Infinity): Segment[] {
  const start = floorTo(from, MINUTE);
  const end = ceilTo(to, MINUTE);
  if (end <= start) return [];
  const segments: Segment[] = [];
  const push = (table: CountSource, a: number, b: number) => {
    if (b > a) segments.push({ table, from: a, to: b });
  };
  const minutes = (a: number, b: number) => push(a < minuteFrom ? 'raw' : 'rollups_minute', a, b);
  const hourStart = Math.min(ceilTo(start, HOUR), end);
  const hourEnd = Math.max(floorTo(end, HOUR), hourStart);
  minutes(start, hourStart);
  if (hourEnd > hourStart) {
    const dayStart = Math.min(ceilTo(hourStart, DAY), hourEnd);
    const dayEnd = Math.max(floorTo(hourEnd, DAY), dayStart);
    push('rollups_hour', hourStart, dayStart);
    push('rollups_day', dayStart, dayEnd);
    push('rollups_hour', dayEnd, hourEnd);
  }
  minutes(hourEnd, end);
  return segments;
}

export interface SeriesPlan {
  table: CountSource;
  /** Width of one chart bucket in ms (a multiple of the table's bucket). */
  step: number;
  /** First bucket start and exclusive end, aligned to step. */
  from: number;
  to: number;
  /** Buckets are aligned to `origin + k * step` (a Monday for week-long buckets). */
  origin: number;
}

/** Monday 1970-01-05 00:00 UTC: week-long buckets start on Mondays, as the reports' weeks do. */
const WEEK_ORIGIN = 4 * DAY;
const WEEK = 7 * DAY;

/**
 * Picks the bucket width for a chart so a range gets between ~24 and ~400 points. A range at minute steps that
 * starts before `minuteFrom` (where minute rollups end) is counted from the raw rows: at most 12 hours of them.
 * Ranges of months and years read the day rollups in weeks, then in four-week buckets, so years of history
 * stay one chart of a few hundred bars.
 */
export function planSeries(from: number, to: number, minuteFrom = -Infinity): SeriesPlan {
  const span = to - from;
  let table: CountSource;
  let step: number;
  if (span <= 3 * HOUR) [table, step] = ['rollups_minute', MINUTE];
  else if (span <= 12 * HOUR) [table, step] = ['rollups_minute', 5 * MINUTE];
  else if (span <= 8 * DAY) [table, step] = ['rollups_hour', HOUR];
  else if (span <= 120 * DAY) [table, step] = ['rollups_day', DAY];
  else if (span <= 3 * 365 * DAY) [table, step] = ['rollups_day', WEEK];
  else [table, step] = ['rollups_day', 4 * WEEK];
  const origin = step % WEEK === 0 ? WEEK_ORIGIN : 0;
  const start = floorTo(from - origin, step) + origin;
  if (table === 'rollups_minute' && start < minuteFrom) table = 'raw';
  return { table, step, from: start, to: ceilTo(to - origin, step) + origin, origin };
}
