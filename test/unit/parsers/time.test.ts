import { afterAll, describe, expect, it } from 'vitest';
import { localToMs } from '../../../parsers/time.js';

/** What Date says a wall-clock time in the process zone is (the reference localToMs must agree with). */
function dateMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(2000, mo, d, h, mi, s, ms);
  date.setFullYear(y, mo, d);
  return date.getTime();
}

const savedTz = process.env.TZ;
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('local times in the process zone', () => {
  // Each zone's 2026 shifts: an hour forward and back, New York's at other dates, Lord Howe's half hour.
  const cases: [string, [number, number][]][] = [
    [
      'Europe/Berlin',
      [
        [2, 29],
        [9, 25],
      ],
    ],
    [
      'America/New_York',
      [
        [2, 8],
        [10, 1],
      ],
    ],
    [
      'Australia/Lord_Howe',
      [
        [3, 5],
        [9, 4],
      ],
    ],
  ];
  for (const [zone, days] of cases) {
    it(`agrees with Date minute by minute across the shifts of ${zone}`, () => {
      process.env.TZ = zone;
      const ctx = { referenceMs: Date.UTC(2026, 11, 1) };
      let checked = 0;
      for (const [month, day] of days) {
        for (let d = day - 1; d <= day + 1; d++) {
          for (let h = 0; h < 24; h++) {
            for (let mi = 0; mi < 60; mi++) {
              const s = (mi * 7) % 60;
              const got = localToMs(ctx, 2026, month, d, h, mi, s, 250);
              const want = dateMs(2026, month, d, h, mi, s, 250);
              if (got !== want)
                expect({ zone, month, d, h, mi, s, got }).toEqual({ zone, month, d, h, mi, s, got: want });
              checked++;
            }
          }
        }
      }
      expect(checked).toBe(days.length * 3 * 24 * 60);
    });
  }

  it('takes a leap second and out-of-range parts the way Date does', () => {
    process.env.TZ = 'Europe/Berlin';
    const ctx = { referenceMs: Date.UTC(2026, 11, 1) };
    expect(localToMs(ctx, 2026, 5, 30, 23, 59, 60, 0)).toBe(dateMs(2026, 5, 30, 23, 59, 60, 0));
    expect(localToMs(ctx, 2026, 1, 30, 10, 0, 0, 0)).toBe(dateMs(2026, 1, 30, 10, 0, 0, 0));
    expect(localToMs(ctx, 26, 0, 2, 10, 0, 0, 0)).toBe(dateMs(26, 0, 2, 10, 0, 0, 0));
  });
});
