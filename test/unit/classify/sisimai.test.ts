import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreRows, type Row } from '../../../scripts/score-replies.js';

// Sisimai's labelled replies (BSD-2-Clause, see test/fixtures/classify/SOURCE.txt), scored as docs/design.md says.
const rows = readFileSync(new URL('../../fixtures/classify/sisimai-dev.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);

describe('Sisimai dev replies', () => {
  const score = scoreRows(rows);

  // Guards against regressions on the dev set; the targets that matter are on replies we do not have.
  it('gets the cause right for at least 95% of the replies with a code', () => {
    expect(score.withCode.total).toBeGreaterThan(200);
    expect(score.withCode.right / score.withCode.total).toBeGreaterThanOrEqual(0.95);
  });

  it('gets the cause right for at least 90% of the text-only replies', () => {
    expect(score.textOnly.right / score.textOnly.total).toBeGreaterThanOrEqual(0.9);
  });

  it('agrees with the code on temporary/permanent for at least 99%', () => {
    expect(score.classAgree.right / score.classAgree.total).toBeGreaterThanOrEqual(0.99);
  });

  it('scores every source group and names the confusions', () => {
    const inGroups = [...score.groups.values()].reduce((n, t) => n + t.total, 0);
    expect(inGroups).toBe(score.withCode.total + score.textOnly.total);
    expect(score.groups.size).toBeGreaterThan(5);
    const missed = [...score.confusion.values()]
      .flatMap((m) => [...m.values()])
      .reduce((n, c) => n + c.count, 0);
    expect(missed).toBe(score.misses.filter((m) => m.kind === 'cause').length);
  });

  it('leaves out non-failures and replies that spell their label', () => {
    expect(score.skipped).toBeGreaterThan(0);
    expect(score.withCode.total + score.textOnly.total + score.skipped).toBe(rows.length);
  });
});
