/**
 * Real ids for the placeholder ids (below zero) of lives new in packed batches. A batch may name a life that an
 * earlier batch made and the reading side has not heard the id of yet, so the ranges of recent batches are kept.
 */

import { ATTEMPT_COLUMNS, MESSAGE_COLUMNS } from './columns.js';
import type { PackedBatch, Value } from './pack-batch.js';

/** Placeholder ranges of recent batches kept. */
const KEPT_RANGES = 16;

/** Where an attempt's message id is among its packed values. */
const ATTEMPT_MESSAGE_COLUMN = ATTEMPT_COLUMNS.indexOf('message_rowid');

/** Placeholders given real ids by a recent batch: first placeholder, count, first id. */
interface Range {
  first: number;
  n: number;
  id: number;
}

export interface LifeIds {
  /** Gives the batch's new lives ids from `firstId` on and replaces every placeholder in its rows by an id. */
  assign(p: PackedBatch, firstId: number): void;
  /** The ranges now, to go back to when the transaction that assigned the next ones is rolled back. */
  mark(): readonly Range[];
  restore(mark: readonly Range[]): void;
}

/** Replaces placeholder ids (column `col` of each row of `width` values) by real ones; null stays null. */
function resolveColumn(values: Value[], width: number, col: number, resolve: (id: number) => number): void {
  for (let o = col; o < values.length; o += width) {
    const id = values[o];
    if (typeof id === 'number' && id <= 0) values[o] = resolve(id);
  }
}

export function createLifeIds(): LifeIds {
  const ranges: Range[] = [];
  return {
    assign(p, firstId) {
      const resolve = (id: number): number => {
        if (id > 0) return id;
        if (id <= p.firstPlaceholder && id > p.firstPlaceholder - p.newLives)
          return firstId + (p.firstPlaceholder - id);
        for (const r of ranges) if (id <= r.first && id > r.first - r.n) return r.id + (r.first - id);
        throw new Error(`message placeholder ${id} belongs to no recent batch`);
      };
      resolveColumn(p.messages, MESSAGE_COLUMNS.length, 0, resolve);
      resolveColumn(p.attempts, ATTEMPT_COLUMNS.length, ATTEMPT_MESSAGE_COLUMN, resolve);
      if (p.newLives > 0) {
        ranges.unshift({ first: p.firstPlaceholder, n: p.newLives, id: firstId });
        if (ranges.length > KEPT_RANGES) ranges.pop();
      }
    },
    mark: () => ranges.slice(),
    restore(mark) {
      ranges.splice(0, ranges.length, ...mark);
    },
  };
}
