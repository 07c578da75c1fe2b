/**
 * How fresh the data is, on a live overview: when no event has been stored for a while, say when the newest one
 * was, so a stalled reader is not taken for a quiet mail server (or the other way round).
 */

import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtRelative, fmtTime } from '../format.js';
import { isLive, type ViewState } from '../state.js';

/** After this long without a stored event the overview says when the newest one was. */
const QUIET_AFTER_MS = 15 * 60_000;

/** Fills `slot` (or empties it) and marks it `data-checked` once it has decided. */
export async function renderFreshness(slot: HTMLElement, state: ViewState): Promise<void> {
  delete slot.dataset['checked'];
  await fill(slot, state);
  slot.dataset['checked'] = String(Date.now());
}

async function fill(slot: HTMLElement, state: ViewState): Promise<void> {
  if (!isLive(state)) {
    slot.replaceChildren();
    return;
  }
  try {
    const health = await api.health();
    if (health.indexesMissing > 0) {
      slot.replaceChildren(
        h(
          'p',
          { class: 'notice info', 'data-testid': 'indexes-missing' },
          `An import was interrupted before it built ${health.indexesMissing} of the database's indexes. They are being built now; until then these figures come from the rollups, and drill-downs, traces and reports are slow.`,
        ),
      );
      return;
    }
    const newest = Math.max(health.newestAttemptTs ?? -Infinity, health.newestRejectTs ?? -Infinity);
    if (newest === -Infinity) {
      slot.replaceChildren(
        h(
          'p',
          { class: 'notice info', 'data-testid': 'freshness' },
          'No delivery or reject is stored yet. Once bouncewatch reads your mail log (or you import one with bouncewatch ingest), the figures appear here.',
        ),
      );
    } else if (health.now - newest > QUIET_AFTER_MS) {
      slot.replaceChildren(
        h(
          'p',
          { class: 'notice info', 'data-testid': 'freshness' },
          `Newest event ${fmtTime(newest)} (${fmtRelative(newest, health.now)}). If mail has flowed since, check that bouncewatch still reads the log: /healthz says when it last read a line.`,
        ),
      );
    } else slot.replaceChildren();
  } catch {
    // The overview says what failed; this note is only a hint.
    slot.replaceChildren();
  }
}
