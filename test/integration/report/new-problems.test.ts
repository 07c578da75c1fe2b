// "New this week" scales with the server: a domain new to failing is listed once it holds a thousandth of the
// week's failures (at least 3), so the long tail of a busy server does not fill the list.
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { weekRange } from '../../../server/report/week.js';
import { attempt, reportOf, UNKNOWN, W46_START, W47_START } from './fixture-db.js';

const MINUTE = 60_000;
const db = openDatabase({ file: ':memory:' });
afterAll(() => db.close());

const bounces = (start: number, domain: string, n: number) =>
  Array.from({ length: n }, (_, i) => attempt(start + i * MINUTE, `u${i}@${domain}`, UNKNOWN));

const batch = emptyBatch();
batch.attempts.push(
  ...bounces(W46_START, 'big.example', 5000),
  ...bounces(W47_START, 'big.example', 5000),
  // 5,011 failures in the week: a domain needs 6 (a thousandth, rounded up) to be news.
  ...bounces(W47_START + 5 * MINUTE, 'stray.example', 5),
  ...bounces(W47_START + 9 * MINUTE, 'notable.example', 6),
);
createBatchWriter(db).write(batch);

const report = await reportOf(db, weekRange(2026, 47, 'UTC'));

describe('new problems on a busy server', () => {
  it('lists a new domain with a thousandth of the failures, not one with fewer', () => {
    expect(report.totals.bounced).toBe(5011);
    const fresh = report.newProblems.map((p) => `${p.kind}:${p.id}`);
    expect(fresh).toContain('domain:notable.example');
    expect(fresh).not.toContain('domain:stray.example');
    expect(fresh).not.toContain('domain:big.example');
  });
});
