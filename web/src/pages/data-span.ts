/**
 * Where the data is, for a view whose range holds none: an imported log of last month must not open on an empty
 * day with no way to it. Says when the stored data begins and ends and offers the whole span or its last day.
 */

import type { DataSpanResponse } from '../../../server/http/contract/overview.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtDay, fmtTime } from '../format.js';
import type { ViewState } from '../state.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The range to go to for "all of it" and "the last day with data", as the URL writes them. */
function spanTargets(span: NonNullable<DataSpanResponse['span']>, newestTs: number | null) {
  const end = newestTs === null ? span.to : newestTs - (newestTs % HOUR) + HOUR;
  return {
    all: { from: new Date(span.from).toISOString(), to: new Date(span.to).toISOString() },
    lastDay: {
      from: new Date(Math.max(span.from, end - DAY)).toISOString(),
      to: new Date(end).toISOString(),
    },
  };
}

/**
 * Fills `slot` with the way to the data when `empty` (the range shows nothing) and the store holds some;
 * resolves true when it did. An empty store is left to the freshness note.
 */
export async function renderDataLocator(
  slot: HTMLElement,
  navigate: (next: Partial<ViewState>) => void,
): Promise<boolean> {
  let body: DataSpanResponse;
  try {
    body = await api.span();
  } catch {
    return false;
  }
  const { span, newestTs } = body;
  if (!span) return false;
  const go = spanTargets(span, newestTs);
  const button = (label: string, testid: string, range: { from: string; to: string }) => {
    const b = h('button', { type: 'button', 'data-testid': testid }, label);
    b.addEventListener('click', () => navigate({ range: null, ...range }));
    return b;
  };
  const newest = newestTs ?? span.to;
  slot.replaceChildren(
    h(
      'div',
      { class: 'notice info locator', role: 'status', 'data-testid': 'data-locator' },
      h(
        'p',
        null,
        h('strong', null, 'Nothing in this range. '),
        `The stored data runs from ${fmtDay(span.from)} to ${fmtDay(newest)} (newest event ${fmtTime(newest)}).`,
      ),
      h(
        'p',
        { class: 'locator-actions' },
        button(`Show all of it (${fmtDay(span.from)} to ${fmtDay(newest)})`, 'show-all-data', go.all),
        button(`Show the last day with data (${fmtDay(newest)})`, 'show-last-day', go.lastDay),
      ),
    ),
  );
  return true;
}
