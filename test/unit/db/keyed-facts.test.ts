/** Facts under an hour and up to three keys: one fact per distinct key, in the order first made, fresh after a take. */

import { describe, expect, it } from 'vitest';
import { createKeyedFacts } from '../../../db/store/keyed-facts.js';

const H = 3_600_000;

describe('keyed facts', () => {
  it('finds a fact under the same keys only, and lists the facts in the order they were made', () => {
    const facts = createKeyedFacts<{ name: string; count: number }>();
    const count = (n: number, a: string, b: string, c: string) => {
      const f = facts.find(n, a, b, c);
      if (f) f.count++;
      else facts.add(n, a, b, c, { name: `${n}/${a}/${b}/${c}`, count: 1 });
    };
    count(H, 'alice', 'a@x.example', '192.0.2.1');
    count(2 * H, 'alice', 'a@x.example', '192.0.2.1');
    count(H, 'alice', 'a@x.example', '192.0.2.1');
    // Texts that would join into the same key string stay apart: log text may hold any separator.
    count(H, 'a|b', 'c', '');
    count(H, 'a', 'b|c', '');
    count(H, '', '', '');
    expect(facts.size()).toBe(5);
    expect(facts.take()).toEqual([
      { name: `${H}/alice/a@x.example/192.0.2.1`, count: 2 },
      { name: `${2 * H}/alice/a@x.example/192.0.2.1`, count: 1 },
      { name: `${H}/a|b/c/`, count: 1 },
      { name: `${H}/a/b|c/`, count: 1 },
      { name: `${H}///`, count: 1 },
    ]);
  });

  it('keeps a number key apart from the same digits as text, and starts afresh after a take', () => {
    const facts = createKeyedFacts<string>();
    facts.add(0, 'example.org', 1, '', 'number');
    expect(facts.find(0, 'example.org', '1', '')).toBeUndefined();
    expect(facts.find(0, 'example.org', 1, '')).toBe('number');
    expect(facts.take()).toEqual(['number']);
    expect(facts.find(0, 'example.org', 1, '')).toBeUndefined();
    expect(facts.size()).toBe(0);
  });
});
