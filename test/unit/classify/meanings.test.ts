import { describe, expect, it } from 'vitest';
import { classify, STRONG_MEANINGS, WEAK_MEANINGS } from '../../../classify/index.js';
import { matchMeaning } from '../../../classify/meanings.js';
import { MEANING_REPLIES } from './meaning-replies.js';

const meanings = [...STRONG_MEANINGS, ...WEAK_MEANINGS];

describe('meanings', () => {
  it('have unique ids, and say what they detect', () => {
    expect(new Set(meanings.map((m) => m.id)).size).toBe(meanings.length);
    for (const m of meanings) expect(m.detects.split(' ').length, m.id).toBeGreaterThan(2);
  });

  it('each has varied replies of our own, at least four', () => {
    for (const m of meanings) expect(MEANING_REPLIES[m.id]?.length ?? 0, m.id).toBeGreaterThanOrEqual(4);
  });

  for (const m of meanings) {
    describe(m.id, () => {
      for (const text of MEANING_REPLIES[m.id] ?? []) {
        it(text.slice(0, 90), () => {
          // The first meaning that matches is this one: nothing earlier in the order steals it.
          const list = STRONG_MEANINGS.includes(m) ? STRONG_MEANINGS : WEAK_MEANINGS;
          const strong = matchMeaning(STRONG_MEANINGS, text);
          expect(
            (list === STRONG_MEANINGS ? strong : (strong ?? matchMeaning(WEAK_MEANINGS, text)))?.id,
          ).toBe(m.id);
          // Through the whole classifier (prefilter, alternatives) the same meaning decides, unless a code or
          // provider rule does; then the cause still agrees.
          const c = classify({ diagnostic: text });
          if (c.reason.includes('The text says')) expect(c.reason).toContain(`(${m.id})`);
        });
      }
    });
  }
});
