import { describe, expect, it } from 'vitest';
import { joinReply, splitReply } from '../../../db/sqlite/reply-words.js';

describe('reply templates and their words', () => {
  it('cuts out ids, addresses and numbers but keeps the codes', () => {
    expect(splitReply('550 5.1.1 <ann@example.net>: Recipient address rejected: User unknown')).toEqual([
      '550 5.1.1 \u001f Recipient address rejected: User unknown',
      '<ann@example.net>:',
    ]);
    expect(splitReply('250 2.0.0 OK gxYXASvHML - accepted')).toEqual([
      '250 2.0.0 OK \u001f - accepted',
      'gxYXASvHML',
    ]);
    expect(splitReply('421 Service not available')).toEqual(['421 Service not available', null]);
  });

  it('gives every text back exactly, whatever its spacing and characters', () => {
    const alphabet = [
      'a',
      'Q',
      '7',
      '@',
      ' ',
      '  ',
      '\t',
      '\n',
      '-',
      '.',
      '5.7.1',
      '550',
      '\u001f',
      'é',
      '\u0000',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const len = Math.floor(next() * 20);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(next() * alphabet.length)]!;
      const [template, words] = splitReply(text);
      expect(joinReply(template, words)).toBe(text);
    }
  });

  it('keeps a text that carries the mark character whole', () => {
    expect(splitReply('550 id 123 \u001f x')).toEqual(['550 id 123 \u001f x', null]);
  });

  it('splits a word of any length', () => {
    const text = 'a'.repeat(200_000) + ' 1';
    const [template, words] = splitReply(text);
    expect(words).toBe('1');
    expect(joinReply(template, words)).toBe(text);
  });
});

describe('text keys', () => {
  it('are the same for a text in brackets, in other ASCII case, and differ otherwise', async () => {
    const { textKey } = await import('../../../db/sqlite/text-key.js');
    expect(textKey('<Id.1@Example.org>')).toBe(textKey('id.1@example.org'));
    expect(textKey('ann@example.net')).not.toBe(textKey('bob@example.net'));
    expect(Number.isInteger(textKey('x'))).toBe(true);
    expect(Math.abs(textKey('a much longer address than most@example.org'))).toBeLessThan(2 ** 31 + 1);
  });
});
