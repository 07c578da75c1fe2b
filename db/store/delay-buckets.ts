/**
 * Fixed log-scale buckets of delivery delays (seconds), shared by both stores and the services: four to an octave
 * from 0.1 s to about ten days, so a median or p95 read from the counts is within a few percent of the exact one.
 * Each bound is rounded to three digits, so SQL (PostgreSQL's width_bucket) and JavaScript compare the same numbers.
 */

const PER_OCTAVE = 4;
const OCTAVES = 23;

/** Lower bounds of buckets 1..N; bucket 0 holds delays under the first bound. */
export const DELAY_BOUNDS: readonly number[] = Array.from({ length: OCTAVES * PER_OCTAVE + 1 }, (_, i) =>
  Number((0.1 * 2 ** (i / PER_OCTAVE)).toPrecision(3)),
);

/** The bucket of a delay: how many bounds are at or below it (a binary search, no allocation). */
export function delayBucket(seconds: number): number {
  let lo = 0;
  let hi = DELAY_BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (DELAY_BOUNDS[mid]! <= seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Delivered recipients of one key (domain, provider, or '' for all) in one bucket of delay, from time `t` on. */
export interface DelayCountRow {
  key: string;
  t: number;
  bucket: number;
  count: number;
}

/** Which delays a read sums: per recipient domain, per provider, or all together (key ''). */
export interface DelayQuery {
  by: 'domain' | 'provider' | null;
  /** Only this domain or provider. */
  key?: string | null;
  /** Rows per `step` ms from the range's start (t); without it, one t (the range's start) per key. */
  step?: number | null;
  host?: string | null;
}
