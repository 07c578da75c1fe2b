/** Plain-text rendering of an alert, shared by the mail and Slack notifiers. */

import { showControls } from '../../visible-text.js';
import type { AlertNotification } from '../types.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One line: status, severity and what happened. */
export function titleOf(n: AlertNotification): string {
  const status = n.status === 'firing' ? 'FIRING' : 'RESOLVED';
  return showControls(`${status} ${n.alert.severity}: ${n.alert.summary}`);
}

/** The evidence as readable lines (counts, causes with actions, example replies), control characters shown. */
export function bodyLines(n: AlertNotification): string[] {
  const a = n.alert;
  const e = a.evidence;
  const lines = [
    `Alert:    ${a.rule} (${a.subject})`,
    `Status:   ${n.status}${a.resolvedAt === null ? '' : ` at ${iso(a.resolvedAt)}`}`,
    `Opened:   ${iso(a.openedAt)}`,
    `Window:   ${iso(e.window.from)} to ${iso(e.window.to)}`,
    '',
    'Counts:',
    ...Object.entries(e.counts).map(([k, v]) => `  ${k}: ${v}`),
  ];
  if (e.blocklists && e.blocklists.length > 0) lines.push('', `Blocklists named: ${e.blocklists.join(', ')}`);
  if (e.codes && e.codes.length > 0) lines.push('', `Codes in the replies: ${e.codes.join(', ')}`);
  if (e.domains && e.domains.length > 0) {
    lines.push('', 'Domains:', ...e.domains.map((d) => `  ${d.domain}: ${d.count}`));
  }
  if (e.causes.length > 0) {
    lines.push('', 'Causes:', ...e.causes.map((c) => `  ${c.cause}: ${c.count}`));
  }
  if (e.examples.length > 0) {
    lines.push(
      '',
      'Example replies:',
      ...e.examples.map((x) => `  ${iso(x.ts)} ${x.domain ?? '-'} ${x.code ?? ''} ${x.diagnostic}`.trimEnd()),
    );
  }
  lines.push('', 'What to do:', `  ${e.action}`);
  return lines.map(showControls);
}
