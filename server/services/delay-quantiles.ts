/** Median and p95 from delay histograms (db/store/delay-buckets.ts): pure functions over bucket counts. */

import { DELAY_BOUNDS, type DelayCountRow } from '../../db/store/delay-buckets.js';
import type { DelayFigures } from '../http/contract/delays.js';

const BUCKETS = DELAY_BOUNDS.length + 1;

/** What a bucket stands for: the geometric middle of its bounds (half the first bound below it, the last bound above). */
function bucketValue(bucket: number): number {
  const lower = DELAY_BOUNDS[bucket - 1];
  const upper = DELAY_BOUNDS[bucket];
  if (lower === undefined) return DELAY_BOUNDS[0]! / 2;
  if (upper === undefined) return lower;
  return Number(Math.sqrt(lower * upper).toPrecision(3));
}

/** The q-quantile (0 < q <= 1) by nearest rank, or null for no counts. */
export function delayQuantile(counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let b = 0; b < counts.length; b++) total += counts[b]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b]!;
    if (seen >= rank) return bucketValue(b);
  }
  return bucketValue(counts.length - 1);
}

export function delayFigures(counts: ArrayLike<number>): DelayFigures {
  let delivered = 0;
  for (let b = 0; b < counts.length; b++) delivered += counts[b]!;
  return { delivered, p50: delayQuantile(counts, 0.5), p95: delayQuantile(counts, 0.95) };
}

export const emptyCounts = (): number[] => new Array<number>(BUCKETS).fill(0);

/** Bucket counts per key (or per key and time, with `byTime`), summed from the store's rows. */
export function histogramsOf(rows: readonly DelayCountRow[], byTime = false): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const k = byTime ? String(r.t) : r.key;
    let counts = out.get(k);
    if (!counts) {
      counts = emptyCounts();
      out.set(k, counts);
    }
    if (r.bucket >= 0 && r.bucket < BUCKETS) counts[r.bucket]! += r.count;
  }
  return out;
}
