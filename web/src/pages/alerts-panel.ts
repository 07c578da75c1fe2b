/** Open and recently resolved alerts at the top of the overview, with their evidence and what to do. */

import type { AlertsResponse } from '../../../server/http/contract/alerts.js';
import { api, type ApiFailure } from '../api.js';
import { h, withCode } from '../dom.js';
import { fmtRelative } from '../format.js';
import { linkTo, type ViewState } from '../state.js';
import { replyText } from '../ui.js';

type Alert = AlertsResponse['open'][number];

/** `domain example.com` / `provider google` subjects link to their drill-down. */
function subjectLink(state: ViewState, subject: string): HTMLElement | string {
  const m = /^(domain|provider) (\S+)$/.exec(subject);
  if (!m) return subject;
  return h('a', { href: linkTo(state, m[1] === 'domain' ? 'domain' : 'provider', m[2]) }, subject);
}

function alertItem(state: ViewState, a: Alert, now: number): HTMLElement {
  const example = a.evidence.examples[0];
  const resolved = a.resolvedAt !== null;
  return h(
    'li',
    { class: `alert ${resolved ? 'resolved' : a.severity}`, 'data-testid': 'alert' },
    h(
      'div',
      { class: 'alert-head' },
      h('span', { class: 'badge' }, resolved ? 'resolved' : a.severity),
      ' ',
      h('strong', null, subjectLink(state, a.subject)),
      h(
        'span',
        { class: 'muted' },
        resolved && a.resolvedAt !== null
          ? ` · resolved ${fmtRelative(a.resolvedAt, now)}`
          : ` · opened ${fmtRelative(a.openedAt, now)}`,
      ),
    ),
    h('p', null, a.summary),
    example ? replyText(example.diagnostic) : null,
    a.evidence.action ? h('p', { class: 'action' }, ...withCode(a.evidence.action)) : null,
  );
}

/**
 * Fills `slot` with the alerts of the last day; leaves it empty when there are none or alerts are off. Marks it
 * `data-checked` once it has decided, so that "nothing shown" can be told from "not asked yet".
 */
export async function renderAlerts(slot: HTMLElement, state: ViewState): Promise<void> {
  delete slot.dataset['checked'];
  await fill(slot, state);
  slot.dataset['checked'] = String(Date.now());
}

async function fill(slot: HTMLElement, state: ViewState): Promise<void> {
  let body: AlertsResponse;
  try {
    body = await api.alerts();
  } catch (err) {
    // 404: this server runs without the alert engine (serve with alerts off); nothing to show.
    const status = (err as Partial<ApiFailure>).status;
    slot.replaceChildren(status === 404 ? '' : h('p', { class: 'muted' }, 'Alerts could not be loaded.'));
    return;
  }
  const items = [...body.open, ...body.recent.filter((a) => a.resolvedAt !== null)];
  if (items.length === 0) {
    slot.replaceChildren();
    return;
  }
  slot.replaceChildren(
    h(
      'section',
      { class: 'card alerts', 'aria-label': 'Alerts' },
      h('h2', null, body.open.length > 0 ? `Alerts (${body.open.length} open)` : 'Alerts (all resolved)'),
      h('ul', { class: 'alert-list' }, ...items.slice(0, 8).map((a) => alertItem(state, a, body.now))),
    ),
  );
}
