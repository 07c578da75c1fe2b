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
  /** Hidden on narrow screens in wide tables; shown in the phone's cards. */
  optional?: boolean;
  /** Text that needs the whole width of a phone card (an action, a reply text). */
  wide?: boolean;
}

/**
 * A table that turns into cards on a phone: the first column heads each card, every other cell is shown with its
 * column's name. The explicit roles keep it a table for screen readers when the cards restyle it.
 */
export function table<T>(
  caption: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  empty = 'Nothing in this range.',
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  const cls = (c: Column<T>, i: number) =>
    [c.numeric ? 'num' : '', c.optional ? 'opt' : '', c.wide ? 'wide' : '', i === 0 ? 'key' : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const headRow = h(
    'tr',
    { role: 'row' },
    ...columns.map((c, i) => h('th', { scope: 'col', role: 'columnheader', class: cls(c, i) }, c.label)),
  );
  const body = rows.map((r) =>
    h(
      'tr',
      { role: 'row' },
      ...columns.map((c, i) => h('td', { class: cls(c, i), role: 'cell', 'data-label': c.label }, c.cell(r))),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'cards', role: 'table' },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', { role: 'rowgroup' }, headRow),
      h('tbody', { role: 'rowgroup' }, ...body),
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

/** What any reply code looks like, for notices about a code that was not understood. */
export const CODE_HINT =
  "A code looks like 550 (a basic reply code), 5.7.1 (an enhanced status), 550 5.7.1 (both) or S3150 (a provider's own).";

/**
 * A failed request, with the server's reason in words (never only "could not load") and, where given, what a
 * right value looks like.
 */
export function errorNotice(err: unknown, about: { title?: string; hint?: string | null } = {}): HTMLElement {
  const f = err as Partial<ApiFailure>;
  const reason = err instanceof Error && err.message ? err.message : 'the server did not answer';
  const hint = f.status !== undefined && f.status >= 400 && f.status < 500 ? about.hint : null;
  return h(
    'div',
    { class: 'notice error', role: 'alert', 'data-testid': 'error' },
    h(
      'p',
      null,
      h('strong', null, `${about.title ?? 'Could not load this view'}: `),
      /[.!?]$/.test(reason) ? reason : `${reason}.`,
    ),
    hint ? h('p', null, hint) : null,
    f.status === undefined || f.status >= 500
      ? h('p', null, 'Check that bouncewatch is still running; its log says what failed.')
      : null,
  );
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', 'aria-busy': 'true' }, 'Loading…');
}

/** Reply text as logged: always a text node, in a block that wraps long lines. */
export function replyText(text: string): HTMLElement {
  return h('code', { class: 'reply' }, text === '' ? '(no reply text)' : text);
}
