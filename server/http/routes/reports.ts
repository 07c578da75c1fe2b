/** The weekly report over HTTP, for the dashboard's Reports page: one ISO week as json or a self-contained html page. */

import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../db/sqlite/open.js';
import { dataSpan } from '../../../db/queries/report.js';
import { buildReport } from '../../report/build.js';
import { defaultDescriber } from '../../report/default-describer.js';
import type { Describer } from '../../report/describe.js';
import { renderReport } from '../../report/render.js';
import {
  addDays,
  civilDateOf,
  isoInZone,
  isoWeekOf,
  isoWeekMonday,
  lastFullWeek,
  parseIsoWeek,
  serverTimeZone,
  weekRange,
  type ReportRange,
} from '../../report/week.js';
import { httpError } from '../errors.js';
import { parseInput } from '../params.js';

export interface ReportsDeps {
  db: Db;
  now: () => number;
  /** IANA zone weeks are cut in (default: the server's). */
  timeZone?: string;
  describe?: Describer;
}

const reportQuery = z.strictObject({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'expected an ISO week like 2026-W47')
    .optional(),
  format: z.enum(['json', 'html', 'md', 'csv']).optional().default('json'),
});

/** The page a report renders to may show attacker-written text: it gets no scripts, no requests, no forms. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

/** At most this many weeks are listed for the week picker (about a year and a bit). */
const MAX_WEEKS = 60;

export function createReportsRouter(deps: ReportsDeps): Router {
  const router = Router();
  const timeZone = deps.timeZone ?? serverTimeZone();
  const describe = deps.describe ?? defaultDescriber();

  const rangeFor = (week: string | undefined): ReportRange => {
    if (week === undefined) return lastFullWeek(deps.now(), timeZone);
    const parsed = parseIsoWeek(week);
    if (!parsed) throw httpError(400, 'invalid-parameter', `week: ${week} is not a week of its year`);
    return weekRange(parsed.year, parsed.week, timeZone);
  };

  router.get('/reports', (req, res) => {
    const q = parseInput(reportQuery, req.query);
    const now = deps.now();
    const report = buildReport(deps.db, rangeFor(q.week), { now, timeZone, describe });
    res.setHeader('Cache-Control', 'no-store');
    if (q.format === 'json') {
      res.json(report);
      return;
    }
    res.setHeader('Content-Type', CONTENT_TYPES[q.format]);
    res.setHeader('Content-Security-Policy', REPORT_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (q.format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="bouncewatch-${report.label}.csv"`);
    }
    res.send(renderReport(report, q.format));
  });

  /** The weeks that hold data, newest first, and the one the report shows by default. */
  router.get('/reports/weeks', (req, res) => {
    parseInput(z.strictObject({}), req.query);
    const fallback = lastFullWeek(deps.now(), timeZone);
    const span = dataSpan(deps.db);
    const weeks: { week: string; from: string; to: string }[] = [];
    if (span) {
      const first = isoWeekOf(civilDateOf(span.from, timeZone));
      let monday = isoWeekMonday(first.year, first.week);
      const lastMonday = civilDateOf(Math.min(span.to - 1, deps.now()), timeZone);
      const end = weekRange(isoWeekOf(lastMonday).year, isoWeekOf(lastMonday).week, timeZone).to;
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
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      timeZone,
      defaultWeek: fallback.label,
      weeks: weeks.reverse().slice(0, MAX_WEEKS),
    });
  });

  return router;
}
