/** The json format: the whole report model, every domain and cause, as one object. */

import type { Report } from '../http/contract/report.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
