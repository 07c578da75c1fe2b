/** The md format: a report that reads well pasted into a chat or a ticket. Log text is escaped. */

import {
  changeAgainst,
  clip,
  codeLabel,
  COUNT_KEYS,
  domainLabel,
  formatChange,
  formatCount,
  formatRate,
  formatRateChange,
  OUTCOME_LABELS,
  plural,
  shortTime,
  TOP,
} from './format.js';
import {
  CODE_COLUMNS,
  COUNTING_NOTE,
  changeColumns,
  domainColumns,
  HOST_COLUMNS,
  hostRows,
  periodColumns,
  providerColumns,
  RATES,
  summaryColumns,
  WORST_RATES,
} from './columns.js';
import { codeSpans } from './escape.js';
import { showControls } from '../visible-text.js';
import type { CauseStat, DomainStat, Report } from '../http/contract/report.js';
import { leftOutNote, periodsWithEvents, shownPeriods } from './periods.js';
import { MIN_ATTEMPTS, worstBy } from './select.js';
import { delaySection } from './delay-section.js';
import { sendersSection, serverSection, type Section } from './triage-sections.js';

/** Shows control characters (`\x1b`, whose backslash is then escaped too) and backslash-escapes what markdown would turn into markup (emphasis, links, code, HTML, tables). */
export function mdEscape(text: string): string {
  return showControls(text.replace(/\r?\n/g, ' ')).replace(/[\\`*_[\]{}<>|~#!&]/g, (c) => `\\${c}`);
}

/** Knowledge-base prose: escaped, its code spans kept as code. */
function mdProse(text: string): string {
  return codeSpans(text)
    .map((p) => (p.code ? `\`${p.text}\`` : mdEscape(p.text)))
    .join('');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [row(head), row(sep), ...rows.map(row)];
}

function shownOf(shown: number, total: number, what: string): string {
  return shown < total ? ` (top ${shown} of ${formatCount(total)} ${what}; json and csv list all)` : '';
}

/** Each host's share of the events, when the report covers more than one (a fleet). */
function hostSection(report: Report): string[] {
  if (report.hosts.length < 2) return [];
  return [
    `## Hosts: ${formatCount(report.hosts.length)}`,
    '',
    ...table(
      HOST_COLUMNS,
      hostRows(report.hosts).map((h) => [
        mdEscape(h.name),
        formatRate(h.share),
        formatCount(h.sent),
        formatCount(h.deferred),
        formatCount(h.bounced),
        formatCount(h.expired),
        formatCount(h.rejected),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  ];
}

/** A Senders or Server section: its sentences and tables, every cell escaped. */
function triageSection(section: Section): string[] {
  const out = [`## ${section.title}`, '', `_${mdEscape(section.note)}_`, ''];
  for (const b of section.blocks) {
    if (b.kind === 'text') out.push(mdEscape(b.text), '');
    else
      out.push(
        ...table(
          b.head,
          b.rows.map((r) => r.map(mdEscape)),
          b.align,
        ),
        '',
      );
  }
  return out;
}

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const prevLabel = report.previous?.label;
  const period = report.kind === 'week' ? 'week' : 'period';
  out.push(`# Deliverability report: ${mdEscape(report.label)}`, '');
  out.push(
    `${mdEscape(report.dates)} (${mdEscape(report.timeZone)})` +
      (prevLabel ? `, compared with ${mdEscape(prevLabel)}` : '') +
      `. Generated ${mdEscape(shortTime(report.generatedAt))}.`,
    '',
  );
  if (Object.values(report.totals).every((n) => n === 0)) {
    out.push(`No mail events were recorded in this ${period}.`, '');
  }

  out.push('## Summary', '');
  const hasPrev = report.previousTotals !== null;
  const summaryHead = summaryColumns(period, hasPrev);
  const summaryRows = COUNT_KEYS.map((k) => {
    const cells = [OUTCOME_LABELS[k], formatCount(report.totals[k])];
    if (report.previousTotals) {
      cells.push(
        formatCount(report.previousTotals[k]),
        formatChange(report.totals[k], report.previousTotals[k]),
      );
    }
    return cells;
  });
  for (const [label, key] of RATES) {
    const cells = [label, formatRate(report.rates[key])];
    if (report.previousRates) {
      cells.push(
        formatRate(report.previousRates[key]),
        formatRateChange(report.rates[key], report.previousRates[key]),
      );
    }
    summaryRows.push(cells);
  }
  out.push(...table(summaryHead, summaryRows, ['l', 'r', 'r', 'r']), '');
  out.push(`_${COUNTING_NOTE}_`, '');

  out.push(...hostSection(report));

  if (report.newProblems.length > 0) {
    out.push(`## New this ${period}`, '');
    for (const p of report.newProblems.slice(0, 15)) {
      const what =
        p.kind === 'cause'
          ? `cause **${mdEscape(titleOf(report, p.id))}**`
          : `domain **${mdEscape(domainLabel(p.id))}**`;
      out.push(
        `- ${what}: ${plural(p.count, 'failure')}, none in ${mdEscape(prevLabel ?? 'the previous period')}`,
      );
    }
    out.push('');
  }

  const { unit, periods: all } = shownPeriods(report.days);
  const { rows: periods, left } = periodsWithEvents(all);
  out.push(`## Failures per ${unit}`, '');
  if (left > 0) out.push(leftOutNote(unit, left), '');
  // A header with no row under it says nothing the note does not.
  if (periods.length > 0)
    out.push(
      ...table(
        periodColumns(unit),
        periods.map((d) => [
          d.label,
          formatCount(d.temporary),
          formatCount(d.permanent),
          formatCount(d.sent),
          formatCount(d.deferred),
          formatCount(d.bounced),
          formatCount(d.expired),
          formatCount(d.rejected),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );

  const failing = report.causes.filter((c) => c.total > 0);
  const causes = failing.slice(0, TOP.causes);
  out.push(`## Top causes${shownOf(causes.length, failing.length, 'causes')}`, '');
  if (causes.length === 0) out.push('No delivery failures.', '');
  causes.forEach((c, i) => out.push(...causeSection(c, i + 1, prevLabel ?? null)));

  const codes = report.codes.slice(0, TOP.codes);
  out.push(`## Top codes${shownOf(codes.length, report.codes.length, 'codes')}`, '');
  if (codes.length === 0) out.push('No failures.', '');
  else {
    out.push(
      ...table(
        CODE_COLUMNS,
        codes.map((c) => [
          mdEscape(codeLabel(c.code)),
          formatCount(c.count),
          formatCount(c.temporary),
          formatCount(c.permanent),
        ]),
        ['l', 'r', 'r', 'r'],
      ),
      '',
    );
  }

  out.push(...domainSections(report, period));
  const rejectCauses = report.inbound.causes;
  if (rejectCauses.length > 0) {
    out.push(`## Inbound protection: rejected by this server: ${formatCount(report.inbound.rejected)}`, '');
    out.push(
      ...table(
        ['Reason', 'Rejects', 'What to do'],
        rejectCauses
          .slice(0, TOP.causes)
          .map((c) => [mdEscape(c.title), formatCount(c.count), mdEscape(c.action)]),
        ['l', 'r', 'l'],
      ),
      '',
    );
  }
  out.push(...triageSection(delaySection(report)));
  out.push(...triageSection(sendersSection(report)), ...triageSection(serverSection(report)));
  out.push(...listSections(report));
  return `${out.join('\n').trimEnd()}\n`;
}

function titleOf(report: Report, cause: string): string {
  return report.causes.find((c) => c.cause === cause)?.title ?? cause;
}

function causeSection(c: CauseStat, rank: number, prevLabel: string | null): string[] {
  const lines: string[] = [];
  const against = prevLabel ? changeAgainst(c.total, c.previousTotal, prevLabel) : '';
  const change = against ? `; ${mdEscape(against)}` : '';
  lines.push(`### ${rank}. ${mdEscape(c.title)} (\`${c.cause}\`)`, '');
  lines.push(
    `**${formatCount(c.total)}** ${c.total === 1 ? 'failure' : 'failures'}: ${formatCount(c.temporary)} temporary, ${formatCount(c.permanent)} permanent` +
      ` (deferred ${formatCount(c.deferred)}, bounced ${formatCount(c.bounced)}, expired ${formatCount(c.expired)})${change}.`,
  );
  if (c.meaning) lines.push(mdEscape(c.meaning));
  if (c.action) lines.push(`**What to do:** ${mdProse(c.action)}`);
  if (c.topDomains.length > 0) {
    lines.push(
      `Most affected: ${c.topDomains.map((d) => `${mdEscape(d.domain)} (${formatCount(d.count)})`).join(', ')}`,
    );
  }
  if (c.examples.length > 0) {
    lines.push('', 'Example replies:');
    for (const e of c.examples) {
      lines.push(
        `- ${formatCount(e.count)}× ${mdEscape(e.domain || '–')}${e.code ? ` ${mdEscape(e.code)}` : ''}: ${mdEscape(clip(e.text, 220))}`,
      );
    }
  }
  lines.push('');
  return lines;
}

function domainRow(d: DomainStat, hasPrev: boolean): string[] {
  const cells = [
    mdEscape(domainLabel(d.domain)),
    formatCount(d.sent),
    formatCount(d.deferred),
    formatCount(d.bounced),
    formatCount(d.expired),
    formatRate(d.bounceRate),
    formatRate(d.deferralRate),
  ];
  if (hasPrev) cells.push(formatChange(d.failures, d.previous?.failures));
  return cells;
}

function domainSections(report: Report, period: string): string[] {
  const out: string[] = [];
  const hasPrev = report.previousTotals !== null;
  const head = domainColumns(hasPrev);
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const failing = report.domains.filter((d) => d.failures > 0);
  const top = failing.slice(0, TOP.domains);
  out.push(`## Domains with the most failures${shownOf(top.length, failing.length, 'failing domains')}`, '');
  if (top.length === 0) out.push('No domain had failures.', '');
  else
    out.push(
      ...table(
        head,
        top.map((d) => domainRow(d, hasPrev)),
        align,
      ),
      '',
    );

  for (const [title, key] of WORST_RATES) {
    const worst = worstBy(report.domains, key, 10);
    if (worst.length === 0) continue;
    out.push(`## ${title} (domains with at least ${MIN_ATTEMPTS} attempts)`, '');
    out.push(
      ...table(
        head,
        worst.map((d) => domainRow(d, hasPrev)),
        align,
      ),
      '',
    );
  }

  if (report.changes.length > 0) {
    const changes = report.changes.slice(0, TOP.changes);
    out.push(`## Biggest changes against ${mdEscape(report.previous?.label ?? 'before')}`, '');
    out.push(
      ...table(
        changeColumns(period),
        changes.map((c) => [
          mdEscape(domainLabel(c.domain)),
          formatCount(c.failures),
          formatCount(c.previousFailures),
          formatChange(c.failures, c.previousFailures),
          formatRate(c.bounceRate),
          formatRate(c.previousBounceRate),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }

  const providers = report.providers.slice(0, TOP.providers);
  if (providers.length > 0) {
    out.push(`## Providers${shownOf(providers.length, report.providers.length, 'providers')}`, '');
    out.push(
      ...table(
        providerColumns(hasPrev),
        providers.map((p) => {
          const cells = [
            mdEscape(p.name),
            formatCount(p.domains),
            formatCount(p.sent),
            formatCount(p.deferred),
            formatCount(p.bounced),
            formatRate(p.bounceRate),
            formatRate(p.deferralRate),
          ];
          if (hasPrev) cells.push(formatChange(p.failures, p.previous?.failures));
          return cells;
        }),
        align,
      ),
      '',
    );
  }
  return out;
}

function listSections(report: Report): string[] {
  const out: string[] = [];
  const hard = report.hardBounces.slice(0, TOP.hardBounces);
  out.push(`## Hard-bounced addresses: ${formatCount(report.hardBounces.length)}`, '');
  if (hard.length === 0) out.push('None: no address was reported as dead.', '');
  else {
    out.push(
      'These addresses do not exist (or their domain does not take mail). Remove them from your lists' +
        (hard.length < report.hardBounces.length
          ? `; ${formatCount(hard.length)} shown, \`bouncewatch report --addresses\` writes them all as CSV.`
          : '; `bouncewatch report --addresses` writes them as CSV.'),
      '',
    );
    out.push(
      ...table(
        ['Address', 'Code', 'Last bounce', 'Reply'],
        hard.map((h) => [
          mdEscape(h.address),
          mdEscape(codeLabel(h.code)),
          shortTime(h.lastSeen),
          mdEscape(clip(h.reply, 120)),
        ]),
      ),
      '',
    );
  }

  const expired = report.expiredMessages.slice(0, TOP.expired);
  out.push(`## Expired messages: ${formatCount(report.expiredMessages.length)}`, '');
  if (expired.length === 0) out.push('None: no message stayed in the queue until it expired.', '');
  else {
    if (expired.length < report.expiredMessages.length)
      out.push(`The ${expired.length} latest are shown; json lists all.`, '');
    out.push(
      ...table(
        ['Expired', 'Queue id', 'Sender', 'Undelivered recipients', 'Last reason'],
        expired.map((m) => [
          shortTime(m.expiredAt),
          mdEscape(m.queueId),
          mdEscape(m.sender ?? '–'),
          mdEscape(m.recipients.map((r) => r.recipient).join(', ') || '–'),
          mdEscape(clip(m.recipients.find((r) => r.reply)?.reply ?? '–', 100)),
        ]),
      ),
      '',
    );
  }

  const c = report.completeness;
  out.push('## How complete this is', '');
  if (c.linesRead !== null) {
    out.push(
      `${formatCount(c.unparsed)} of ${formatCount(c.linesRead)} log lines read (${formatRate(c.unparsedShare)}) could not be understood (all periods together).`,
    );
  } else out.push(`${formatCount(c.unparsed)} log lines could not be understood (all periods together).`);
  if (c.unparsedByProgram.length > 0) {
    out.push(
      `By program: ${c.unparsedByProgram.map((p) => `${mdEscape(p.program)} ${formatCount(p.count)}`).join(', ')}.`,
    );
  }
  if (c.unparsedShapes.length > 0) {
    out.push(
      `Unread kinds first seen in this period: ${c.unparsedShapes.map((s) => `${mdEscape(s.program)}: ${mdEscape(s.reason)} (${formatCount(s.count)})`).join('; ')}.`,
    );
  }
  if (c.dataFrom)
    out.push(`The database holds events from ${mdEscape(c.dataFrom)} to ${mdEscape(c.dataTo ?? '')}.`);
  if (c.detailsTrimmed) {
    out.push(
      `Counts are complete, but raw details before ${mdEscape(c.rawFrom ?? '')} were trimmed by retention: examples and address lists cover only the rest.`,
    );
  }
  out.push('');
  return out;
}
