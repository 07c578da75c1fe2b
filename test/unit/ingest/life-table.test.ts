/** The lives correlation holds: reuse of a queue id, what goes with the next batch, and eviction. */

import { describe, expect, it } from 'vitest';
import { createLifeTable } from '../../../server/ingest/life-table.js';

const T0 = Date.UTC(2026, 10, 27, 6);

describe('life table', () => {
  it('keeps one life per host and queue id, and starts a new one when an opening line follows a used id', () => {
    const lives = createLifeTable();
    const a = lives.open('mx1', 'postfix', 'ABC', T0);
    expect(lives.get('mx1', 'postfix', 'ABC', T0 + 1000)).toBe(a);
    expect(a.row.lastTs).toBe(T0 + 1000);
    // The same id on another host is another life; an Exim id without host is keyed alone.
    expect(lives.get('mx2', 'postfix', 'ABC', T0)).not.toBe(a);
    expect(lives.get('', 'exim', 'ABC', T0)).not.toBe(a);
    // Not active yet (only opening lines seen): the same life.
    expect(lives.open('mx1', 'postfix', 'ABC', T0 + 2000)).toBe(a);
    a.active = true;
    const b = lives.open('mx1', 'postfix', 'ABC', T0 + 3000);
    expect(b).not.toBe(a);
    expect(b.row.firstTs).toBe(T0 + 3000);
  });

  it('hands each changed life to the next batch once, closed ones included, and forgets closed ones', () => {
    const lives = createLifeTable();
    const a = lives.get('mx1', 'postfix', 'A1', T0);
    const b = lives.get('mx1', 'postfix', 'B2', T0);
    lives.get('mx1', 'postfix', 'A1', T0 + 1);
    expect(lives.takeDirty()).toEqual([a.row, b.row]);
    expect(lives.takeDirty()).toEqual([]);
    lives.close(lives.get('mx1', 'postfix', 'A1', T0 + 2), T0 + 2);
    expect(lives.takeDirty()).toEqual([a.row]);
    expect(a.row.closedAt).toBe(T0 + 2);
    expect(lives.size()).toBe(1);
  });

  it('takes up lives from the store without handing them back unchanged', () => {
    const lives = createLifeTable();
    const fresh = lives.get('mx1', 'postfix', 'X', T0);
    const stored = lives.add({ ...fresh.row, id: 42, queueId: 'Y' });
    expect(stored.active).toBe(true);
    expect(lives.get('mx1', 'postfix', 'Y', T0 + 5)).toBe(stored);
    expect(lives.takeDirty().map((r) => r.queueId)).toEqual(['X', 'Y']);
  });

  it('evicts idle lives, then the oldest beyond the cap', () => {
    const lives = createLifeTable();
    for (let i = 0; i < 5; i++) lives.get('mx1', 'postfix', `Q${i}`, T0 + i * 1000);
    expect(lives.evict(T0 + 2000, 10)).toBe(2);
    expect(lives.size()).toBe(3);
    expect(lives.evict(0, 1)).toBe(2);
    expect(lives.get('mx1', 'postfix', 'Q4', T0 + 9000).row.firstTs).toBe(T0 + 4000);
  });
});
