/** The csv formats: every domain x cause cell of the period, and the hard-bounced addresses. */

import type { Report } from '../http/contract/report.js';
import { showControls } from '../visible-text.js';

/** Control characters shown (`\x1b`); RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs log text as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const shown = showControls(value);
  const safe = /^[=+\-@]/.test(shown) ? `'${shown}` : shown;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(cells: (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * One row per domain and cause. The row with an empty cause holds the domain's events without a failure
 * cause (its sent lines), so each column sums to the domain's counts.
 */
export function renderCsv(report: Report): string {
  const providerOf = new Map(report.domains.map((d) => [d.domain, d.provider]));
  let out = line([
    'from',
    'to',
    'domain',
    'provider',
    'cause',
    'sent',
    'deferred',
    'bounced',
    'expired',
    'rejected',
    'temporary',
    'permanent',
  ]);
  for (const c of report.domainCauses) {
    out += line([
      report.from,
      report.to,
      c.domain,
      providerOf.get(c.domain) ?? null,
      c.cause,
      c.sent,
      c.deferred,
      c.bounced,
      c.expired,
      c.rejected,
      c.temporary,
      c.permanent,
    ]);
  }
  return out;
}

/** The suppression list: one row per hard-bounced address, newest first, a line at a time. */
export function* addressCsvLines(hardBounces: Report['hardBounces']): Generator<string> {
  yield line(['address', 'domain', 'cause', 'code', 'last_seen', 'bounces', 'reply']);
  for (const h of hardBounces)
    yield line([h.address, h.domain, h.cause, h.code, h.lastSeen, h.bounces, h.reply]);
}

/** The suppression list of a report as one text. */
export function renderAddressesCsv(report: Pick<Report, 'hardBounces'>): string {
  return [...addressCsvLines(report.hardBounces)].join('');
}
