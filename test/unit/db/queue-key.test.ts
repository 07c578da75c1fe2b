// A life's queue id as stored (db/sqlite/queue-key.ts): Postfix's hex ids as integers, every id given back as it was.
import { describe, expect, it } from 'vitest';
import { queueKey, queueText } from '../../../db/sqlite/queue-key.js';

describe('queue id keys', () => {
  it('stores upper-case hex ids of up to 12 digits as integers and gives each back whole', () => {
    for (const id of ['B42C835484', '0201EF0267', '0', '000000000000', 'FFFFFFFFFFFF', '4F2A51C0A12']) {
      const stored = queueKey(id);
      expect(typeof stored, id).toBe('number');
      expect(Number.isSafeInteger(stored), id).toBe(true);
      expect(queueText(stored)).toBe(id);
    }
  });

  it('keeps every other id as its text', () => {
    // Lower case, 13 digits, Exim's ids, Postfix's long ids, the empty id.
    for (const id of ['b42c835484', '4F2A51C0A12B3', '1a2B3c-000Abc-Xy', '4XyZ9w1Lk5z7Qb', '']) {
      expect(queueKey(id)).toBe(id);
      expect(queueText(id)).toBe(id);
    }
  });
});
