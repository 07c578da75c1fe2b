// Delay histograms: the fixed buckets (the same comparisons SQL makes) and the median and p95 read from them.
import { describe, expect, it } from 'vitest';
import { delayBucket, DELAY_BOUNDS } from '../../../db/store/delay-buckets.js';
import { delayFigures, delayQuantile, emptyCounts } from '../../../server/services/delay-quantiles.js';

describe('delay buckets', () => {
  it('put a delay at a bound in the bucket it starts, and the extremes at the ends', () => {
    expect(delayBucket(0)).toBe(0);
    expect(delayBucket(0.099)).toBe(0);
    expect(delayBucket(0.1)).toBe(1);
    expect(delayBucket(0.2)).toBe(5);
    expect(delayBucket(0.19999)).toBe(4);
    expect(delayBucket(10 * 86_400)).toBe(DELAY_BOUNDS.length);
    for (let i = 1; i < DELAY_BOUNDS.length; i++)
      expect(DELAY_BOUNDS[i]!).toBeGreaterThan(DELAY_BOUNDS[i - 1]!);
  });
});

describe('delay quantiles', () => {
  it('are null without deliveries', () => {
    expect(delayFigures(emptyCounts())).toEqual({ delivered: 0, p50: null, p95: null });
  });

  it('are within a tenth of the exact nearest-rank quantile, from a tenth of a second to days', () => {
    // A deterministic spread over six decades (xorshift), as real delays have.
    let x = 2463534242;
    const rnd = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    for (let trial = 0; trial < 20; trial++) {
      const values = Array.from({ length: 500 }, () => Number((0.1 * 10 ** (rnd() * 6)).toFixed(2)));
      const counts = emptyCounts();
      for (const v of values) counts[delayBucket(v)]!++;
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.95]) {
        const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
        const got = delayQuantile(counts, q)!;
        expect(got / exact).toBeGreaterThan(0.9);
        expect(got / exact).toBeLessThan(1.1);
      }
    }
  });
});
