/** Message trace: search by address, queue id or Message-ID, then every line of each message's life in order. */

import type { MessageTrace, TraceEvent, TraceResponse } from '../../../server/http/contract/trace.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtTime } from '../format.js';
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

function eventsTable(state: ViewState, events: readonly TraceEvent[]): HTMLElement {
  return table(
    'Every logged line of this message, oldest first',
    [
      { label: 'Time', cell: (e) => h('span', { class: 'nowrap' }, fmtTime(e.ts)) },
      {
        label: 'Result',
        cell: (e) =>
          h(
            'div',
            { class: 'stack' },
            outcomeBadge(e.outcome),
            e.class !== 'success' ? classBadge(e.class) : null,
          ),
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
              e.program,
              e.relayHost ? ` · relay ${e.relayHost}${e.relayIp ? ` [${e.relayIp}]` : ''}` : '',
              e.clientHost || e.clientIp
                ? ` · client ${e.clientHost ?? ''}${e.clientIp ? ` [${e.clientIp}]` : ''}`
                : '',
              e.helo ? ` · HELO ${e.helo}` : '',
              e.stage ? ` · at ${e.stage}` : '',
              e.delay !== null ? ` · delay ${e.delay}s` : '',
              e.cause ? ' · ' : '',
              e.cause ? h('a', { href: linkTo(state, 'cause', e.cause) }, e.cause) : null,
              e.classConflict ? ` · ${e.classConflict}` : '',
            ),
          ),
      },
    ],
    events,
  );
}

function messageCard(state: ViewState, m: MessageTrace): HTMLElement {
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
    'article',
    { class: 'card message', 'data-testid': 'trace-message' },
    h('h2', null, 'Queue id ', h('span', { class: 'mono' }, m.queueId)),
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
    eventsTable(state, m.events),
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
    results.replaceChildren(loading());
    try {
      const r: TraceResponse = await api.trace({
        q: state.q,
        by: state.format ?? 'auto',
        ...(state.host ? { host: state.host } : {}),
      });
      const parts: HTMLElement[] = r.messages.map((m) => messageCard(state, m));
      if (r.rejects.length > 0)
        parts.push(section('Rejected before queueing', eventsTable(state, r.rejects)));
      results.replaceChildren(
        ...(parts.length > 0 ? parts : [h('p', { class: 'empty' }, 'No message matches this search.')]),
      );
    } catch (err) {
      results.replaceChildren(errorNotice(err));
    }
    root.dataset['loaded'] = String(Date.now());
  };
  return { refresh, destroy: () => undefined };
}
