/** Small building blocks the pages share: sections, tables with numeric columns, badges, notices. */

import type { ApiFailure } from './api.js';
import { h, type Child } from './dom.js';
import type { ViewState } from './state.js';

export interface PageContext {
  state: ViewState;
  /** Replaces the hash with a new state (adds a history entry). */
  navigate(next: Partial<ViewState>): void;
}

export interface PageView {
  /** Re-reads the data and updates the view in place (live updates call this). */
  refresh(): Promise<void>;
  destroy(): void;
}

export function section(title: string, ...children: Child[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export interface Column<T> {
  label: string;
  /** Right-aligned, tabular digits. */
  numeric?: boolean;
  cell(row: T): Child;
  /** Hidden on narrow screens. */
  optional?: boolean;
}

export function table<T>(
  caption: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  empty = 'Nothing in this range.',
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  const cls = (c: Column<T>) =>
    [c.numeric ? 'num' : '', c.optional ? 'opt' : ''].filter(Boolean).join(' ') || undefined;
  const headRow = h('tr', null, ...columns.map((c) => h('th', { scope: 'col', class: cls(c) }, c.label)));
  const body = rows.map((r) => h('tr', null, ...columns.map((c) => h('td', { class: cls(c) }, c.cell(r)))));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, headRow),
      h('tbody', null, ...body),
    ),
  );
}

export function classBadge(cls: string): HTMLElement {
  const label =
    cls === 'temporary'
      ? 'temporary'
      : cls === 'permanent'
        ? 'permanent'
        : cls === 'success'
          ? 'delivered'
          : cls;
  return h(
    'span',
    {
      class: `badge badge-${cls === 'temporary' || cls === 'permanent' || cls === 'success' ? cls : 'other'}`,
    },
    label,
  );
}

export function outcomeBadge(outcome: string): HTMLElement {
  const known = ['sent', 'deferred', 'bounced', 'expired', 'rejected'].includes(outcome);
  return h(
    'span',
    { class: `badge outcome-${known ? outcome : 'other'}` },
    outcome === 'sent' ? 'delivered' : outcome,
  );
}

export function errorNotice(err: unknown): HTMLElement {
  const f = err as Partial<ApiFailure>;
  const message = err instanceof Error ? err.message : 'request failed';
  return h(
    'div',
    { class: 'notice error', role: 'alert' },
    h('strong', null, 'Could not load: '),
    message,
    f.code ? ` (${f.code})` : '',
  );
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', 'aria-busy': 'true' }, 'Loading…');
}

/** Reply text as logged: always a text node, in a block that wraps long lines. */
export function replyText(text: string): HTMLElement {
  return h('code', { class: 'reply' }, text === '' ? '(no reply text)' : text);
}
