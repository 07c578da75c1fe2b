/**
 * The overview's sections beside outbound deliverability: inbound delivery (mail to our own domains, and which
 * domains are ours and why) and inbound protection (what this server refused, with receiving-side actions).
 * Which one shows is kept in the URL (`section=`).
 */

import type { FlowsResponse, InboundResponse } from '../../../server/http/contract/flows.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtInt } from '../format.js';
import { formatHash, rangeParams, type OverviewSection, type ViewState } from '../state.js';
import { errorNotice, section, table } from '../ui.js';

const LABELS: Record<OverviewSection, string> = {
  outbound: 'Outbound deliverability',
  inbound: 'Inbound delivery',
  protection: 'Inbound protection',
};

/** Tabs as links: each keeps the range and host, and a pasted link opens the same section. */
export function sectionTabs(state: ViewState, current: OverviewSection): HTMLElement {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': 'Overview sections', 'data-testid': 'overview-sections' },
    ...(Object.keys(LABELS) as OverviewSection[]).map((id) =>
      h(
        'a',
        {
          href: formatHash({ ...state, section: id === 'outbound' ? null : id }),
          'data-testid': `section-${id}`,
          ...(id === current ? { 'aria-current': 'page', class: 'active' } : {}),
        },
        LABELS[id],
      ),
    ),
  );
}

const flowTotal = (f: { sent: number; deferred: number; bounced: number; expired: number }) =>
  f.sent + f.deferred + f.bounced + f.expired;

/**
 * The section a view without `section=` opens on: outbound deliverability, unless the range holds no outbound
 * mail (a pure MX): then what it has, not empty charts.
 */
export async function defaultSection(state: ViewState): Promise<OverviewSection> {
  const f = await api.flows(rangeParams(state));
  if (flowTotal(f.flows.outbound) > 0) return 'outbound';
  const inbound = await api.inbound({ ...rangeParams(state), limit: '1' });
  if (inbound.rejected > 0) return 'protection';
  return flowTotal(f.flows.inbound) > 0 ? 'inbound' : 'outbound';
}

function flowsTable(f: FlowsResponse): HTMLElement {
  type Row = { label: string; sent: number; deferred: number; bounced: number; expired: number };
  const rows: Row[] = [
    { label: 'Outbound (to other domains)', ...f.flows.outbound },
    { label: 'Inbound (to our domains)', ...f.flows.inbound },
    { label: 'Notifications this server sent', ...f.flows.notificationDeliveries },
  ];
  return table<Row>(
    'Deliveries by flow',
    [
      { label: 'Flow', cell: (r) => r.label },
      { label: 'Sent', numeric: true, cell: (r) => fmtInt(r.sent) },
      { label: 'Deferred', numeric: true, cell: (r) => fmtInt(r.deferred) },
      { label: 'Bounced', numeric: true, cell: (r) => fmtInt(r.bounced) },
      { label: 'Expired', numeric: true, cell: (r) => fmtInt(r.expired) },
    ],
    rows,
  );
}

function apartList(f: FlowsResponse): HTMLElement {
  const x = f.flows;
  const items: [string, number][] = [
    ['Hand-overs to a content filter (hops, not deliveries)', x.hops],
    ['Exim retry waits (nothing was tried)', x.waits],
    ['Discarded recipients', x.discarded],
    ['Address verification probes', x.probes],
    ['Notes (reject_warning, hold, warn: nothing refused)', x.notes],
    ['Failures caused by this server (local causes)', x.local],
  ];
  return h('ul', { class: 'plain' }, ...items.map(([label, n]) => h('li', null, `${label}: ${fmtInt(n)}`)));
}

function ownDomainsTable(f: FlowsResponse): HTMLElement {
  return table(
    'Our own domains',
    [
      { label: 'Domain', cell: (d) => h('code', null, d.domain) },
      { label: 'Why it is ours', cell: (d) => d.why },
      { label: 'From', cell: (d) => (d.source === 'config' ? 'the config' : 'the log') },
    ],
    f.ownDomains,
    'No own domain known: none was delivered to here, and the config names none (ownDomains).',
  );
}

export async function renderInboundDelivery(slot: HTMLElement, state: ViewState): Promise<void> {
  try {
    const f = await api.flows(rangeParams(state));
    slot.replaceChildren(
      section('Deliveries by flow', flowsTable(f), apartList(f)),
      section(
        'Our own domains',
        h(
          'p',
          { class: 'hint' },
          'Mail to these is inbound. A wrong guess? Name the domain in the config’s ownDomains, or write !domain to say it is not ours: it applies to mail already stored.',
        ),
        ownDomainsTable(f),
      ),
    );
  } catch (err) {
    slot.replaceChildren(errorNotice(err));
  }
}

export async function renderInboundProtection(slot: HTMLElement, state: ViewState): Promise<void> {
  try {
    const r: InboundResponse = await api.inbound({ ...rangeParams(state), limit: '20' });
    slot.replaceChildren(
      h(
        'p',
        { class: 'lead', 'data-testid': 'inbound-rejected' },
        `This server refused ${fmtInt(r.rejected)} attempts to deliver mail to it in this range. These are its own defences, not problems with the mail it sends.`,
      ),
      section(
        'Refused by reason',
        table(
          'Rejects by reason',
          [
            { label: 'Reason', cell: (c) => c.title },
            { label: 'Rejects', numeric: true, cell: (c) => fmtInt(c.count) },
            { label: 'What to do', cell: (c) => c.action },
          ],
          r.causes,
        ),
      ),
      section(
        'Refused clients',
        table(
          'Clients refused most',
          [
            { label: 'Client IP', cell: (c) => h('code', null, c.ip || '(none)') },
            { label: 'Reverse DNS', cell: (c) => c.host ?? '', optional: true },
            { label: 'HELO', cell: (c) => c.helo ?? '', optional: true },
            { label: 'Rejects', numeric: true, cell: (c) => fmtInt(c.count) },
            { label: 'Commonest reason', cell: (c) => c.cause ?? '' },
          ],
          r.clients,
        ),
      ),
      section(
        'Refused recipients',
        table(
          'Recipients of refused mail',
          [
            { label: 'Recipient', cell: (c) => h('code', null, c.recipient) },
            { label: 'Rejects', numeric: true, cell: (c) => fmtInt(c.count) },
            { label: 'Clients', numeric: true, cell: (c) => fmtInt(c.clients) },
          ],
          r.recipients,
        ),
      ),
    );
  } catch (err) {
    slot.replaceChildren(errorNotice(err));
  }
}
