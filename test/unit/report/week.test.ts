// ISO weeks, local days and --from/--to parsing in named time zones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysOf,
  isoInZone,
  offsetMinutes,
  wallClock,
  isoWeekMonday,
  isoWeekOf,
  isoWeeksInYear,
  lastFullWeek,
  parseIsoWeek,
  parseTimeArg,
  previousRange,
  weekRange,
  zonedToUtc,
} from '../../../server/report/week.js';

describe('ISO weeks', () => {
  it.each([
    [{ year: 2026, month: 11, day: 16 }, 2026, 47],
    [{ year: 2026, month: 11, day: 22 }, 2026, 47],
    [{ year: 2021, month: 1, day: 3 }, 2020, 53],
    [{ year: 2024, month: 12, day: 30 }, 2025, 1],
    [{ year: 2026, month: 1, day: 1 }, 2026, 1],
    [{ year: 2027, month: 1, day: 3 }, 2026, 53],
  ])('%o is in %i-W%i', (date, year, week) => {
    expect(isoWeekOf(date)).toEqual({ year, week });
  });

  it('knows 52 and 53-week years', () => {
    expect([2020, 2021, 2025, 2026, 2027].map(isoWeeksInYear)).toEqual([53, 52, 52, 53, 52]);
  });

  it.each([
    ['2026-W47', { year: 2026, week: 47 }],
    ['2026w01', { year: 2026, week: 1 }],
    ['2026-W53', { year: 2026, week: 53 }],
    ['2025-W53', null],
    ['2026-W00', null],
    ['0000-W01', null],
    ['1969-W52', null],
    ['2026-47', null],
    ['W47', null],
  ])('parses %s', (text, expected) => {
    expect(parseIsoWeek(text)).toEqual(expected);
  });

  it('round-trips every Monday of a week', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 53 }), (year, week) => {
        fc.pre(week <= isoWeeksInYear(year));
        const monday = isoWeekMonday(year, week);
        expect(isoWeekOf(monday)).toEqual({ year, week });
        expect(isoWeekOf(addDays(monday, 6))).toEqual({ year, week });
        expect(new Date(Date.UTC(monday.year, monday.month - 1, monday.day)).getUTCDay()).toBe(1);
      }),
    );
  });
});

describe('week ranges in a time zone', () => {
  it('runs from local Monday midnight to the next', () => {
    const r = weekRange(2026, 47, 'Europe/Berlin');
    expect(isoInZone(r.from, 'Europe/Berlin')).toBe('2026-11-16T00:00:00+01:00');
    expect(isoInZone(r.to, 'Europe/Berlin')).toBe('2026-11-23T00:00:00+01:00');
    expect(new Date(r.from).toISOString()).toBe('2026-11-15T23:00:00.000Z');
  });

  it('is an hour short across a spring DST change, with 7 local days', () => {
    const r = weekRange(2026, 13, 'Europe/Berlin');
    expect(r.to - r.from).toBe(7 * 86_400_000 - 3_600_000);
    const days = daysOf(r.from, r.to, 'Europe/Berlin');
    expect(days.map((d) => d.date)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(days.at(-1)!.to - days.at(-1)!.from).toBe(23 * 3_600_000);
  });

  it('handles half-hour zones and a day that starts at 01:00', () => {
    expect(isoInZone(weekRange(2026, 47, 'Asia/Kolkata').from, 'Asia/Kolkata')).toBe(
      '2026-11-16T00:00:00+05:30',
    );
    // Chile moves its clocks at midnight: 2026-09-06 starts at 01:00.
    expect(
      isoInZone(zonedToUtc({ year: 2026, month: 9, day: 6 }, 'America/Santiago'), 'America/Santiago'),
    ).toBe('2026-09-06T01:00:00-03:00');
  });

  it('picks the last full week at any moment of the current one', () => {
    for (const now of [
      '2026-11-23T00:30:00+01:00',
      '2026-11-28T12:00:00+01:00',
      '2026-11-29T23:59:00+01:00',
    ]) {
      expect(lastFullWeek(Date.parse(now), 'Europe/Berlin').label).toBe('2026-W47');
    }
    expect(lastFullWeek(Date.parse('2026-11-22T23:30:00Z'), 'UTC').label).toBe('2026-W46');
    expect(lastFullWeek(Date.parse('2026-01-07T10:00:00Z'), 'UTC').label).toBe('2026-W01');
    expect(lastFullWeek(Date.parse('2026-01-02T10:00:00Z'), 'UTC').label).toBe('2025-W52');
  });

  it('compares a week with the ISO week before, across the new year', () => {
    expect(previousRange(weekRange(2026, 1, 'UTC'), 'UTC').label).toBe('2025-W52');
    expect(previousRange(weekRange(2027, 1, 'UTC'), 'UTC').label).toBe('2026-W53');
  });

  it('compares a custom range with the same length before it', () => {
    const from = Date.parse('2026-11-16T00:00:00Z');
    const to = Date.parse('2026-11-19T00:00:00Z');
    const prev = previousRange({ from, to, label: 'x', kind: 'custom' }, 'UTC');
    expect([prev.from, prev.to]).toEqual([Date.parse('2026-11-13T00:00:00Z'), from]);
    expect(prev.label).toBe('2026-11-13 to 2026-11-15');
  });
});

describe('--from / --to values', () => {
  it.each([
    ['2026-11-16', false, '2026-11-15T23:00:00.000Z'],
    ['2026-11-22', true, '2026-11-22T23:00:00.000Z'],
    ['2026-11-16T08:30', false, '2026-11-16T07:30:00.000Z'],
    ['2026-11-16 08:30:15', true, '2026-11-16T07:30:15.000Z'],
    ['2026-11-16T08:30Z', false, '2026-11-16T08:30:00.000Z'],
    ['2026-11-16T08:30:00-05:00', false, '2026-11-16T13:30:00.000Z'],
  ])('%s (end %s) is %s', (text, end, iso) => {
    expect(new Date(parseTimeArg(text, 'Europe/Berlin', end)!).toISOString()).toBe(iso);
  });

  it.each(['2026-02-30', '2026-13-01', 'yesterday', '2026-11-16T25:00', '16.11.2026', ''])(
    'refuses %s',
    (text) => {
      expect(parseTimeArg(text, 'UTC', false)).toBeNull();
    },
  );
});

describe('isoInZone', () => {
  it("reads the same as the zone's wall clock and offset, across DST changes and odd offsets", () => {
    const zones = [
      'Europe/Berlin',
      'America/Santiago',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'America/New_York',
      'UTC',
    ];
    const pad = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const w = wallClock(ms, zone);
          const off = offsetMinutes(ms, zone);
          const sign = off < 0 ? '-' : '+';
          const expected =
            `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
            `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
          expect(isoInZone(ms, zone)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
    // The minutes around Berlin's change back to winter time: 03:00 CEST is 02:00 CET again.
    const change = Date.UTC(2026, 9, 25, 1, 0, 0);
    expect(isoInZone(change - 1000, 'Europe/Berlin')).toBe('2026-10-25T02:59:59+02:00');
    expect(isoInZone(change, 'Europe/Berlin')).toBe('2026-10-25T02:00:00+01:00');
  });
});
