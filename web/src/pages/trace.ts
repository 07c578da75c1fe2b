/** Message trace: search by address, queue id or Message-ID, then every line of each message's life in order. */

import type { MessageTrace, TraceEvent, TraceResponse } from '../../../server/http/contract/trace.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtInt, fmtTime } from '../format.js';
import { linkTo, type ViewState } from '../state.js';
import {
  classBadge,
  errorNotice,
  loading,
  outcomeBadge,
  replyText,
  section,
  table,
  type PageContext,
  type PageView,
} from '../ui.js';

const BY = [
  ['auto', 'Guess from the text'],
  ['recipient', 'Recipient'],
  ['sender', 'Sender'],
  ['queue-id', 'Queue id'],
  ['message-id', 'Message-ID'],
] as const;

/** A hop is a hand-over to a local filter that queued the message again, never a delivery. */
const resultBadge = (e: TraceEvent): HTMLElement =>
  e.hop ? h('span', { class: 'badge outcome-other' }, 'handed to filter') : outcomeBadge(e.outcome);

function eventsTable(state: ViewState, events: readonly TraceEvent[], severalIds: boolean): HTMLElement {
  return table(
    'Every logged line of this message, oldest first',
    [
      { label: 'Time', cell: (e) => h('span', { class: 'nowrap' }, fmtTime(e.ts)) },
      {
        label: 'Result',
        cell: (e) =>
          h('div', { class: 'stack' }, resultBadge(e), e.class !== 'success' ? classBadge(e.class) : null),
      },
      { label: 'Recipient', cell: (e) => (e.recipient ? h('span', { class: 'addr' }, e.recipient) : '–') },
      {
        label: 'Code',
        cell: (e) => {
          const code = e.enhancedStatus ?? e.dsn ?? (e.replyCode === null ? null : String(e.replyCode));
          return code && /^[245](\d\d|\.\d{1,3}\.\d{1,3})$/.test(code)
            ? h('a', { href: linkTo(state, 'code', code), class: 'code' }, code)
            : '–';
        },
      },
      {
        label: 'Details',
        wide: true,
        cell: (e) =>
          h(
            'div',
            { class: 'sample' },
            replyText(e.diagnostic),
            h(
              'div',
              { class: 'sample-meta muted' },
              // Through a content filter the life has several queue ids: say which one the line was logged under.
              severalIds && e.queueId ? `${e.queueId} · ` : '',
              e.program,
              e.relayHost ? ` · relay ${e.relayHost}${e.relayIp ? ` [${e.relayIp}]` : ''}` : '',
              e.clientHost || e.clientIp
                ? ` · client ${e.clientHost ?? ''}${e.clientIp ? ` [${e.clientIp}]` : ''}`
                : '',
              e.helo ? ` · HELO ${e.helo}` : '',
              e.stage ? ` · at ${e.stage}` : '',
              e.delay !== null ? ` · delay ${e.delay}s` : '',
              e.cause ? ' · ' : '',
              e.cause ? h('a', { href: linkTo(state, 'cause', e.cause) }, e.causeTitle ?? e.cause) : null,
            ),
            // The classifier's own sentence, as `classify` prints it: what disagreed and what it decided.
            e.classConflict
              ? h('p', { class: 'conflict-note' }, h('strong', null, 'Conflict: '), e.classConflict)
              : null,
          ),
      },
    ],
    events,
  );
}

/** The compact line of a message: when, its queue id, the sender and how each recipient ended. */
function messageSummary(m: MessageTrace): HTMLElement {
  const outcomes = new Map<string, number>();
  for (const r of m.recipients) outcomes.set(r.finalOutcome, (outcomes.get(r.finalOutcome) ?? 0) + 1);
  const recipients =
    m.recipients.length > 0
      ? m.recipients.map((r) => r.recipient)
      : [...new Set(m.events.map((e) => e.recipient).filter((r): r is string => r !== null))];
  const last = m.events.at(-1);
  return h(
    'summary',
    { class: 'message-line' },
    h('span', { class: 'nowrap muted' }, fmtTime(m.lastTs)),
    h('span', { class: 'mono' }, m.queueIds.join(' → ')),
    h(
      'span',
      { class: 'addr' },
      recipients.slice(0, 2).join(', ') || '–',
      recipients.length > 2 ? ` and ${recipients.length - 2} more` : '',
    ),
    h(
      'span',
      { class: 'stack-row' },
      ...(outcomes.size > 0
        ? [...outcomes].map(([o, n]) => h('span', { class: `badge final-${o}` }, n > 1 ? `${n} ${o}` : o))
        : last
          ? [resultBadge(last)]
          : []),
    ),
  );
}

function messageCard(state: ViewState, m: MessageTrace, open: boolean): HTMLElement {
  const facts: [string, string | null][] = [
    ['Host', m.host],
    ['Sender', m.sender],
    ['Message-ID', m.messageId],
    ['Size', m.size === null ? null : `${m.size} bytes`],
    ['Client', m.clientHost || m.clientIp ? `${m.clientHost ?? ''} [${m.clientIp ?? ''}]` : null],
    ['Notification of', m.notificationOf],
    ['First seen', fmtTime(m.firstTs)],
    ['Last seen', fmtTime(m.lastTs)],
    ['Expired', m.expiredAt === null ? null : fmtTime(m.expiredAt)],
    ['Removed', m.closedAt === null ? null : fmtTime(m.closedAt)],
  ];
  return h(
    'details',
    { class: 'card message', 'data-testid': 'trace-message', ...(open ? { open: '' } : {}) },
    messageSummary(m),
    h(
      'div',
      { class: 'message-body' },
      h(
        'h2',
        null,
        m.queueIds.length > 1 ? 'Queue ids ' : 'Queue id ',
        h('span', { class: 'mono' }, m.queueIds.join(' → ')),
      ),
      m.queueIds.length > 1
        ? h(
            'p',
            { class: 'muted' },
            'One message: handed to a content filter, which queued it again under the next id. Only the last outcome counts as its delivery.',
          )
        : null,
      h(
        'dl',
        { class: 'facts' },
        ...facts
          .filter(([, v]) => v !== null && v !== '')
          .flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
      ),
      m.recipients.length > 0
        ? table(
            'Final outcome per recipient',
            [
              { label: 'Recipient', cell: (r) => h('span', { class: 'addr' }, r.recipient) },
              {
                label: 'Final outcome',
                cell: (r) => h('span', { class: `badge final-${r.finalOutcome}` }, r.finalOutcome),
              },
              { label: 'Deferrals', numeric: true, cell: (r) => String(r.deferrals) },
              {
                label: 'Finished',
                optional: true,
                cell: (r) => (r.finalTs === null ? '–' : fmtTime(r.finalTs)),
              },
            ],
            m.recipients,
          )
        : null,
      eventsTable(state, m.events, m.queueIds.length > 1),
    ),
  );
}

/** A search text that names a recipient domain rather than a message (`example.com`, `@example.com`). */
const DOMAIN_RE = /^@?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/i;

function domainOffer(state: ViewState, q: string): HTMLElement | null {
  const m = DOMAIN_RE.exec(q);
  if (!m?.[1]) return null;
  const domain = m[1].toLowerCase();
  return h(
    'p',
    { class: 'notice info', 'data-testid': 'domain-offer' },
    `${domain} looks like a recipient domain. `,
    h(
      'a',
      { href: linkTo({ ...state, range: state.range ?? '7d' }, 'domain', domain) },
      `See what happened to mail for ${domain} →`,
    ),
  );
}

export function renderTrace(root: HTMLElement, ctx: PageContext): PageView {
  const state = ctx.state;
  const input = h('input', {
    id: 'trace-q',
    name: 'q',
    type: 'search',
    value: state.q ?? '',
    placeholder: 'recipient@example.com, queue id or <message-id>',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '320',
    required: '',
  });
  const by = h('select', { id: 'trace-by', name: 'by' }, ...BY.map(([v, l]) => h('option', { value: v }, l)));
  by.value = state.format ?? 'auto';
  const form = h(
    'form',
    { class: 'search', role: 'search', 'aria-label': 'Message trace search' },
    h('label', { for: 'trace-q' }, 'Find messages'),
    input,
    h('label', { for: 'trace-by', class: 'sr-only' }, 'Search in'),
    by,
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (q) ctx.navigate({ q, format: by.value === 'auto' ? null : by.value });
  });
  const results = h('div', { 'aria-live': 'polite' });
  root.append(h('h1', null, 'Message trace'), section('Search', form), results);
  const PAGE = 20;

  const refresh = async () => {
    if (!state.q) {
      results.replaceChildren(
        h(
          'p',
          { class: 'empty' },
          'Search for a recipient or sender address, a queue id or a Message-ID to see every attempt of a message in order.',
        ),
      );
      root.dataset['loaded'] = String(Date.now());
      return;
    }
    const q = state.q;
    results.replaceChildren(loading());
    const fetchPage = (offset: number) =>
      api.trace({
        q,
        by: state.format ?? 'auto',
        limit: String(PAGE),
        offset: String(offset),
        ...(state.host ? { host: state.host } : {}),
      });
    try {
      const r: TraceResponse = await fetchPage(0);
      const count = h('p', { class: 'result-count', 'data-testid': 'trace-count' });
      const list = h('div', { class: 'message-list' });
      const more = h('button', { type: 'button', 'data-testid': 'trace-more' }, `Show ${PAGE} more`);
      let shown = 0;
      let listed = 0;
      const add = (page: TraceResponse) => {
        // One message found opens at once; a list starts compact, one line each.
        const single = page.total <= page.scanned && page.messages.length === 1;
        list.append(...page.messages.map((m) => messageCard(state, m, single)));
        listed += page.messages.length;
        shown = Math.min(page.total, page.offset + page.scanned);
        // Lives joined across a content filter's hops come from two queue ids each: say so when it shows.
        const of =
          listed === shown
            ? `${fmtInt(shown)} of ${fmtInt(page.total)} message${page.total === 1 ? '' : 's'}`
            : `${fmtInt(listed)} message${listed === 1 ? '' : 's'} from ${fmtInt(shown)} of ${fmtInt(page.total)} queue ids`;
        count.textContent =
          page.total === 0
            ? ''
            : `${of}, newest first${page.total > 1 && !single ? '; open one to see every line of it' : ''}.`;
        more.hidden = shown >= page.total;
      };
      more.addEventListener('click', () => {
        more.disabled = true;
        fetchPage(shown)
          .then(add)
          .catch((err: unknown) => list.append(errorNotice(err)))
          .finally(() => {
            more.disabled = false;
          });
      });
      add(r);
      const parts: HTMLElement[] = [];
      const offer = domainOffer(state, q);
      if (offer) parts.push(offer);
      if (r.total > 0) parts.push(count, list, more);
      if (r.rejects.length > 0)
        parts.push(section('Rejected before queueing', eventsTable(state, r.rejects, false)));
      if (r.total === 0 && r.rejects.length === 0)
        parts.push(h('p', { class: 'empty' }, 'No message matches this search.'));
      results.replaceChildren(...parts);
    } catch (err) {
      results.replaceChildren(errorNotice(err, { title: 'Could not search' }));
    }
    root.dataset['loaded'] = String(Date.now());
  };
  return { refresh, destroy: () => undefined };
}
