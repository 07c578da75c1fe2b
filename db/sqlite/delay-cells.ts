/**
 * A delay histogram's counts as one blob (delay_hours, migration 0016): for each bucket with a count, in rising
 * order, its number in one byte and the count as a varint of 7 bits a byte. A cell of a few deliveries takes a few
 * bytes where a row per bucket repeated its hour, host, domain and provider.
 */

import { DELAY_BOUNDS } from '../store/delay-buckets.js';

/** Buckets of a histogram: under the first bound, then one from each bound on. */
export const DELAY_BUCKETS = DELAY_BOUNDS.length + 1;

/** The blob of a histogram's counts (an array of DELAY_BUCKETS counts). */
export function packDelayCounts(counts: ArrayLike<number>): Buffer {
  const bytes: number[] = [];
  for (let b = 0; b < DELAY_BUCKETS; b++) {
    let n = counts[b] ?? 0;
    if (n <= 0) continue;
    bytes.push(b);
    while (n >= 0x80) {
      bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    bytes.push(n);
  }
  // A Buffer, which better-sqlite3 binds as a blob.
  return Buffer.from(bytes);
}

/** Adds a blob's counts into `counts` (DELAY_BUCKETS long); a blob that is cut short or names no bucket is refused. */
export function addDelayCounts(counts: number[] | Float64Array, blob: Uint8Array): void {
  let i = 0;
  while (i < blob.length) {
    const b = blob[i++]!;
    if (b >= DELAY_BUCKETS) throw new Error(`delay histogram names bucket ${b} of ${DELAY_BUCKETS}`);
    let n = 0;
    let scale = 1;
    for (;;) {
      if (i >= blob.length) throw new Error('delay histogram cut short');
      const byte = blob[i++]!;
      n += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    counts[b] = (counts[b] ?? 0) + n;
  }
}

/** The (bucket, count) pairs of a blob, buckets rising. */
export function delayCountPairs(blob: Uint8Array): [bucket: number, count: number][] {
  const counts = new Float64Array(DELAY_BUCKETS);
  addDelayCounts(counts, blob);
  const pairs: [number, number][] = [];
  for (let b = 0; b < DELAY_BUCKETS; b++) if (counts[b]! > 0) pairs.push([b, counts[b]!]);
  return pairs;
}
