/** Placeholder ids of new lives become real ids inside the writer's transaction, also across batches. */

import { describe, expect, it } from 'vitest';
import { ATTEMPT_COLUMNS, MESSAGE_COLUMNS } from '../../../db/sqlite/write/columns.js';
import { createLifeIds } from '../../../db/sqlite/write/life-ids.js';
import type { PackedBatch, Value } from '../../../db/sqlite/write/pack-batch.js';

const LIFE = ATTEMPT_COLUMNS.indexOf('message_rowid');

/** A packed batch with lives `lives` (their ids) and attempts naming `named` (their lives' ids). */
function packed(
  firstPlaceholder: number,
  newLives: number,
  lives: number[],
  named: (number | null)[],
): PackedBatch {
  const messages: Value[] = [];
  for (const id of lives) messages.push(id, ...new Array<Value>(MESSAGE_COLUMNS.length - 1).fill(null));
  const attempts: Value[] = [];
  for (const id of named) {
    const row = new Array<Value>(ATTEMPT_COLUMNS.length).fill(null);
    row[LIFE] = id;
    attempts.push(...row);
  }
  return {
    attempts,
    rejects: [],
    minute: [],
    hour: [],
    day: [],
    messages,
    tallies: [],
    domainFacts: [],
    clientDomains: [],
    authenticatedClients: [],
    countRollupsFrom: null,
    firstPlaceholder,
    newLives,
    unparsedCounts: [],
    unparsedSamples: [],
    lineStats: [],
    checkpoint: null,
  };
}

const lifeIds = (p: PackedBatch) => p.messages.filter((_, i) => i % MESSAGE_COLUMNS.length === 0);
const named = (p: PackedBatch) => p.attempts.filter((_, i) => i % ATTEMPT_COLUMNS.length === LIFE);

describe('life ids', () => {
  it("numbers a batch's new lives from the first id, and a later batch's references to them", () => {
    const ids = createLifeIds();
    const first = packed(-1, 2, [-1, -2, 7], [-2, 7, null]);
    ids.assign(first, 10);
    expect(lifeIds(first)).toEqual([10, 11, 7]);
    expect(named(first)).toEqual([11, 7, null]);
    // The next batch names -2 before the reading side heard its id, and has a new life of its own.
    const second = packed(-3, 1, [-2, -3], [-3, -1]);
    ids.assign(second, 12);
    expect(lifeIds(second)).toEqual([11, 12]);
    expect(named(second)).toEqual([12, 10]);
  });

  it('forgets the ranges of a rolled back transaction', () => {
    const ids = createLifeIds();
    const mark = ids.mark();
    ids.assign(packed(-1, 1, [-1], []), 5);
    ids.restore(mark);
    expect(() => ids.assign(packed(-2, 0, [], [-1]), 0)).toThrow(/belongs to no recent batch/);
  });
});
