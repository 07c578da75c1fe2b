// A life's queue id as stored (db/sqlite/queue-key.ts): Postfix's hex ids as integers, Exim's and long ids packed,
// every id given back as it was and keyed in the index as its text.
import { describe, expect, it } from 'vitest';
import { queueIndexKey, queueKey, queueText } from '../../../db/sqlite/queue-key.js';
import { textKey } from '../../../db/sqlite/text-key.js';

describe('queue id keys', () => {
  it('stores upper-case hex ids of up to 12 digits as integers and gives each back whole', () => {
    for (const id of ['B42C835484', '0201EF0267', '0', '000000000000', 'FFFFFFFFFFFF', '4F2A51C0A12']) {
      const stored = queueKey(id);
      expect(typeof stored, id).toBe('number');
      expect(Number.isSafeInteger(stored), id).toBe(true);
      expect(queueText(stored)).toBe(id);
    }
  });

  it("packs Exim's ids and Postfix's long ones at 6 bits a character, and gives each back whole", () => {
    // Lower case, 13 digits, Exim's short and long ids, Postfix's long ids.
    for (const id of [
      'b42c835484',
      '4F2A51C0A12B3',
      '1a2B3c-000Abc-Xy',
      '1a2B3c-000AbcDe123-Xy01',
      '4XyZ9w1Lk5z7Qb',
    ]) {
      const stored = queueKey(id);
      expect(Buffer.isBuffer(stored), id).toBe(true);
      expect((stored as Buffer).length).toBe(
        Math.ceil((id.length * 6) / 8 + (id.length % 4 === 3 ? 0.75 : 0)),
      );
      expect(queueText(stored), id).toBe(id);
      expect(queueIndexKey(stored), id).toBe(textKey(id));
    }
  });

  it('keeps as its text an id with a character outside letters, digits and dashes, or too short to gain', () => {
    for (const id of ['', 'Q1', 'ab.cd', 'x_y_z', 'ünï']) {
      expect(queueKey(id)).toBe(id);
      expect(queueText(id)).toBe(id);
    }
  });
});
