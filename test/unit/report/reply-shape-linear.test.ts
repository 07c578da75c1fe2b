// Reply shapes take time linear in the reply's length, whatever a remote server writes: the time for a hostile
// word of 16 times the length is compared with the time for the short one, measured side by side here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replyShape } from '../../../db/sqlite/read/report-shape.js';
import { diagnosticPattern } from '../../../server/services/reply-groups.js';

/** Pieces that, repeated without a space, made the old patterns backtrack (no `@`, `@` last, digits, ...). */
const piece = fc.constantFrom('a', '1', 'a:', '1.', '@', 'x@', '<a', '?', 'a-', 'ab1', '[', 'ff:');

/** The fastest of several runs of `rounds` calls: the least disturbed by the rest of the machine. */
function fastest(f: (text: string) => string, text: string, rounds: number): number {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) f(text);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best;
}

/** Time per character of the long text over time per character of the short one: about 1 when linear. */
function slowdown(f: (text: string) => string, prefix: string, unit: string, suffix: string): number {
  const short = prefix + unit.repeat(Math.ceil(128 / unit.length)) + suffix;
  const long = prefix + unit.repeat(Math.ceil(2048 / unit.length)) + suffix;
  // Warm up the compiler first so the short text is not measured cold.
  fastest(f, long, 20);
  const perShort = fastest(f, short, 320) / (short.length * 320);
  const perLong = fastest(f, long, 20) / (long.length * 20);
  return perLong / perShort;
}

describe('reply shapes on hostile text', () => {
  for (const [name, f] of [
    ['replyShape', replyShape],
    ['diagnosticPattern', diagnosticPattern],
  ] as const) {
    it(`${name}: time grows linearly with the length of a word`, () => {
      fc.assert(
        fc.property(
          piece,
          fc.constantFrom('', '550 5.7.1 '),
          fc.constantFrom('', '@', ' x'),
          (unit, pre, post) => {
            // Quadratic work would be 16 times slower per character; linear work stays near 1.
            expect(slowdown(f, pre, unit, post)).toBeLessThan(6);
          },
        ),
        { numRuns: 30 },
      );
    });

    it(`${name}: what follows the first 2 KiB of a reply does not change its shape`, () => {
      const head = '550 5.7.1 <u@example.org> blocked ' + 'x'.repeat(2100);
      expect(f(head + '1@'.repeat(500_000))).toBe(f(head));
    });
  }
});
