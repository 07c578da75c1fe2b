/** How a code explanation reads, on the code reference and on a code's drill-down. */

import type { CodeExplanation } from '../../server/http/contract/reference.js';
import { h, withCode } from './dom.js';
import { linkTo, type ViewState } from './state.js';
import { classBadge } from './ui.js';

export function explanationBody(state: ViewState, e: CodeExplanation): HTMLElement[] {
  const out: HTMLElement[] = [
    h('p', { class: 'meaning' }, h('strong', null, e.title), ' ', e.class ? classBadge(e.class) : null),
    h('p', null, e.meaning),
  ];
  if (e.actions.length > 0) {
    out.push(
      h(
        'div',
        { class: 'action-box' },
        h('h3', null, 'What to do'),
        h('ul', null, ...e.actions.map((a) => h('li', null, ...withCode(a)))),
      ),
    );
  }
  if (e.causes.length > 0) {
    out.push(
      h(
        'p',
        null,
        h('span', { class: 'muted' }, 'Usually means: '),
        ...e.causes.flatMap((c, i) => [
          i > 0 ? ', ' : '',
          h('a', { href: linkTo(state, 'cause', c.cause) }, c.title),
        ]),
      ),
    );
  }
  if (e.providerNotes.length > 0) out.push(h('h3', null, 'How large providers use it'));
  for (const p of e.providerNotes) {
    out.push(
      h(
        'div',
        { class: 'provider-note' },
        h('h4', null, `${p.provider}: ${p.label}`),
        h(
          'p',
          null,
          p.meaning,
          p.cause ? ' ' : null,
          p.cause ? h('a', { href: linkTo(state, 'cause', p.cause.cause) }, `(${p.cause.title})`) : null,
        ),
        h('p', null, h('strong', null, 'What to do: '), ...withCode(p.action)),
        // Another origin is never a link on this dashboard: the page is named for the reader to open.
        h('p', { class: 'muted source' }, `Source: ${p.source}`),
      ),
    );
  }
  for (const n of e.notes) out.push(h('p', { class: 'muted note' }, n));
  out.push(h('p', { class: 'muted source' }, `Source: ${e.source}`));
  return out;
}
