/** Overview: tiles with change against the previous period, failures over time, top causes, domains that hurt. */

import type {
  CausesResponse,
  HostRow,
  HostTableResponse,
  SeriesResponse,
  SummaryResponse,
  TargetRow,
  TargetsResponse,
} from '../../../server/http/contract/overview.js';
import { api } from '../api.js';
import { timeChart, type ChartHandle } from '../charts.js';
import { h, withCode } from '../dom.js';
import { fmtChange, fmtInt, fmtPct, fmtPoints, fmtTime } from '../format.js';
import { formatHash, linkTo, rangeParams, type ViewState } from '../state.js';
import { errorNotice, section, table, type PageContext, type PageView } from '../ui.js';
import { renderAlerts } from './alerts-panel.js';
import { renderDataLocator } from './data-span.js';
import { renderFreshness } from './freshness.js';
import {
  defaultSection,
  renderInboundDelivery,
  renderInboundProtection,
  sectionTabs,
} from './overview-sections.js';

interface OverviewData {
  summary: SummaryResponse;
  series: SeriesResponse;
  causes: CausesResponse;
  domains: TargetsResponse;
  providers: TargetsResponse;
  hosts: HostTableResponse;
}

async function load(state: ViewState): Promise<OverviewData> {
  const p = rangeParams(state);
  const [summary, series, causes, domains, providers, hosts] = await Promise.all([
    api.summary(p),
    api.series(p),
    api.causes({ ...p, limit: '8' }),
    api.domains({ ...p, limit: '10' }),
    api.providers({ ...p, limit: '8' }),
    api.hostTable(p),
  ]);
  return { summary, series, causes, domains, providers, hosts };
}

/** One row per host of a fleet: its counts, and whether it stopped sending; the name sets the host filter. */
function hostsTable(state: ViewState, rows: readonly HostRow[]): HTMLElement {
  return table(
    'Hosts',
    [
      {
        label: 'Host',
        cell: (r) =>
          h('a', { href: formatHash({ ...state, host: r.host }), 'data-testid': 'host-row' }, r.host),
      },
      { label: 'Delivered', numeric: true, cell: (r) => fmtInt(r.sent) },
      { label: 'Deferred', numeric: true, cell: (r) => fmtInt(r.deferred) },
      { label: 'Bounced', numeric: true, cell: (r) => fmtInt(r.bounced) },
      { label: 'Expired', numeric: true, optional: true, cell: (r) => fmtInt(r.expired) },
      { label: 'Rejected', numeric: true, optional: true, cell: (r) => fmtInt(r.rejected) },
      {
        label: 'Bounce rate',
        numeric: true,
        cell: (r) => h('span', { class: (r.bounceRate ?? 0) >= 0.05 ? 'perm' : '' }, fmtPct(r.bounceRate)),
      },
      {
        label: 'Sending',
        cell: (r) =>
          r.silentSince === null
            ? h('span', { class: 'muted' }, 'yes')
            : h(
                'span',
                { class: 'perm', 'data-testid': 'host-silent' },
                `stopped: nothing since ${fmtTime(r.silentSince)}`,
              ),
      },
    ],
    rows,
  );
}

/**
 * Higher is worse for every tile but "delivered": the arrow colour says which way is bad. A change against a
 * period that held no data at all means nothing, so it says so instead (`changeText` null).
 */
function tile(
  label: string,
  value: string,
  changeText: string | null,
  worse: boolean | null,
  testid: string,
  note: string | null = null,
  /** Neither period held anything: no change line at all. */
  quiet = false,
): HTMLElement {
  const trend = worse === null || changeText === null ? 'flat' : worse ? 'worse' : 'better';
  return h(
    'div',
    { class: 'tile', 'data-testid': testid },
    h('span', { class: 'tile-label' }, label),
    h('span', { class: 'tile-value num' }, value),
    note ? h('span', { class: 'tile-note' }, note) : null,
    quiet
      ? null
      : h(
          'span',
          { class: `tile-change ${trend}`, title: 'Change against the previous period of the same length' },
          changeText === null ? 'no data before' : `${changeText} vs previous`,
        ),
  );
}

const total = (c: SummaryResponse['counts']) => c.sent + c.deferred + c.bounced + c.expired + c.rejected;

const direction = (c: number | null, higherIsWorse: boolean): boolean | null =>
  c === null || Math.abs(c) < 0.005 ? null : c > 0 === higherIsWorse;

function tiles(s: SummaryResponse): HTMLElement {
  const { counts, change } = s;
  const before = total(s.previousCounts) > 0;
  const quiet = !before && total(counts) === 0;
  const countTile = (
    label: string,
    outcome: 'sent' | 'deferred' | 'bounced' | 'rejected',
    note: string | null = null,
  ): HTMLElement =>
    tile(
      label,
      fmtInt(counts[outcome]),
      before ? fmtChange(change[outcome], counts[outcome]) : null,
      direction(change[outcome], outcome !== 'sent'),
      `tile-${outcome}`,
      note,
      quiet,
    );
  return h(
    'div',
    { class: 'tiles', role: 'group', 'aria-label': 'Totals for the selected range' },
    countTile('Delivered', 'sent'),
    countTile('Deferred', 'deferred'),
    // Expired mail never arrived either: say how much, next to the bounces.
    countTile(
      'Bounced',
      'bounced',
      counts.expired > 0
        ? `and ${fmtInt(counts.expired)} expired recipient${counts.expired === 1 ? '' : 's'}`
        : null,
    ),
    countTile('Rejected (inbound)', 'rejected'),
    tile(
      'Bounce rate',
      fmtPct(s.rates.bounceRate),
      before ? fmtPoints(change.bounceRate) : null,
      direction(change.bounceRate, true),
      'tile-bounce-rate',
      null,
      quiet,
    ),
  );
}

function causesTable(state: ViewState, c: CausesResponse): HTMLElement {
  return table(
    'Top failure causes',
    [
      {
        label: 'Cause',
        cell: (r) =>
          h(
            'div',
            { class: 'cause-cell' },
            h('a', { href: linkTo(state, 'cause', r.cause) }, r.title),
            h('span', { class: 'muted id' }, r.cause),
          ),
      },
      {
        label: 'Codes',
        optional: true,
        cell: (r) =>
          h(
            'span',
            { class: 'codes' },
            ...r.codes
              .slice(0, 3)
              .flatMap((k) => [h('a', { href: linkTo(state, 'code', k.code), class: 'code' }, k.code), ' ']),
          ),
      },
      {
        label: 'Temporary',
        numeric: true,
        cell: (r) => h('span', { class: r.temporary ? 'temp' : 'muted' }, fmtInt(r.temporary)),
      },
      {
        label: 'Permanent',
        numeric: true,
        cell: (r) => h('span', { class: r.permanent ? 'perm' : 'muted' }, fmtInt(r.permanent)),
      },
      { label: 'Rejected', numeric: true, optional: true, cell: (r) => fmtInt(r.rejected) },
      {
        label: 'What to do',
        wide: true,
        cell: (r) => h('p', { class: 'action' }, ...(r.action ? withCode(r.action) : ['–'])),
      },
    ],
    c.causes,
    'No failures in this range.',
  );
}

function targetsTable(
  state: ViewState,
  kind: 'domain' | 'provider',
  rows: readonly TargetRow[],
): HTMLElement {
  return table(
    kind === 'domain' ? 'Recipient domains with the most failures' : 'Providers with the most failures',
    [
      {
        label: kind === 'domain' ? 'Domain' : 'Provider',
        cell: (r) => h('a', { href: linkTo(state, kind, r.key) }, r.name ?? r.key),
      },
      { label: 'Delivered', numeric: true, cell: (r) => fmtInt(r.sent) },
      { label: 'Deferred', numeric: true, cell: (r) => fmtInt(r.deferred) },
      { label: 'Bounced', numeric: true, cell: (r) => fmtInt(r.bounced) },
      { label: 'Expired', numeric: true, optional: true, cell: (r) => fmtInt(r.expired) },
      {
        label: 'Bounce rate',
        numeric: true,
        cell: (r) => h('span', { class: (r.bounceRate ?? 0) >= 0.05 ? 'perm' : '' }, fmtPct(r.bounceRate)),
      },
      {
        label: 'Deferral rate',
        numeric: true,
        optional: true,
        cell: (r) => h('span', { class: (r.deferralRate ?? 0) >= 0.1 ? 'temp' : '' }, fmtPct(r.deferralRate)),
      },
      {
        label: 'Main cause',
        optional: true,
        cell: (r) =>
          r.topCause
            ? h('a', { href: linkTo(state, 'cause', r.topCause), class: 'muted id' }, r.topCause)
            : '–',
      },
    ],
    rows,
  );
}

export function renderOverview(root: HTMLElement, ctx: PageContext): PageView {
  const state = ctx.state;
  const alertsSlot = h('div', { 'data-testid': 'alerts' });
  const freshnessSlot = h('div', { 'data-testid': 'freshness-slot' });
  const tilesSlot = h('div', { class: 'slot' });
  const failuresSlot = h('div', { class: 'chart-slot' });
  const volumeSlot = h('div', { class: 'chart-slot' });
  const causesSlot = h('div');
  const domainsSlot = h('div');
  const providersSlot = h('div');
  const hostsSlot = h('div');
  const hostsBox = section('Hosts', hostsSlot);
  hostsBox.hidden = true;
  const tabsSlot = h('div');
  const otherSlot = h('div', { 'data-testid': 'overview-section' });
  const outboundBox = h(
    'div',
    null,
    tilesSlot,
    h(
      'div',
      { class: 'grid-2' },
      section(
        'Failures over time',
        h('p', { class: 'hint' }, 'Temporary failures are retried; permanent ones bounced.'),
        failuresSlot,
      ),
      section('All outcomes over time', volumeSlot),
    ),
    section('Top causes', causesSlot),
    section('Recipient domains that hurt most', domainsSlot),
    section('Providers', providersSlot),
    hostsBox,
  );
  root.append(h('h1', null, 'Overview'), freshnessSlot, alertsSlot, tabsSlot, outboundBox, otherSlot);
  let charts: ChartHandle[] = [];
  let generation = 0;
  const narrow = (from: number, to: number) =>
    ctx.navigate({ range: null, from: new Date(from).toISOString(), to: new Date(to).toISOString() });

  /** Inbound delivery or protection instead of the outbound charts; false when outbound is the section. */
  const showSection = async (mine: number): Promise<boolean> => {
    let current = state.section ?? null;
    if (current === null) {
      try {
        current = await defaultSection(state);
      } catch {
        current = 'outbound';
      }
    }
    if (mine !== generation) return true;
    tabsSlot.replaceChildren(sectionTabs(state, current));
    outboundBox.hidden = current !== 'outbound';
    otherSlot.hidden = current === 'outbound';
    if (current === 'outbound') return false;
    if (current === 'inbound') await renderInboundDelivery(otherSlot, state);
    else await renderInboundProtection(otherSlot, state);
    if (mine === generation) root.dataset['loaded'] = String(Date.now());
    return true;
  };

  const refresh = async () => {
    const mine = ++generation;
    void renderAlerts(alertsSlot, state);
    // The outbound figures are asked for while the section is decided, not after: most servers send, and the
    // page then waits for one round of calls instead of two.
    const outbound = (state.section ?? 'outbound') === 'outbound' ? load(state) : null;
    outbound?.catch(() => undefined);
    if (await showSection(mine)) return;
    try {
      const d = await (outbound ?? load(state));
      if (mine !== generation) return;
      // An empty range with data elsewhere says where the data is; otherwise, on a live view, how fresh it is.
      const located =
        total(d.summary.counts) === 0 &&
        (await renderDataLocator(freshnessSlot, (next) => ctx.navigate(next)));
      if (mine !== generation) return;
      if (located) freshnessSlot.dataset['checked'] = String(Date.now());
      else void renderFreshness(freshnessSlot, state);
      tilesSlot.replaceChildren(tiles(d.summary));
      if (charts.length === 0) {
        charts = [
          timeChart(failuresSlot, 'failures', 'Temporary and permanent failures over time', d.series, {
            onSelect: narrow,
          }),
          timeChart(volumeSlot, 'outcomes', 'Outcomes over time', d.series, { onSelect: narrow }),
        ];
      } else for (const c of charts) c.update(d.series);
      causesSlot.replaceChildren(causesTable(state, d.causes));
      domainsSlot.replaceChildren(targetsTable(state, 'domain', d.domains.rows));
      providersSlot.replaceChildren(targetsTable(state, 'provider', d.providers.rows));
      // A single server needs no per-host table; a fleet (or a host filter) shows it.
      hostsBox.hidden = d.hosts.rows.length < 2 && state.host === null;
      hostsSlot.replaceChildren(hostsTable(state, d.hosts.rows));
      root.dataset['loaded'] = String(Date.now());
    } catch (err) {
      if (mine !== generation) return;
      tilesSlot.replaceChildren(errorNotice(err));
      root.dataset['loaded'] = String(Date.now());
    }
  };
  return {
    refresh,
    destroy: () => {
      generation++;
      for (const c of charts) c.destroy();
    },
  };
}
