/** What the Reports page answers: the report of one ISO week, and the weeks that hold data. */

import type { StoreReader } from '../../db/store/reader.js';
import { HttpError } from '../http/errors.js';
import type { Report, ReportWeeksResponse } from '../http/contract/report.js';
import {
  addDays,
  civilDateOf,
  isoInZone,
  isoWeekMonday,
  isoWeekOf,
  lastFullWeek,
  parseIsoWeek,
  weekRange,
  type ReportRange,
} from '../report/week.js';
import type { Knowledge } from './knowledge.js';
import { buildReport } from './report-model.js';

/** At most this many weeks are listed for the week picker (about a year and a bit). */
const MAX_WEEKS = 60;

export interface ReportsService {
  /** The report of an ISO week (`2026-W47`), or of the last full week. */
  report(week: string | undefined): Promise<Report>;
  weeks(): Promise<ReportWeeksResponse>;
}

export interface ReportsDeps {
  reader: StoreReader;
  knowledge: Knowledge;
  now: () => number;
  /** IANA zone weeks are cut in. */
  timeZone: string;
}

export function createReportsService(deps: ReportsDeps): ReportsService {
  const { reader, knowledge, now, timeZone } = deps;

  const rangeFor = (week: string | undefined): ReportRange => {
    if (week === undefined) return lastFullWeek(now(), timeZone);
    const parsed = parseIsoWeek(week);
    if (!parsed) throw new HttpError(400, 'invalid-parameter', `week: ${week} is not a week of its year`);
    return weekRange(parsed.year, parsed.week, timeZone);
  };

  /** Every week from the first with data to the one holding the newest data (or now), oldest first. */
  const weeksOf = (span: { from: number; to: number }) => {
    const weeks: ReportWeeksResponse['weeks'] = [];
    const first = isoWeekOf(civilDateOf(span.from, timeZone));
    let monday = isoWeekMonday(first.year, first.week);
    const last = isoWeekOf(civilDateOf(Math.min(span.to - 1, now()), timeZone));
    const end = weekRange(last.year, last.week, timeZone).to;
    while (weeks.length < 10_000) {
      const w = isoWeekOf(monday);
      const range = weekRange(w.year, w.week, timeZone);
      if (range.from >= end) break;
      weeks.push({
        week: range.label,
        from: isoInZone(range.from, timeZone),
        to: isoInZone(range.to, timeZone),
      });
      monday = addDays(monday, 7);
    }
    return weeks;
  };

  return {
    report: (week) => buildReport(reader, rangeFor(week), { now: now(), timeZone, knowledge }),
    async weeks() {
      const span = await reader.dataSpan();
      return {
        timeZone,
        defaultWeek: lastFullWeek(now(), timeZone).label,
        weeks: (span ? weeksOf(span) : []).reverse().slice(0, MAX_WEEKS),
      };
    },
  };
}
