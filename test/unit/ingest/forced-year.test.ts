// --year across New Year: the year given is that of the first lines, and the Jan 1 lines after Dec 31 lines are in
// the next year; lines out of order, or files named out of order, keep the year.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import { createForcedYear } from '../../../server/ingest/forced-year.js';
import { postfixSent } from '../../fixtures/ingest/lines.js';

const at = (iso: string) => Date.parse(iso);

/** The ISO times the lines get, read in order with `--year year` (one context per file). */
function read(year: number, files: string[][]): string[] {
  const forced = createForcedYear();
  const out: string[] = [];
  for (const lines of files) {
    let ctx = forced.context({ referenceMs: at('2030-06-01T00:00:00Z'), year, utcOffsetMinutes: 0 });
    for (const line of lines) {
      const parsed = forced.parse(parseLine, line, ctx);
      ctx = parsed.ctx;
      out.push((parsed.record as { ts: string }).ts.slice(0, 19));
    }
  }
  return out;
}

describe('--year across New Year', () => {
  it('puts the Jan 1 lines of a file that crosses New Year after its Dec 31 lines, in the next year', () => {
    const file = [
      postfixSent(1, at('2026-12-31T23:59:58Z')),
      postfixSent(2, at('2026-12-31T23:59:59Z')),
      postfixSent(3, at('2026-01-01T00:00:01Z')),
      postfixSent(4, at('2026-01-01T00:00:02Z')),
    ];
    expect(read(2025, [file])).toEqual([
      '2025-12-31T23:59:58',
      '2025-12-31T23:59:59',
      '2026-01-01T00:00:01',
      '2026-01-01T00:00:02',
    ]);
  });

  it('carries the year on through the next file of the same import (a rotated set, oldest first)', () => {
    const december = [postfixSent(1, at('2026-12-30T10:00:00Z')), postfixSent(2, at('2026-12-31T22:00:00Z'))];
    const january = [postfixSent(3, at('2026-01-02T08:00:00Z'))];
    expect(read(2025, [december, january])).toEqual([
      '2025-12-30T10:00:00',
      '2025-12-31T22:00:00',
      '2026-01-02T08:00:00',
    ]);
  });

  it('keeps the year for lines a little out of order and for files named out of order', () => {
    const shuffled = [
      postfixSent(1, at('2026-03-04T10:00:05Z')),
      postfixSent(2, at('2026-03-04T10:00:01Z')),
      postfixSent(3, at('2026-03-04T09:00:00Z')),
    ];
    expect(read(2025, [shuffled])).toEqual([
      '2025-03-04T10:00:05',
      '2025-03-04T10:00:01',
      '2025-03-04T09:00:00',
    ]);
    const jan = [postfixSent(4, at('2026-01-31T10:00:00Z'))];
    const dec = [postfixSent(5, at('2026-12-01T10:00:00Z'))];
    expect(read(2025, [jan, dec])).toEqual(['2025-01-31T10:00:00', '2025-12-01T10:00:00']);
  });
});
