/** The per-day figures as md and html show them: days for a short period, ISO weeks for a long one. */

import type { SeriesPoint } from '../http/contract/report.js';
import { formatIsoWeek, isoWeekOf } from './week.js';

/** Longer periods are shown per ISO week so tables and charts stay readable (json keeps every day). */
export const MAX_DAYS_SHOWN = 35;

export interface ShownPeriod extends Omit<SeriesPoint, 'from'> {
  /** `2026-11-16`, or `2026-W47` when grouped by week. */
  label: string;
}

export function shownPeriods(days: readonly SeriesPoint[]): { unit: 'day' | 'week'; periods: ShownPeriod[] } {
  if (days.length <= MAX_DAYS_SHOWN) {
    return { unit: 'day', periods: days.map((d) => ({ ...withoutFrom(d), label: d.date })) };
  }
  const weeks = new Map<string, ShownPeriod>();
  for (const d of days) {
    const [year, month, day] = d.date.split('-').map(Number) as [number, number, number];
    const w = isoWeekOf({ year, month, day });
    const label = formatIsoWeek(w.year, w.week);
    const week = weeks.get(label);
    if (!week) {
      weeks.set(label, { ...withoutFrom(d), label });
      continue;
    }
    for (const k of [
      'sent',
      'deferred',
      'bounced',
      'expired',
      'rejected',
      'temporary',
      'permanent',
    ] as const) {
      week[k] += d[k];
    }
  }
  return { unit: 'week', periods: [...weeks.values()] };
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
