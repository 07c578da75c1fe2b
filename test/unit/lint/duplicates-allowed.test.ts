// The allow-list of repeated code: what the check reads from the `duplicates` tool and from lint/duplicates-allowed.txt.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, globToRegExp, parseAllowList, parseReport } from '../../../scripts/duplicates/allowed.js';

const output = `3 pairs of places (12 files read), each sharing runs of 6 or more identical or same-shape lines
D1 parsers/postfix.ts:10-24 ~ parsers/records.ts:40-54 (+2 more runs)
D2 server/a.ts:1-8 ~ server/b.ts:3-10 shape
D3 test/unit/x.test.ts:5-12 ~ test/e2e/y.test.ts:7-14 shape boilerplate
left out: 2 runs of 6 lines that stand in more than 8 places each (too common to list)
`;

describe('duplicates allow-list', () => {
  it('reads the pairs of the tool, and what it did not see', () => {
    const { pairs, gaps } = parseReport(output);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([
      ['parsers/postfix.ts', 'parsers/records.ts'],
      ['server/a.ts', 'server/b.ts'],
      ['test/unit/x.test.ts', 'test/e2e/y.test.ts'],
    ]);
    expect(gaps).toEqual([]);
    expect(parseReport('D1 a.ts:1-6 ~ b.ts:1-6\n(+4 more pairs)\nincomplete: time: 20 s\n').gaps).toEqual([
      '(+4 more pairs)',
      'incomplete: time: 20 s',
    ]);
  });

  it('matches globs by folder and name', () => {
    expect(globToRegExp('test/**').test('test/unit/lint/x.test.ts')).toBe(true);
    expect(globToRegExp('server/cli/commands/*').test('server/cli/commands/run.ts')).toBe(true);
    expect(globToRegExp('server/cli/*').test('server/cli/commands/run.ts')).toBe(false);
    expect(globToRegExp('parsers/{exim,reply}.ts').test('parsers/reply.ts')).toBe(true);
    expect(globToRegExp('parsers/{exim,reply}.ts').test('parsers/exim-delivery.ts')).toBe(false);
    expect(globToRegExp('db/a.ts').test('db/aXts')).toBe(false);
  });

  it('allows a pair in either order, and names the pairs without a reason and the entries without a pair', () => {
    const { allowances, errors } = parseAllowList(
      [
        '# comment',
        'parsers/records.ts ~ parsers/*.ts: record literals',
        'test/** ~ test/**: tests read alone',
        'web/** ~ web/**: nothing of this kind any more',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    const { unexplained, unused } = compare(parseReport(output).pairs, allowances);
    expect(unexplained.map((p) => p.a)).toEqual(['server/a.ts']);
    expect(unused.map((a) => a.line)).toEqual([4]);
  });

  it('refuses an entry without a reason', () => {
    const { allowances, errors } = parseAllowList(
      'server/a.ts ~ server/b.ts\nserver/a.ts ~ server/b.ts:  \n',
    );
    expect(allowances).toEqual([]);
    expect(errors).toHaveLength(2);
  });

  it("reads the repository's own list without an error", () => {
    const text = readFileSync(join(import.meta.dirname, '../../../lint/duplicates-allowed.txt'), 'utf8');
    const { allowances, errors } = parseAllowList(text);
    expect(errors).toEqual([]);
    expect(allowances.every((a) => a.reason.length > 20)).toBe(true);
  });
});
