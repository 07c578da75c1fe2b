/** The report's Delivery delay section: median and p95 for all mail and the busiest domains and providers, with the period before. */

import type { DelayFigures, ReportDelays } from '../http/contract/delays.js';
import type { Report } from '../http/contract/report.js';
import { formatCount, formatDelay, TOP } from './format.js';
import type { Section } from './triage-sections.js';

const HEAD = ['Delivered', 'Median', 'p95', 'Median before', 'p95 before'];
const ALIGN: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r'];

const cells = (now: DelayFigures, before: DelayFigures) => [
  formatCount(now.delivered),
  formatDelay(now.p50),
  formatDelay(now.p95),
  formatDelay(before.p50),
  formatDelay(before.p95),
];

function table(first: string, rows: ReportDelays['domains'], title: (key: string) => string) {
  return {
    kind: 'table' as const,
    head: [first, ...HEAD],
    rows: rows.slice(0, TOP.domains).map((r) => [title(r.key), ...cells(r, r.previous)]),
    align: ALIGN,
  };
}

export function delaySection(report: Report): Section {
  const d = report.delays;
  const names = new Map(report.providers.map((p) => [p.provider, p.name]));
  const note = 'from arrival to delivery (Postfix delay=, Exim QT=), for delivered recipients';
  if (d.overall.delivered === 0)
    return {
      title: 'Delivery delay',
      note,
      blocks: [{ kind: 'text', text: 'No delivery with a logged delay in this period.' }],
    };
  return {
    title: 'Delivery delay',
    note,
    blocks: [
      {
        kind: 'text',
        text: `All delivered mail: median ${formatDelay(d.overall.p50)}, p95 ${formatDelay(d.overall.p95)} (before: ${formatDelay(d.overall.previous.p50)}, ${formatDelay(d.overall.previous.p95)}). Figures are read from log-scale buckets, within about 10%.`,
      },
      table('Domain', d.domains, (k) => k || '(none)'),
      table('Provider', d.providers, (k) => (k === '' ? '(no provider named)' : (names.get(k) ?? k))),
    ],
  };
}
