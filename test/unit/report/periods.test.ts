// Long periods are shown per ISO week in md and html; short ones per day.
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../../server/http/contract/report.js';
import { MAX_DAYS_SHOWN, shownPeriods } from '../../../server/report/periods.js';
import { addDays, formatCivil } from '../../../server/report/week.js';

function days(n: number): SeriesPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const date = formatCivil(addDays({ year: 2026, month: 11, day: 2 }, i));
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
});
