// The memo of closed rollup ranges: bounded by the bytes it holds, oldest first, whatever the width of its rows.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import {
  estimateBytes,
  memoClosed,
  ROLLUP_CACHE_MAX_BYTES,
  rollupCacheBytes,
} from '../../../db/sqlite/read/rollup-cache.js';

const NOW = Date.UTC(2026, 11, 8, 12);

/** Rows as wide as a domain x cause x code grouping of a busy month. */
function wideRows(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-domain-${i}.example\u0000recipient-unknown\u00005.1.1`,
    keys: { domain: `${tag}-domain-${i}.example`, cause: 'recipient-unknown', code: '5.1.1' },
    count: i,
  }));
}

describe('memo of closed rollup ranges', () => {
  it('estimates more bytes for longer texts and more rows', () => {
    expect(estimateBytes('x'.repeat(100))).toBeGreaterThan(estimateBytes('x'));
    expect(estimateBytes(wideRows(2000, 'a'))).toBeGreaterThan(estimateBytes(wideRows(1000, 'a')) * 1.9);
    expect(estimateBytes(wideRows(1000, 'a-much-longer-tag'))).toBeGreaterThan(
      estimateBytes(wideRows(1000, 'a')),
    );
  });

  it('keeps no more than its byte budget, forgetting the oldest entries first', () => {
    const db = openDatabase({ file: ':memory:' });
    const perEntry = estimateBytes(wideRows(20_000, 'k00'));
    const entries = Math.ceil((2 * ROLLUP_CACHE_MAX_BYTES) / perEntry);
    const computed = new Map<string, number>();
    const read = (key: string) =>
      memoClosed(db, key, NOW - 1, NOW, () => {
        computed.set(key, (computed.get(key) ?? 0) + 1);
        return wideRows(20_000, key);
      });
    const keys = Array.from({ length: entries }, (_, i) => `k${String(i).padStart(2, '0')}`);
    for (const key of keys) read(key);
    expect(rollupCacheBytes(db)).toBeLessThanOrEqual(ROLLUP_CACHE_MAX_BYTES);
    expect(rollupCacheBytes(db)).toBeGreaterThan(ROLLUP_CACHE_MAX_BYTES / 2);
    // The newest is read back from the memo, the oldest is read again.
    read(keys[keys.length - 1]!);
    read(keys[0]!);
    expect(computed.get(keys[keys.length - 1]!)).toBe(1);
    expect(computed.get(keys[0]!)).toBe(2);
    db.close();
  });

  it('does not keep one value past half its budget, and still answers it', () => {
    const db = openDatabase({ file: ':memory:' });
    const rows = Math.ceil(ROLLUP_CACHE_MAX_BYTES / estimateBytes(wideRows(1, 'big')));
    let computed = 0;
    const read = () =>
      memoClosed(db, 'big', NOW - 1, NOW, () => {
        computed++;
        return wideRows(rows, 'big');
      });
    expect(read()).toHaveLength(rows);
    expect(read()).toHaveLength(rows);
    expect(computed).toBe(2);
    expect(rollupCacheBytes(db)).toBe(0);
    db.close();
  });
});
