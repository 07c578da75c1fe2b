/** Counting a batch's events into minute, hour and day rollup rows. */

import { describe, expect, it } from 'vitest';
import { createRollupCounter } from '../../../db/sqlite/write/rollup-counter.js';

const T = Date.UTC(2026, 10, 27, 23, 58, 30);
const MIN = 60_000;

/** Rows of 9 values as [bucket, domain, cause, count] for reading. */
const read = (rows: (string | number)[]) => {
  const out: [string, string, string, number][] = [];
  for (let i = 0; i < rows.length; i += 9)
    out.push([
      new Date(rows[i] as number).toISOString(),
      rows[i + 2] as string,
      rows[i + 6] as string,
      rows[i + 8] as number,
    ]);
  return out.sort((a, b) => (a.join() < b.join() ? -1 : 1));
};

describe('rollup counter', () => {
  it('counts per minute and folds minutes into hours and days, key by key', () => {
    const c = createRollupCounter();
    const add = (ts: number, domain: string, cause: string) =>
      c.add(ts, 'mx1', domain, 'google', 'deferred', 'temporary', cause, '4.7.28');
    add(T, 'gmail.com', 'rate-limit');
    add(T + 10_000, 'gmail.com', 'rate-limit');
    add(T + MIN, 'gmail.com', 'rate-limit'); // 23:59
    add(T + 2 * MIN, 'gmail.com', 'rate-limit'); // 00:00 the next day
    add(T + 2 * MIN, 'gmail.com', 'reputation-blocklist');
    add(T, 'googlemail.com', 'rate-limit');
    const rows = c.rows(T + 30_000); // minutes from 23:59 on
    expect(read(rows.minute)).toEqual([
      ['2026-11-27T23:59:00.000Z', 'gmail.com', 'rate-limit', 1],
      ['2026-11-28T00:00:00.000Z', 'gmail.com', 'rate-limit', 1],
      ['2026-11-28T00:00:00.000Z', 'gmail.com', 'reputation-blocklist', 1],
    ]);
    expect(read(rows.hour)).toEqual([
      ['2026-11-27T23:00:00.000Z', 'gmail.com', 'rate-limit', 3],
      ['2026-11-27T23:00:00.000Z', 'googlemail.com', 'rate-limit', 1],
      ['2026-11-28T00:00:00.000Z', 'gmail.com', 'rate-limit', 1],
      ['2026-11-28T00:00:00.000Z', 'gmail.com', 'reputation-blocklist', 1],
    ]);
    expect(read(rows.day)).toEqual([
      ['2026-11-27T00:00:00.000Z', 'gmail.com', 'rate-limit', 3],
      ['2026-11-27T00:00:00.000Z', 'googlemail.com', 'rate-limit', 1],
      ['2026-11-28T00:00:00.000Z', 'gmail.com', 'rate-limit', 1],
      ['2026-11-28T00:00:00.000Z', 'gmail.com', 'reputation-blocklist', 1],
    ]);
    expect(rows.minute.slice(0, 9)).toEqual([
      T + 30_000,
      'mx1',
      'gmail.com',
      'google',
      'deferred',
      'temporary',
      'rate-limit',
      '4.7.28',
      1,
    ]);
  });

  it('puts times before 1970 in the minute they belong to', () => {
    const c = createRollupCounter();
    c.add(-90_000, 'mx1', 'd', '', 'sent', 'success', '', '');
    expect(c.rows(-Infinity).minute[0]).toBe(-120_000);
  });
});
