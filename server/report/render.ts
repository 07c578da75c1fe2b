/** Picks the renderer for a format. */

import type { Report } from '../http/contract/report.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { jsonChunks } from './render-json.js';
import { renderMarkdown } from './render-md.js';

export const REPORT_FORMATS = ['md', 'html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report's text in the order it is written: the json format in pieces (its lists are the long part). */
export function reportChunks(report: Report, format: ReportFormat): Iterable<string> {
  switch (format) {
    case 'md':
      return [renderMarkdown(report)];
    case 'html':
      return [renderHtml(report)];
    case 'json':
      return jsonChunks(report);
    case 'csv':
      return [renderCsv(report)];
  }
}

export function renderReport(report: Report, format: ReportFormat): string {
  return [...reportChunks(report, format)].join('');
}
