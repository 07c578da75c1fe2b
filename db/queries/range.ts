/** Splits a time range into whole days, hours and minutes so aggregates read the coarsest rollup that fits. */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export type RollupTable = 'rollups_minute' | 'rollups_hour' | 'rollups_day';

export interface Segment {
  table: RollupTable;
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
 * so an event in the current minute is always counted.
 */
export function splitRange(from: number, to: number): Segment[] {
  const start = floorTo(from, MINUTE);
  const end = ceilTo(to, MINUTE);
  if (end <= start) return [];
  const segments: Segment[] = [];
  const push = (table: RollupTable, a: number, b: number) => {
    if (b > a) segments.push({ table, from: a, to: b });
  };
  const hourStart = Math.min(ceilTo(start, HOUR), end);
  const hourEnd = Math.max(floorTo(end, HOUR), hourStart);
  push('rollups_minute', start, hourStart);
  if (hourEnd > hourStart) {
    const dayStart = Math.min(ceilTo(hourStart, DAY), hourEnd);
    const dayEnd = Math.max(floorTo(hourEnd, DAY), dayStart);
    push('rollups_hour', hourStart, dayStart);
    push('rollups_day', dayStart, dayEnd);
    push('rollups_hour', dayEnd, hourEnd);
  }
  push('rollups_minute', hourEnd, end);
  return segments;
}

export interface SeriesPlan {
  table: RollupTable;
  /** Width of one chart bucket in ms (a multiple of the table's bucket). */
  step: number;
  /** First bucket start and exclusive end, aligned to step. */
  from: number;
  to: number;
}

/** Picks the bucket width for a chart so a range gets between ~24 and ~400 points. */
export function planSeries(from: number, to: number): SeriesPlan {
  const span = to - from;
  let table: RollupTable;
  let step: number;
  if (span <= 3 * HOUR) [table, step] = ['rollups_minute', MINUTE];
  else if (span <= 12 * HOUR) [table, step] = ['rollups_minute', 5 * MINUTE];
  else if (span <= 8 * DAY) [table, step] = ['rollups_hour', HOUR];
  else if (span <= 120 * DAY) [table, step] = ['rollups_day', DAY];
  else [table, step] = ['rollups_day', 7 * DAY];
  return { table, step, from: floorTo(from, step), to: ceilTo(to, step) };
}
