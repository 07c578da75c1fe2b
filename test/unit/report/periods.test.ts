// Long periods are shown per ISO week in md and html; short ones per day.
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../../server/http/contract/report.js';
import {
  leftOutNote,
  MAX_DAYS_SHOWN,
  periodsWithEvents,
  shownPeriods,
} from '../../../server/report/periods.js';
import { addDays, formatCivil } from '../../../server/report/week.js';

function days(
  n: number,
  start = { year: 2026, month: 11, day: 2 },
  busy: (i: number) => boolean = () => true,
): SeriesPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const date = formatCivil(addDays(start, i));
    if (!busy(i))
      return {
        date,
        from: `${date}T00:00:00+00:00`,
        sent: 0,
        deferred: 0,
        bounced: 0,
        expired: 0,
        rejected: 0,
        temporary: 0,
        permanent: 0,
      };
    return {
      date,
      from: `${date}T00:00:00+00:00`,
      sent: 10,
      deferred: i,
      bounced: 1,
      expired: 0,
      rejected: 2,
      temporary: i,
      permanent: 1,
    };
  });
}

describe('shownPeriods', () => {
  it('keeps days up to the limit', () => {
    const shown = shownPeriods(days(MAX_DAYS_SHOWN));
    expect(shown.unit).toBe('day');
    expect(shown.periods).toHaveLength(MAX_DAYS_SHOWN);
    expect(shown.periods[0]).toMatchObject({ label: '2026-11-02', sent: 10 });
  });

  it('sums longer periods per ISO week, keeping every count', () => {
    const input = days(40); // Monday 2026-11-02 onwards: 5 full weeks and 5 days
    const shown = shownPeriods(input);
    expect(shown.unit).toBe('week');
    expect(shown.periods.map((p) => p.label)).toEqual([
      '2026-W45',
      '2026-W46',
      '2026-W47',
      '2026-W48',
      '2026-W49',
      '2026-W50',
    ]);
    expect(shown.periods[0]).toMatchObject({ sent: 70, deferred: 0 + 1 + 2 + 3 + 4 + 5 + 6, rejected: 14 });
    expect(shown.periods.at(-1)).toMatchObject({ sent: 50 });
    for (const k of ['sent', 'deferred', 'bounced', 'rejected', 'temporary', 'permanent'] as const) {
      expect(shown.periods.reduce((n, p) => n + p[k], 0)).toBe(input.reduce((n, d) => n + d[k], 0));
    }
  });

  it('keeps the year out of short labels unless the days span two years', () => {
    expect(shownPeriods(days(3)).periods.map((p) => p.short)).toEqual(['11-02', '11-03', '11-04']);
    const turn = shownPeriods(days(3, { year: 2025, month: 12, day: 31 }));
    expect(turn.periods.map((p) => p.short)).toEqual(['2025-12-31', '2026-01-01', '2026-01-02']);
    expect(shownPeriods(days(40)).periods[0]!.short).toBe('W45');
  });

  it('sums months beyond half a year, and a table lists only the periods with events', () => {
    // Nearly two years in which only one week (days 100 to 106) saw mail: the "report --all" of an old import.
    const input = days(700, { year: 2024, month: 12, day: 1 }, (i) => i >= 100 && i < 107);
    const shown = shownPeriods(input);
    expect(shown.unit).toBe('month');
    expect(shown.periods).toHaveLength(23);
    expect(shown.periods[0]).toMatchObject({ label: '2024-12', short: '2024-12' });
    const { rows, left } = periodsWithEvents(shown.periods);
    expect(rows.map((p) => p.label)).toEqual(['2025-03']);
    expect(rows[0]).toMatchObject({ sent: 70 });
    expect(left).toBe(22);
    expect(leftOutNote(shown.unit, left)).toBe('22 months without any event are not listed.');
    expect(leftOutNote('week', 1)).toBe('1 week without any event is not listed.');
  });
});
