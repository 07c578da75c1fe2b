/** The html format: one self-contained page (inline styles, inline SVG, no scripts) for browsers, mail and print. */

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
import { escapeHtml, escapeProse } from './escape.js';
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
  changeBadge,
  COLORS,
  heading,
  paragraph,
  raw,
  STYLESHEET,
  table,
  type Align,
  type Content,
} from './html-parts.js';
import type { CauseStat, DomainStat, ProviderStat, Report } from '../http/contract/report.js';
import { leftOutNote, periodsWithEvents, shownPeriods } from './periods.js';
import { MIN_ATTEMPTS, worstBy } from './select.js';
import { stackedBarChart } from './svg-chart.js';
import { delaySection } from './delay-section.js';
import { sendersSection, serverSection, type Section } from './triage-sections.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function shownNote(shown: number, total: number, what: string): string {
  return shown < total ? `top ${shown} of ${formatCount(total)} ${what}; json and csv list all` : '';
}

export function renderHtml(report: Report): string {
  const period = report.kind === 'week' ? 'week' : 'period';
  const title = `Deliverability report ${report.label}`;
  const body = [
    header(report),
    summary(report, period) + hosts(report),
    newProblems(report, period),
    perDay(report),
    causes(report),
    codes(report),
    domains(report, period),
    providers(report),
    rejects(report),
    triageSection(delaySection(report)),
    triageSection(sendersSection(report)),
    triageSection(serverSection(report)),
    hardBounces(report),
    expired(report),
    completeness(report),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr><td align="center" style="padding:16px 8px">
<div class="wrap" style="max-width:760px;text-align:left;margin:0 auto">
${body}
</div>
</td></tr></table>
</body>
</html>
`;
}

/** A Senders or Server section: its sentences and tables, log text escaped as text. */
function triageSection(section: Section): string {
  return (
    heading(section.title, section.note) +
    section.blocks
      .map((b) => (b.kind === 'text' ? paragraph(escapeHtml(b.text)) : table(b.head, b.rows, b.align)))
      .join('')
  );
}

function header(report: Report): string {
  const compared = report.previous ? `, compared with ${report.previous.label}` : '';
  return `<h1 style="font-size:24px;margin:0 0 4px 0;overflow-wrap:anywhere">${escapeHtml(`Deliverability report: ${report.label}`)}</h1>
${paragraph(escapeHtml(`${report.dates} (${report.timeZone})${compared}. Generated ${shortTime(report.generatedAt)}.`), true)}${
    Object.values(report.totals).every((n) => n === 0)
      ? paragraph(`<strong>No mail events were recorded in this period.</strong>`)
      : ''
  }`;
}

function summary(report: Report, period: string): string {
  const prev = report.previousTotals;
  const cards = COUNT_KEYS.map((k) => {
    const change = prev ? formatChange(report.totals[k], prev[k]) : '';
    const badge = prev ? changeBadge(change, report.totals[k] - prev[k], k !== 'sent').html : '';
    return `<td class="tile" style="padding:10px;border:1px solid ${COLORS.border};width:20%;vertical-align:top">
<div style="font-size:12px;color:${COLORS.muted}">${OUTCOME_LABELS[k]}</div>
<div style="font-size:22px;font-weight:700">${formatCount(report.totals[k])}</div>
<div style="font-size:12px">${badge || '&nbsp;'}</div></td>`;
  }).join('');
  const rates: Content[][] = RATES.map(([label, key]) => {
    const now = report.rates[key];
    const before = report.previousRates?.[key] ?? null;
    const cells: Content[] = [label, formatRate(now)];
    if (report.previousRates) {
      cells.push(
        formatRate(before),
        changeBadge(formatRateChange(now, before), (now ?? 0) - (before ?? 0), true),
      );
    }
    return cells;
  });
  const head = summaryColumns(period, report.previousRates !== null);
  return `${heading('Summary')}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 12px 0"><tr>${cards}</tr></table>
${table(head, rates, ['l', 'r', 'r', 'r'])}
${paragraph(COUNTING_NOTE, true)}`;
}

function newProblems(report: Report, period: string): string {
  if (report.newProblems.length === 0) return '';
  const items = report.newProblems
    .slice(0, 15)
    .map((p) => {
      const what =
        p.kind === 'cause'
          ? `cause <strong>${escapeHtml(report.causes.find((c) => c.cause === p.id)?.title ?? p.id)}</strong>`
          : `domain <strong>${escapeHtml(domainLabel(p.id))}</strong>`;
      return `<li style="margin:0 0 4px 0">${what}: ${plural(p.count, 'failure')}, none in ${escapeHtml(report.previous?.label ?? 'the previous period')}</li>`;
    })
    .join('');
  return `${heading(`New this ${period}`)}<ul style="margin:0 0 12px 0;padding-left:20px">${items}</ul>`;
}

function perDay(report: Report): string {
  const { unit, periods } = shownPeriods(report.days);
  const chart = stackedBarChart({
    description: `Delivery failures per ${unit}, ${report.dates}: temporary and permanent`,
    series: [
      { name: 'Temporary', color: COLORS.temporary },
      { name: 'Permanent', color: COLORS.permanent },
    ],
    points: periods.map((p) => {
      const weekday = unit === 'day' ? (WEEKDAYS[new Date(`${p.date}T12:00:00Z`).getUTCDay()] ?? '') : '';
      return {
        label: unit === 'day' && periods.length <= 14 ? `${weekday} ${p.date.slice(8)}` : p.short,
        title: unit === 'day' ? `${weekday} ${p.date}` : p.label,
        values: [p.temporary, p.permanent],
      };
    }),
  });
  const { rows: listed, left } = periodsWithEvents(periods);
  const rows = listed.map((p) => [
    p.label,
    p.temporary,
    p.permanent,
    p.sent,
    p.deferred,
    p.bounced,
    p.expired,
    p.rejected,
  ]);
  const head = periodColumns(unit);
  return `${heading(`Failures per ${unit}`)}<div style="margin:0 0 8px 0">${chart}</div>
${left > 0 ? paragraph(escapeHtml(leftOutNote(unit, left)), true) : ''}${rows.length > 0 ? table(head, rows, ['n', 'r', 'r', 'r', 'r', 'r', 'r', 'r']) : ''}`;
}

function causes(report: Report): string {
  const failing = report.causes.filter((c) => c.total > 0);
  const shown = failing.slice(0, TOP.causes);
  if (shown.length === 0) return `${heading('Top causes')}${paragraph('No delivery failures.')}`;
  return `${heading('Top causes', shownNote(shown.length, failing.length, 'causes'))}${shown.map((c, i) => causeBlock(c, i + 1, report.previous?.label ?? null)).join('\n')}`;
}

function causeBlock(c: CauseStat, rank: number, prevLabel: string | null): string {
  const against = prevLabel ? changeAgainst(c.total, c.previousTotal, prevLabel) : '';
  const change = against ? changeBadge(`(${against})`, c.total - (c.previousTotal ?? 0), true).html : '';
  const split = `${formatCount(c.temporary)} temporary, ${formatCount(c.permanent)} permanent (deferred ${formatCount(c.deferred)}, bounced ${formatCount(c.bounced)}, expired ${formatCount(c.expired)})`;
  const examples = c.examples
    .map(
      (e) =>
        `<tr><td style="padding:4px 8px 4px 0;vertical-align:top;white-space:nowrap;color:${COLORS.muted};font-size:12px">${formatCount(e.count)}× ${escapeHtml(e.domain || '–')}${e.code ? ` <code>${escapeHtml(e.code)}</code>` : ''}</td><td style="padding:4px 0;font-family:Menlo,Consolas,monospace;font-size:12px;word-break:break-word">${escapeHtml(clip(e.text, 300))}</td></tr>`,
    )
    .join('');
  const domains = c.topDomains.map((d) => `${escapeHtml(d.domain)} (${formatCount(d.count)})`).join(', ');
  return `<div class="cause" style="border:1px solid ${COLORS.border};border-left:4px solid ${c.permanent > c.temporary ? COLORS.permanent : COLORS.temporary};padding:10px 12px;margin:0 0 12px 0">
<div style="font-size:15px;font-weight:700;margin:0 0 4px 0">${rank}. ${escapeHtml(c.title)} <code>${escapeHtml(c.cause)}</code></div>
<div style="margin:0 0 6px 0"><strong>${formatCount(c.total)}</strong> ${c.total === 1 ? 'failure' : 'failures'}: ${escapeHtml(split)} ${change}</div>
${c.meaning ? paragraph(escapeHtml(c.meaning)) : ''}${c.action ? paragraph(`<strong>What to do:</strong> ${escapeProse(c.action)}`) : ''}${domains ? paragraph(`Most affected: ${domains}`, true) : ''}${examples ? `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%">${examples}</table>` : ''}
</div>`;
}

function codes(report: Report): string {
  const shown = report.codes.slice(0, TOP.codes);
  if (shown.length === 0) return '';
  return `${heading('Top codes', shownNote(shown.length, report.codes.length, 'codes'))}${table(
    CODE_COLUMNS,
    shown.map((c) => [
      raw(`<code>${escapeHtml(codeLabel(c.code))}</code>`),
      c.count,
      c.temporary,
      c.permanent,
    ]),
    ['l', 'r', 'r', 'r'],
  )}`;
}

/** The "Failures vs before" cell of a domain's or a provider's row. */
function failuresChange(s: DomainStat | ProviderStat): Content {
  const before = s.previous?.failures;
  return changeBadge(formatChange(s.failures, before), s.failures - (before ?? 0), true);
}

function domainRows(list: readonly DomainStat[], hasPrev: boolean): Content[][] {
  return list.map((d) => {
    const cells: Content[] = [
      domainLabel(d.domain),
      d.sent,
      d.deferred,
      d.bounced,
      d.expired,
      formatRate(d.bounceRate),
      formatRate(d.deferralRate),
    ];
    if (hasPrev) cells.push(failuresChange(d));
    return cells;
  });
}

function domains(report: Report, period: string): string {
  const hasPrev = report.previousTotals !== null;
  const head = domainColumns(hasPrev);
  const align: Align[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const failing = report.domains.filter((d) => d.failures > 0);
  const top = failing.slice(0, TOP.domains);
  let out = heading(
    'Domains with the most failures',
    shownNote(top.length, failing.length, 'failing domains'),
  );
  out +=
    top.length === 0 ? paragraph('No domain had failures.') : table(head, domainRows(top, hasPrev), align);
  for (const [title, key] of WORST_RATES) {
    const worst = worstBy(report.domains, key, 10);
    if (worst.length === 0) continue;
    out +=
      heading(title, `domains with at least ${MIN_ATTEMPTS} attempts`) +
      table(head, domainRows(worst, hasPrev), align);
  }
  if (report.changes.length > 0) {
    const changes = report.changes.slice(0, TOP.changes);
    out +=
      heading(`Biggest changes against ${report.previous?.label ?? 'before'}`) +
      table(
        changeColumns(period),
        changes.map((c) => [
          domainLabel(c.domain),
          c.failures,
          c.previousFailures,
          changeBadge(formatChange(c.failures, c.previousFailures), c.delta, true),
          formatRate(c.bounceRate),
          formatRate(c.previousBounceRate),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      );
  }
  return out;
}

/** Each host's share of the events, when the report covers more than one (a fleet). */
function hosts(report: Report): string {
  if (report.hosts.length < 2) return '';
  return (
    heading('Hosts', `${formatCount(report.hosts.length)} hosts and their share of the events`) +
    table(
      HOST_COLUMNS,
      hostRows(report.hosts).map((h) => [
        h.name,
        formatRate(h.share),
        h.sent,
        h.deferred,
        h.bounced,
        h.expired,
        h.rejected,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    )
  );
}

function providers(report: Report): string {
  const shown = report.providers.slice(0, TOP.providers);
  if (shown.length === 0) return '';
  const hasPrev = report.previousTotals !== null;
  return (
    heading('Providers', shownNote(shown.length, report.providers.length, 'providers')) +
    table(
      providerColumns(hasPrev),
      shown.map((p) => {
        const cells: Content[] = [
          p.name,
          p.domains,
          p.sent,
          p.deferred,
          p.bounced,
          formatRate(p.bounceRate),
          formatRate(p.deferralRate),
        ];
        if (hasPrev) cells.push(failuresChange(p));
        return cells;
      }),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    )
  );
}

function rejects(report: Report): string {
  const list = report.inbound.causes;
  if (list.length === 0) return '';
  return (
    heading(
      'Inbound protection: rejected by this server',
      `${formatCount(report.inbound.rejected)} reject lines by reason, with what the receiving side might do`,
    ) +
    table(
      ['Reason', 'Rejects', 'What to do'],
      list.slice(0, TOP.causes).map((c) => [c.title, c.count, c.action]),
      ['l', 'r', 'l'],
    )
  );
}

function hardBounces(report: Report): string {
  const shown = report.hardBounces.slice(0, TOP.hardBounces);
  let out = heading(`Hard-bounced addresses: ${formatCount(report.hardBounces.length)}`);
  if (shown.length === 0) return out + paragraph('None: no address was reported as dead.');
  out += paragraph(
    `These addresses do not exist (or their domain takes no mail): remove them from your lists. ${
      shown.length < report.hardBounces.length ? `${formatCount(shown.length)} shown; ` : ''
    }<code>bouncewatch report --addresses</code> writes them all as CSV.`,
  );
  return (
    out +
    table(
      ['Address', 'Code', 'Last bounce', 'Reply'],
      shown.map((h) => [
        h.address,
        raw(`<code>${escapeHtml(codeLabel(h.code))}</code>`),
        shortTime(h.lastSeen),
        clip(h.reply, 140),
      ]),
      ['n', 'n', 'n', 'l'],
    )
  );
}

function expired(report: Report): string {
  const shown = report.expiredMessages.slice(0, TOP.expired);
  let out = heading(`Expired messages: ${formatCount(report.expiredMessages.length)}`);
  if (shown.length === 0) return out + paragraph('None: no message stayed in the queue until it expired.');
  if (shown.length < report.expiredMessages.length)
    out += paragraph(`The first ${shown.length} are shown; json lists all.`, true);
  return (
    out +
    table(
      ['Expired', 'Queue id', 'Sender', 'Undelivered recipients', 'Last reason'],
      shown.map((m) => [
        shortTime(m.expiredAt),
        m.queueId,
        m.sender ?? '–',
        m.recipients.map((r) => r.recipient).join(', ') || '–',
        clip(m.recipients.find((r) => r.reply)?.reply ?? '–', 120),
      ]),
      ['n', 'n', 'l', 'l', 'l'],
    )
  );
}

function completeness(report: Report): string {
  const c = report.completeness;
  const parts: string[] = [];
  parts.push(
    c.linesRead !== null
      ? `<strong>${formatCount(c.unparsed)}</strong> of ${formatCount(c.linesRead)} log lines read (${formatRate(c.unparsedShare)}) could not be understood (all periods together).`
      : `<strong>${formatCount(c.unparsed)}</strong> log lines could not be understood (all periods together).`,
  );
  if (c.unparsedByProgram.length > 0) {
    parts.push(
      `By program: ${c.unparsedByProgram.map((p) => `${escapeHtml(p.program)} ${formatCount(p.count)}`).join(', ')}.`,
    );
  }
  if (c.unparsedShapes.length > 0) {
    parts.push(
      `Unread kinds first seen in this period: ${c.unparsedShapes.map((s) => `${escapeHtml(s.program)}: ${escapeHtml(s.reason)} (${formatCount(s.count)})`).join('; ')}.`,
    );
  }
  if (c.dataFrom)
    parts.push(
      `The database holds events from ${escapeHtml(c.dataFrom.slice(0, 10))} to ${escapeHtml((c.dataTo ?? '').slice(0, 10))}.`,
    );
  if (c.detailsTrimmed) {
    parts.push(
      `Counts are complete, but raw details before ${escapeHtml(c.rawFrom ?? '')} were trimmed by retention: examples and lists cover only the rest.`,
    );
  }
  return heading('How complete this is') + parts.map((p) => paragraph(p)).join('');
}
