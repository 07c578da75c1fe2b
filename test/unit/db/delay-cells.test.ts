// A delay histogram's packed counts (delay_hours, migration 0016): what is packed is read back, blobs add up in SQL
// as the writer's upsert and the reads add them, and a damaged blob is refused rather than misread.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  addDelayCounts,
  DELAY_BUCKETS,
  delayCountPairs,
  packDelayCounts,
} from '../../../db/sqlite/delay-cells.js';
import { registerFunctions } from '../../../db/sqlite/functions.js';

const histogram = (pairs: [number, number][]) => {
  const counts = new Array<number>(DELAY_BUCKETS).fill(0);
  for (const [b, n] of pairs) counts[b] = n;
  return counts;
};

describe('delay cells', () => {
  it('reads back every count, from one to past 2^21, buckets rising', () => {
    const pairs: [number, number][] = [
      [0, 1],
      [5, 127],
      [6, 128],
      [40, 3_000_000],
      [DELAY_BUCKETS - 1, 16_384],
    ];
    const blob = packDelayCounts(histogram(pairs));
    expect(blob.length).toBe(2 + 2 + 3 + 5 + 4);
    expect(delayCountPairs(blob)).toEqual(pairs);
    expect(packDelayCounts(histogram([])).length).toBe(0);
  });

  it('adds blobs up in SQL, in the upsert and in a group', () => {
    const db = new Database(':memory:');
    registerFunctions(db);
    const a = packDelayCounts(
      histogram([
        [3, 2],
        [9, 200],
      ]),
    );
    const b = packDelayCounts(
      histogram([
        [9, 56],
        [60, 1],
      ]),
    );
    const sum = [
      [3, 2],
      [9, 256],
      [60, 1],
    ];
    expect(delayCountPairs(db.prepare('SELECT bw_delay_add(?, ?)').pluck().get(a, b) as Buffer)).toEqual(sum);
    db.exec('CREATE TABLE t (counts BLOB)');
    db.prepare('INSERT INTO t VALUES (?), (?)').run(a, b);
    expect(delayCountPairs(db.prepare('SELECT bw_delay_sum(counts) FROM t').pluck().get() as Buffer)).toEqual(
      sum,
    );
    db.close();
  });

  it('refuses a blob cut short or naming a bucket that does not exist', () => {
    const counts = new Float64Array(DELAY_BUCKETS);
    expect(() => addDelayCounts(counts, Uint8Array.from([4, 0x80]))).toThrow('cut short');
    expect(() => addDelayCounts(counts, Uint8Array.from([DELAY_BUCKETS, 1]))).toThrow('bucket');
  });
});
