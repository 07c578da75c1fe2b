/** Drill-down for one domain, provider, cause or code: what it means, its own chart, reply texts, addresses. */

import type { BreakdownRow, DetailResponse } from '../../../server/http/contract/detail.js';
import { api } from '../api.js';
import { timeChart, type ChartHandle } from '../charts.js';
import { h, withCode, type Child } from '../dom.js';
import { explanationBody } from '../explain-view.js';
import { renderDataLocator } from './data-span.js';
import { keyDelay } from './delays.js';
import { fmtInt, fmtPct, fmtTime } from '../format.js';
import { linkTo, rangeParams, type Page, type ViewState } from '../state.js';
import {
  CODE_HINT,
  classBadge,
  errorNotice,
  outcomeBadge,
  replyText,
  section,
  table,
  type PageContext,
  type PageView,
} from '../ui.js';

type Kind = 'domain' | 'provider' | 'cause' | 'code';
const LABEL: Record<Kind, string> = {
  domain: 'Recipient domain',
  provider: 'Provider',
  cause: 'Cause',
  code: 'Reply code',
};

function about(state: ViewState, d: DetailResponse): HTMLElement | null {
  if (d.cause) {
    return h(
      'div',
      { class: 'about' },
      h('p', { class: 'meaning' }, d.cause.meaning),
      h(
        'div',
        { class: 'action-box' },
        h('h3', null, 'What to do'),
        h('p', null, ...withCode(d.cause.action)),
      ),
    );
  }
  if (d.code) return h('div', { class: 'about' }, ...explanationBody(state, d.code));
  if (d.provider) return providerHelp(d.provider.url, d.causes);
  return null;
}

/**
 * A provider's own pages: which one to read for each cause of its failures (its code reference for a dead
 * mailbox, its sender guidelines for authentication), then its general sender help. Other origins are never
 * links on this dashboard, so each page is named for the reader to open.
 */
function providerHelp(url: string | null, causes: readonly BreakdownRow[]): HTMLElement | null {
  const byPage = new Map<string, string[]>();
  for (const c of causes) {
    if (c.help === null) continue;
    const titles = byPage.get(c.help) ?? [];
    titles.push(c.title ?? c.key);
    byPage.set(c.help, titles);
  }
  if (byPage.size === 0 && url === null) return null;
  return h(
    'div',
    { class: 'about', 'data-testid': 'provider-help' },
    byPage.size > 0 ? h('h3', null, 'Their help for the causes below') : null,
    byPage.size > 0
      ? h(
          'ul',
          { class: 'help-pages' },
          ...[...byPage].map(([page, titles]) =>
            h(
              'li',
              null,
              h('span', { class: 'source' }, page),
              h('span', { class: 'muted' }, ` for ${titles.join(', ')}`),
            ),
          ),
        )
      : null,
    url !== null && !byPage.has(url) ? h('p', { class: 'muted source' }, `Sender help: ${url}`) : null,
  );
}

function counts(d: DetailResponse): HTMLElement {
  const c = d.counts;
  const item = (label: string, value: string, cls = '') =>
    h(
      'div',
      { class: 'stat' },
      h('span', { class: 'tile-label' }, label),
      h('span', { class: `stat-value num ${cls}` }, value),
    );
  return h(
    'div',
    { class: 'stats', role: 'group', 'aria-label': 'Totals for the selected range' },
    item('Delivered', fmtInt(c.sent)),
    item('Deferred', fmtInt(c.deferred), c.deferred ? 'temp' : ''),
    item('Bounced', fmtInt(c.bounced), c.bounced ? 'perm' : ''),
    item('Expired recipients', fmtInt(c.expired), c.expired ? 'perm' : ''),
    item('Rejected', fmtInt(c.rejected)),
    item('Bounce rate', fmtPct(d.rates.bounceRate)),
    item('Deferral rate', fmtPct(d.rates.deferralRate)),
  );
}

function breakdown(state: ViewState, title: string, page: Page, rows: readonly BreakdownRow[]): HTMLElement {
  return section(
    title,
    table(
      title,
      [
        {
          label: page === 'code' ? 'Code' : page === 'cause' ? 'Cause' : 'Domain',
          // A cause by its title over its id, as on the overview; a code over what it means.
          cell: (r) =>
            r.title === null
              ? h('a', { href: linkTo(state, page, r.key) }, r.key)
              : page === 'cause'
                ? h(
                    'div',
                    { class: 'cause-cell' },
                    h('a', { href: linkTo(state, page, r.key) }, r.title),
                    h('span', { class: 'muted id' }, r.key),
                  )
                : h(
                    'div',
                    { class: 'cause-cell' },
                    h('a', { href: linkTo(state, page, r.key), class: 'code' }, r.key),
                    h('span', { class: 'muted' }, r.title),
                  ),
        },
        { label: 'Temporary', numeric: true, cell: (r) => fmtInt(r.temporary) },
        { label: 'Permanent', numeric: true, cell: (r) => fmtInt(r.permanent) },
        { label: 'Failures', numeric: true, cell: (r) => h('strong', null, fmtInt(r.count)) },
      ],
      rows,
      'No failures in this range.',
    ),
  );
}

function samples(state: ViewState, d: DetailResponse): HTMLElement {
  return section(
    'Reply texts',
    h(
      'p',
      { class: 'hint' },
      `Grouped when they differ only in addresses, ids or numbers; from the newest ${fmtInt(d.sampled)} failures.`,
    ),
    table(
      'Reply texts',
      [
        { label: 'Count', numeric: true, cell: (g) => fmtInt(g.count) },
        {
          label: 'Reply',
          wide: true,
          cell: (g) =>
            h(
              'div',
              { class: 'sample' },
              replyText(g.example),
              h(
                'div',
                { class: 'sample-meta' },
                ...g.classes.map((c) => classBadge(c)),
                ...g.codes
                  .slice(0, 4)
                  .map((code) => h('a', { href: linkTo(state, 'code', code), class: 'code' }, code)),
                h('span', { class: 'muted' }, `last ${fmtTime(g.lastTs)}`),
              ),
            ),
        },
      ],
      d.samples,
      'No failed deliveries in this range.',
    ),
  );
}

function addresses(state: ViewState, d: DetailResponse): HTMLElement {
  return section(
    'Affected addresses',
    table(
      'Affected addresses',
      [
        {
          label: 'Address',
          cell: (a) =>
            h('a', { href: linkTo(state, 'trace', null, { q: a.address }), class: 'addr' }, a.address),
        },
        { label: 'Failures', numeric: true, cell: (a) => fmtInt(a.count) },
        { label: 'Last outcome', cell: (a) => outcomeBadge(a.lastOutcome) },
        { label: 'Last cause', optional: true, cell: (a) => a.lastCauseTitle ?? a.lastCause ?? '–' },
        {
          label: 'Address dead',
          optional: true,
          cell: (a) => (a.hardBounce ? h('span', { class: 'perm' }, 'yes') : 'no'),
        },
        { label: 'Last seen', optional: true, cell: (a) => fmtTime(a.lastTs) },
      ],
      d.addresses,
      'No failed addresses in this range.',
    ),
  );
}

/** What the page is headed with once the answer names it: a cause's title, a provider's name. */
function heading(kind: Kind, key: string, d: DetailResponse | null): string {
  if (kind === 'cause' && d?.cause) return d.cause.title;
  if (kind === 'provider' && d?.provider) return d.provider.name;
  return key;
}

export function renderDetail(root: HTMLElement, ctx: PageContext): PageView {
  const state = ctx.state;
  const kind = state.page as Kind;
  const key = state.key ?? '';
  const title = h('h1', null, key);
  const idNote = h('p', { class: 'muted id page-id', hidden: '' }, key);
  const head = h(
    'div',
    { class: 'page-head' },
    h('p', { class: 'crumbs' }, h('a', { href: linkTo(state, 'overview') }, 'Overview'), ' › ', LABEL[kind]),
    title,
    idNote,
  );
  const locatorSlot = h('div');
  const aboutSlot = h('div');
  const countsSlot = h('div');
  const chartSlot = h('div', { class: 'chart-slot' });
  const delaySlot = h('div');
  const rest = h('div');
  root.append(
    head,
    locatorSlot,
    aboutSlot,
    countsSlot,
    section('Failures over time', chartSlot),
    delaySlot,
    rest,
  );
  let chart: ChartHandle | null = null;
  let generation = 0;
  const narrow = (from: number, to: number) =>
    ctx.navigate({ range: null, from: new Date(from).toISOString(), to: new Date(to).toISOString() });

  const refresh = async () => {
    const mine = ++generation;
    try {
      const d = await api.detail(kind, key, { ...rangeParams(state), samples: '15', addresses: '25' });
      if (mine !== generation) return;
      const name = heading(kind, key, d);
      title.textContent = name;
      // The id stays in sight under a title (it is what the URL, the API and the reports use).
      idNote.hidden = name === key;
      document.title = `${LABEL[kind]}: ${name} · bouncewatch`;
      const c = d.counts;
      if (c.sent + c.deferred + c.bounced + c.expired + c.rejected === 0) {
        if (!(await renderDataLocator(locatorSlot, (next) => ctx.navigate(next))))
          locatorSlot.replaceChildren();
        if (mine !== generation) return;
      } else locatorSlot.replaceChildren();
      aboutSlot.replaceChildren(about(state, d) ?? '');
      countsSlot.replaceChildren(counts(d));
      if (chart) chart.update(d.series);
      else
        chart = timeChart(chartSlot, 'failures', `Failures over time for ${name}`, d.series, {
          onSelect: narrow,
        });
      // A domain's or provider's delivery delay; its failure never hides the rest of the page.
      if (kind === 'domain' || kind === 'provider') {
        const delay = await keyDelay(state, kind, key, name).catch((err: unknown) =>
          errorNotice(err, { title: 'Could not show the delivery delay' }),
        );
        if (mine !== generation) return;
        delaySlot.replaceChildren(delay);
      }
      const parts: Child[] = [];
      const grids: HTMLElement[] = [];
      if (kind !== 'cause') grids.push(breakdown(state, 'Causes', 'cause', d.causes));
      if (kind !== 'code') grids.push(breakdown(state, 'Codes', 'code', d.codes));
      if (kind !== 'domain') grids.push(breakdown(state, 'Domains', 'domain', d.domains));
      parts.push(
        h('div', { class: grids.length > 1 ? 'grid-2' : '' }, ...grids.slice(0, 2)),
        grids[2] ?? null,
      );
      parts.push(samples(state, d), addresses(state, d));
      rest.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
      root.dataset['loaded'] = String(Date.now());
    } catch (err) {
      if (mine !== generation) return;
      aboutSlot.replaceChildren(errorNotice(err, failureHint(kind, key)));
      root.dataset['loaded'] = String(Date.now());
    }
  };
  return {
    refresh,
    destroy: () => {
      generation++;
      chart?.destroy();
    },
  };
}

/** What a bad key looks like when right, for the error notice. */
function failureHint(kind: Kind, key: string): { title: string; hint: string | null } {
  const hints: Record<Kind, string | null> = {
    code: CODE_HINT,
    cause: 'A cause is an id such as recipient-unknown; the code reference lists every one.',
    provider: 'A provider is an id such as google or microsoft.',
    domain: null,
  };
  return { title: `Could not show ${LABEL[kind].toLowerCase()} ${key}`, hint: hints[kind] };
}
