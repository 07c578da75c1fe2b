/** What the Reports page answers: the report of one ISO week, and the weeks that hold data. */

import type { StoreReader } from '../../db/store/reader.js';
import type { TriageReader } from '../../db/store/triage.js';
import { HttpError } from '../http/errors.js';
import type { Report, ReportWeeksResponse } from '../http/contract/report.js';
import {
  civilDateOf,
  formatIsoWeek,
  isoInZone,
  isoWeekOf,
  lastFullWeek,
  parseIsoWeek,
  weekRange,
  type ReportRange,
} from '../report/week.js';
import type { WarningLike } from '../mta/warning-shapes.js';
import type { Knowledge } from './knowledge.js';
import type { OwnDomainsConfig } from './own-domains.js';
import { buildReport } from './report-model.js';

const DAY_MS = 86_400_000;

/** At most this many weeks are listed for the week picker (ten years of weekly data). */
const MAX_WEEKS = 520;

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
  /** The config's own domains (default: none named). */
  ownDomains?: OwnDomainsConfig;
  /** The store's triage facts, for the Senders and Server sections. */
  triage: TriageReader;
  /** Exim's paniclog lines as last read (none when it is not read). */
  panics?: () => readonly WarningLike[];
}

export function createReportsService(deps: ReportsDeps): ReportsService {
  const { reader, knowledge, now, timeZone } = deps;
  const ownDomains = deps.ownDomains ?? { ownDomains: [] };

  const rangeFor = (week: string | undefined): ReportRange => {
    if (week === undefined) return lastFullWeek(now(), timeZone);
    const parsed = parseIsoWeek(week);
    if (!parsed) throw new HttpError(400, 'invalid-parameter', `week: ${week} is not a week of its year`);
    return weekRange(parsed.year, parsed.week, timeZone);
  };

  /** The ISO weeks (in the report's zone) that hold any event, newest first. */
  const weeksWithData = async (): Promise<ReportWeeksResponse['weeks']> => {
    const all = { from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER };
    const labels = new Set<string>();
    const weekOf = (ms: number) => {
      const w = isoWeekOf(civilDateOf(ms, timeZone));
      return formatIsoWeek(w.year, w.week);
    };
    for (const day of await reader.bucketsWithData('day', all)) {
      const first = weekOf(day);
      const last = weekOf(day + DAY_MS - 1);
      if (first === last) labels.add(first);
      // A UTC day across the zone's Monday midnight: its hours say on which side the events were.
      else
        for (const hour of await reader.bucketsWithData('hour', { from: day, to: day + DAY_MS }))
          labels.add(weekOf(hour));
    }
    return [...labels]
      .sort()
      .reverse()
      .slice(0, MAX_WEEKS)
      .map((label) => {
        const { year, week } = parseIsoWeek(label)!;
        const range = weekRange(year, week, timeZone);
        return { week: label, from: isoInZone(range.from, timeZone), to: isoInZone(range.to, timeZone) };
      });
  };

  return {
    report: (week) =>
      buildReport(reader, rangeFor(week), {
        now: now(),
        timeZone,
        knowledge,
        ownDomains,
        triage: deps.triage,
        panics: deps.panics?.() ?? [],
      }),
    async weeks() {
      const weeks = await weeksWithData();
      // The last full week when it holds data (a live server), else the newest week that does (an old import).
      const lastFull = lastFullWeek(now(), timeZone).label;
      const newestFull = weeks.find((w) => w.week <= lastFull)?.week;
      return {
        timeZone,
        defaultWeek: newestFull === lastFull ? lastFull : (weeks[0]?.week ?? lastFull),
        weeks,
      };
    },
  };
}
