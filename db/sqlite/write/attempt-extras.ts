/**
 * An attempt's stored values split in two (migration 0012): attempt_rows, and attempt_extras for the columns that
 * are nearly always empty, with a row only for the attempts that have one of them. Ids are given here, so each
 * extras row names its attempt. The parts of its route become one route id (part-ids.ts, migration 0013).
 */

import { ATTEMPT_LAYOUT } from './lean-rows.js';
import type { Stored, Value } from './pack-batch.js';
import { ROUTES } from './part-ids.js';

/** The columns an attempt keeps in attempt_extras. */
const EXTRA_COLUMNS = [
  'queue_id',
  'orig_recipient',
  'sender',
  'sender_domain',
  'blocklist',
  'class_conflict',
  'message_id',
] as const;

const stored = ATTEMPT_LAYOUT.columns;
const extraAt = EXTRA_COLUMNS.map((c) => stored.indexOf(c));
const routeAt = ROUTES.parts.map((c) => stored.indexOf(c));
const rowAt = stored.map((_, i) => i).filter((i) => !extraAt.includes(i) && !routeAt.includes(i));

/** The columns of each table, in the order of the values split() gives. */
export const ATTEMPT_ROW_COLUMNS = ['id', 'route', ...rowAt.map((i) => stored[i]!)];
export const ATTEMPT_EXTRA_COLUMNS = ['id', ...EXTRA_COLUMNS];

export interface SplitAttempts {
  rows: Stored[];
  extras: Stored[];
}

/**
 * Splits encoded attempt rows (ATTEMPT_LAYOUT) numbered from `firstId` into the values of both tables; `route` gives
 * the id of a route's parts (ROUTES' order).
 */
export function splitAttempts(
  values: readonly Stored[],
  firstId: number,
  route: (parts: readonly Value[]) => number,
): SplitAttempts {
  const width = stored.length;
  const rows: Stored[] = [];
  const extras: Stored[] = [];
  for (let o = 0, id = firstId; o < values.length; o += width, id++) {
    // A route's parts are name ids and numbers, never a packed text.
    rows.push(id, route(routeAt.map((i) => (values[o + i] ?? null) as Value)));
    for (const i of rowAt) rows.push(values[o + i] ?? null);
    if (extraAt.some((i) => (values[o + i] ?? null) !== null)) {
      extras.push(id);
      for (const i of extraAt) extras.push(values[o + i] ?? null);
    }
  }
  return { rows, extras };
}
