import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const dir = fileURLToPath(new URL('../../fixtures/parsers/', import.meta.url));
/** The Postfix log crosses New Year; its reference is the file's "mtime" shortly after. */
const ctx: ParseContext = { referenceMs: Date.UTC(2027, 0, 1, 0, 5), utcOffsetMinutes: 0 };

function lines(name: string): string[] {
  return readFileSync(dir + name, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe.each(['postfix', 'exim'])('golden records: %s', (name) => {
  const input = lines(`${name}.log`);
  const golden = lines(`${name}.golden.jsonl`).map((l) => JSON.parse(l) as unknown);
  it('has one record per line', () => {
    expect(golden).toHaveLength(input.length);
  });
  it.each(input.map((line, i) => [i + 1, line] as const))('line %i', (i, line) => {
    expect(JSON.parse(JSON.stringify(parseLine(line, ctx)))).toEqual(golden[i - 1]);
  });
});
