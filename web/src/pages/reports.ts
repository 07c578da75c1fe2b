/** Reports: the weekly report for any week, as the server renders it (sandboxed frame) or from its JSON. */

import type { Report } from '../../../server/http/contract/report.js';
import { get } from '../api.js';
import { h, withCode } from '../dom.js';
import { fmtBytes, fmtInt, fmtPct, fmtTime } from '../format.js';
import { formatHash, linkTo } from '../state.js';
import { errorNotice, section, table, type PageContext, type PageView } from '../ui.js';

/** The fields of `report --format json` that the page shows (the design's report contract). */
interface WeeklyReport {
  from: string | number;
  to: string | number;
  totals: { sent: number; deferred: number; bounced: number; expired: number; rejected: number };
  domains: {
    domain: string;
    sent: number;
    deferred: number;
    bounced: number;
    expired: number;
    rejected: number;
  }[];
  causes: { cause: string; temporary: number; permanent: number; action: string }[];
  codes: { code: string; count: number }[];
  senders: Report['senders'];
  server: Report['server'];
}

interface WeeksResponse {
  defaultWeek: string;
  weeks: { week: string; from: string; to: string }[];
}

const WEEK_RE = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** ISO 8601 week of a date, e.g. 2026-W48. */
function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const when = (v: string | number) => (typeof v === 'number' ? fmtTime(v) : v);

function jsonView(ctx: PageContext, r: WeeklyReport): HTMLElement {
  const t = r.totals;
  return h(
    'div',
    { 'data-testid': 'report-json' },
    h('p', { class: 'hint' }, `From ${when(r.from)} to ${when(r.to)}`),
    h(
      'div',
      { class: 'stats' },
      ...(
        [
          ['Delivered', t.sent],
          ['Deferred', t.deferred],
          ['Bounced', t.bounced],
          ['Expired messages', t.expired],
          ['Rejected', t.rejected],
        ] as const
      ).map(([l, v]) =>
        h(
          'div',
          { class: 'stat' },
          h('span', { class: 'tile-label' }, l),
          h('span', { class: 'stat-value num' }, fmtInt(v)),
        ),
      ),
    ),
    section(
      'Causes',
      table(
        'Causes',
        [
          { label: 'Cause', cell: (c) => h('a', { href: linkTo(ctx.state, 'cause', c.cause) }, c.cause) },
          { label: 'Temporary', numeric: true, cell: (c) => fmtInt(c.temporary) },
          { label: 'Permanent', numeric: true, cell: (c) => fmtInt(c.permanent) },
          {
            label: 'What to do',
            wide: true,
            cell: (c) => h('p', { class: 'action' }, ...withCode(c.action)),
          },
        ],
        r.causes,
      ),
    ),
    section(
      'Domains',
      table(
        'Domains',
        [
          { label: 'Domain', cell: (d) => d.domain },
          { label: 'Delivered', numeric: true, cell: (d) => fmtInt(d.sent) },
          { label: 'Deferred', numeric: true, cell: (d) => fmtInt(d.deferred) },
          { label: 'Bounced', numeric: true, cell: (d) => fmtInt(d.bounced + d.expired) },
          { label: 'Rejected', numeric: true, cell: (d) => fmtInt(d.rejected) },
        ],
        r.domains.slice(0, 50),
      ),
    ),
    ...triageSections(r),
    section(
      'Codes',
      table(
        'Codes',
        [
          { label: 'Code', cell: (c) => c.code },
          { label: 'Count', numeric: true, cell: (c) => fmtInt(c.count) },
        ],
        r.codes.slice(0, 30),
      ),
    ),
  );
}

/** The report's Senders and Server sections. */
function triageSections(r: WeeklyReport): HTMLElement[] {
  const s = r.server;
  return [
    section(
      'Senders',
      table(
        'Senders',
        [
          { label: 'Sender', cell: (x) => x.saslUser ?? x.sender },
          { label: 'Messages', numeric: true, cell: (x) => fmtInt(x.messages) },
          { label: 'Recipients', numeric: true, cell: (x) => fmtInt(x.recipients) },
          { label: 'Size', numeric: true, cell: (x) => fmtBytes(x.bytes) },
          { label: 'Bounce rate', numeric: true, cell: (x) => fmtPct(x.bounceRate) },
          { label: 'Refusals', numeric: true, cell: (x) => fmtPct(x.refusalRate) },
          { label: 'Unknown users', numeric: true, cell: (x) => fmtPct(x.unknownShare) },
        ],
        r.senders.slice(0, 20),
        'No message was submitted.',
      ),
    ),
    section(
      'Server',
      h(
        'p',
        null,
        `Received ${fmtInt(s.volume.received.messages)} messages (${fmtBytes(s.volume.received.bytes)}), ` +
          `delivered ${fmtInt(s.volume.delivered.recipients)} recipients (${fmtBytes(s.volume.delivered.bytes)}); ` +
          `TLS inbound ${fmtPct(s.tls.inbound.share)}, outbound ${fmtPct(s.tls.outbound.share)}; ` +
          `${fmtInt(s.auth.failures)} failed SASL logins.`,
      ),
      table(
        'Warnings by shape',
        [
          { label: 'Severity', cell: (w) => w.severity },
          { label: 'Shape', wide: true, cell: (w) => w.text },
          { label: 'Count', numeric: true, cell: (w) => fmtInt(w.count) },
          { label: 'First', cell: (w) => w.first },
          { label: 'Last', cell: (w) => w.last },
        ],
        s.warnings.slice(0, 30),
        'No warning, fatal or panic lines.',
      ),
    ),
  ];
}

export function renderReports(root: HTMLElement, ctx: PageContext): PageView {
  const state = ctx.state;
  const week = state.q && WEEK_RE.test(state.q) ? state.q : isoWeek(new Date(Date.now() - 7 * 86_400_000));
  const format = state.format === 'json' ? 'json' : 'html';
  const weekInput = h('input', { id: 'report-week', name: 'week', type: 'week', value: week, required: '' });
  const formatSelect = h(
    'select',
    { id: 'report-format', name: 'format' },
    h('option', { value: 'html' }, 'Report'),
    h('option', { value: 'json' }, 'Data tables'),
  );
  formatSelect.value = format;
  const form = h(
    'form',
    { class: 'search', 'aria-label': 'Choose a report week' },
    h('label', { for: 'report-week' }, 'Week'),
    weekInput,
    h('label', { for: 'report-format' }, 'Show as'),
    formatSelect,
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const w = weekInput.value;
    if (!WEEK_RE.test(w)) {
      weekInput.setCustomValidity('Choose a week (YYYY-Www).');
      weekInput.reportValidity();
      return;
    }
    ctx.navigate({ q: w, format: formatSelect.value });
  });
  const body = h('div');
  root.append(h('h1', null, 'Weekly report'), section('Week', form), body);
  const weeksSlot = h('nav', { class: 'weeks', 'aria-label': 'Weeks with data' });
  form.after(weeksSlot);
  let done = false;
  const refresh = async () => {
    // A report does not change with live data once shown; only the first call draws it.
    if (done) return;
    done = true;
    let shown = week;
    try {
      const w = await get<WeeksResponse>('reports/weeks');
      // Without a week in the URL, show the server's default: a week that holds data.
      if (!(state.q && WEEK_RE.test(state.q)) && WEEK_RE.test(w.defaultWeek)) shown = w.defaultWeek;
      weekInput.value = shown;
      weeksSlot.replaceChildren(...weekList(w.weeks, shown, (x) => formatHash({ ...state, q: x })));
    } catch {
      // The list is a convenience; the week in the URL (or last week) still shows.
    }
    if (format === 'html') {
      // No allow-scripts: the report is shown, never run (its own CSP forbids scripts too). Same origin only so
      // that the page can read the report's height and show it whole, without a scroll box inside the page.
      const frame = h('iframe', {
        class: 'report-frame',
        title: `Weekly report ${shown}`,
        sandbox: 'allow-same-origin',
        referrerpolicy: 'no-referrer',
        src: `/api/v1/reports?week=${shown}&format=html`,
      });
      const fit = () => {
        const doc = frame.contentDocument;
        if (doc?.documentElement) frame.style.height = `${doc.documentElement.scrollHeight + 2}px`;
      };
      frame.addEventListener('load', () => {
        fit();
        frame.dataset['fitted'] = 'true';
      });
      window.addEventListener('resize', fit);
      cleanup = () => window.removeEventListener('resize', fit);
      body.replaceChildren(frame);
    } else {
      try {
        body.replaceChildren(
          jsonView(ctx, await get<WeeklyReport>('reports', { week: shown, format: 'json' })),
        );
      } catch (err) {
        body.replaceChildren(errorNotice(err, { title: `Could not load the report of ${shown}` }));
      }
    }
    root.dataset['loaded'] = String(Date.now());
  };
  let cleanup = (): void => undefined;
  return { refresh, destroy: () => cleanup() };
}

/** The weeks that hold data, newest first, one group per year; the year of the week shown starts open. */
function weekList(
  weeks: WeeksResponse['weeks'],
  shown: string,
  href: (week: string) => string,
): HTMLElement[] {
  const years = new Map<string, string[]>();
  for (const x of weeks) {
    if (!WEEK_RE.test(x.week)) continue;
    const year = x.week.slice(0, 4);
    years.set(year, [...(years.get(year) ?? []), x.week]);
  }
  if (years.size === 0) return [h('p', { class: 'muted' }, 'No week holds data yet.')];
  const shownYear = years.has(shown.slice(0, 4)) ? shown.slice(0, 4) : [...years.keys()][0];
  return [
    h('h3', { class: 'weeks-title' }, 'Weeks with data'),
    ...[...years].map(([year, list]) =>
      h(
        'details',
        { class: 'week-year', ...(year === shownYear ? { open: '' } : {}) },
        h('summary', null, `${year} (${list.length} week${list.length === 1 ? '' : 's'})`),
        h(
          'div',
          { class: 'week-links' },
          ...list.map((wk) =>
            h('a', { href: href(wk), ...(wk === shown ? { 'aria-current': 'page' } : {}) }, wk.slice(5)),
          ),
        ),
      ),
    ),
  ];
}
