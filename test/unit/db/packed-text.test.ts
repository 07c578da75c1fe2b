// Texts packed at 6 bits a character (db/sqlite/packed-text.ts, migration 0018): every text comes back exactly, and
// only texts of letters, digits and dots long enough to gain are packed.
import { describe, expect, it } from 'vitest';
import { packText, unpackText } from '../../../db/sqlite/packed-text.js';

describe('packed texts', () => {
  it('gives back every text of letters, digits and dots of each length, in three quarters of its bytes', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.';
    for (let n = 4; n <= 40; n++) {
      const text = Array.from({ length: n }, (_, i) => alphabet[(i * 7 + n) % alphabet.length]).join('');
      const stored = packText(text);
      expect(Buffer.isBuffer(stored), text).toBe(true);
      expect((stored as Buffer).length, text).toBeLessThanOrEqual(
        Math.ceil((n * 6) / 8) + (n % 4 === 3 ? 1 : 0),
      );
      expect((stored as Buffer).length, text).toBeLessThan(n);
      expect(unpackText(stored), text).toBe(text);
    }
    // The last code of a blob may be a zero: '0' at the end of a text is kept.
    for (const text of [
      '0000',
      '00000',
      '000000',
      '0000000',
      'tom.okafor',
      'o06box3fKh',
      '5e4BaPcI9kCjfHMl',
    ]) {
      expect(unpackText(packText(text))).toBe(text);
    }
  });

  it('keeps as it is a text with any other character, or shorter than four', () => {
    for (const text of ['', 'abc', 'a@b.c', '<k2', 'no-right-side', 'ünïcode', 'a b c d', 'tab\tbed']) {
      expect(packText(text)).toBe(text);
      expect(unpackText(text)).toBe(text);
    }
  });
});
