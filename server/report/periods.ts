/**
 * The per-day figures as md and html show them: days for a short period, ISO weeks for a few months, calendar
 * months beyond (a report of all data must not be hundreds of rows); the year in each label once they span two.
 */

import type { SeriesPoint } from '../http/contract/report.js';
import { formatIsoWeek, isoWeekOf } from './week.js';

/** Longer periods are shown per ISO week so tables and charts stay readable (json keeps every day). */
export const MAX_DAYS_SHOWN = 35;
/** Longer still, per calendar month. */
const MAX_WEEKS_SHOWN = 26;

export type PeriodUnit = 'day' | 'week' | 'month';

export interface ShownPeriod extends Omit<SeriesPoint, 'from'> {
  /** `2026-11-16`, `2026-W47` or `2026-11`. */
  label: string;
  /** The short label under a chart's bar: without the year unless the periods span more than one. */
  short: string;
}

const COUNT_KEYS = ['sent', 'deferred', 'bounced', 'expired', 'rejected', 'temporary', 'permanent'] as const;

export function shownPeriods(days: readonly SeriesPoint[]): { unit: PeriodUnit; periods: ShownPeriod[] } {
  const years = new Set(days.map((d) => d.date.slice(0, 4)));
  const withYear = years.size > 1;
  if (days.length <= MAX_DAYS_SHOWN) {
    return {
      unit: 'day',
      periods: days.map((d) => ({
        ...withoutFrom(d),
        label: d.date,
        short: withYear ? d.date : d.date.slice(5),
      })),
    };
  }
  const unit: PeriodUnit = days.length <= MAX_WEEKS_SHOWN * 7 ? 'week' : 'month';
  const groups = new Map<string, ShownPeriod>();
  for (const d of days) {
    const [year, month, day] = d.date.split('-').map(Number) as [number, number, number];
    let label: string;
    if (unit === 'week') {
      const w = isoWeekOf({ year, month, day });
      label = formatIsoWeek(w.year, w.week);
    } else label = d.date.slice(0, 7);
    const group = groups.get(label);
    if (!group) {
      const short = withYear ? label : unit === 'week' ? label.slice(5) : label;
      groups.set(label, { ...withoutFrom(d), label, short });
      continue;
    }
    for (const k of COUNT_KEYS) group[k] += d[k];
  }
  return { unit, periods: [...groups.values()] };
}

/** The periods a table lists: those with any event; and how many without one it leaves out. */
export function periodsWithEvents(periods: readonly ShownPeriod[]): { rows: ShownPeriod[]; left: number } {
  const rows = periods.filter((p) => COUNT_KEYS.some((k) => p[k] > 0));
  return { rows, left: periods.length - rows.length };
}

/** "3 weeks without any event are not listed." */
export function leftOutNote(unit: PeriodUnit, left: number): string {
  return left === 0
    ? ''
    : `${left} ${unit}${left === 1 ? '' : 's'} without any event ${left === 1 ? 'is' : 'are'} not listed.`;
}

function withoutFrom(d: SeriesPoint): Omit<SeriesPoint, 'from'> {
  return {
    date: d.date,
    sent: d.sent,
    deferred: d.deferred,
    bounced: d.bounced,
    expired: d.expired,
    rejected: d.rejected,
    temporary: d.temporary,
    permanent: d.permanent,
  };
}
