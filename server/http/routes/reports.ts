/** The weekly report over HTTP, for the Reports page: one ISO week as json or rendered, and the weeks with data. */

import type { Router } from 'express';
import { renderReport } from '../../report/render.js';
import type { ReportsService } from '../../services/reports.js';
import { reportRoutes } from '../contract/report.js';
import { customRoute, jsonRoute } from '../route.js';

/** The page a report renders to may show attacker-written text: it gets no scripts, no requests, no forms. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

export function mountReportRoutes(router: Router, reports: ReportsService): void {
  customRoute(router, reportRoutes.report, async (q, res) => {
    const report = await reports.report(q.week);
    if (q.format === 'json') {
      res.json(report);
      return;
    }
    res.set({
      'Content-Type': CONTENT_TYPES[q.format],
      'Content-Security-Policy': REPORT_CSP,
      'X-Content-Type-Options': 'nosniff',
    });
    if (q.format === 'csv')
      res.set('Content-Disposition', `attachment; filename="bouncewatch-${report.label}.csv"`);
    res.send(renderReport(report, q.format));
  });
  jsonRoute(router, reportRoutes.weeks, () => reports.weeks());
}
