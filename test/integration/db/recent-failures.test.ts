/** The rows behind a drill-down (db/sqlite/read/failures.ts): the newest failures of a key, read a day at a time. */

import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { recentFailures } from '../../../db/sqlite/read/failures.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { attempt, DAY, HOUR, NOW } from '../http/helpers.js';

const unknownUser = (ts: number, who: string, code = '5.1.1') =>
  attempt({
    ts,
    recipient: `${who}@gmail.com`,
    outcome: 'bounced',
    class: 'permanent',
    cause: 'recipient-unknown',
    replyCode: 550,
    enhancedStatus: code,
    dsn: code,
    stage: 'rcpt',
    diagnostic: `550 ${code} The email account that you tried to reach does not exist`,
  });

/** One failure a day for six days (days 1 to 6 ago, an hour apart in their day), and a delivery today. */
async function sixDays(): Promise<Db> {
  const db = openDatabase({ file: ':memory:' });
  const rows = [1, 2, 3, 4, 5, 6].map((d) => unknownUser(NOW - d * DAY - d * HOUR, `day${d}`));
  await createSqliteWriter(db, { now: () => NOW }).write({
    ...emptyBatch(),
    attempts: [...rows, attempt({ ts: NOW - HOUR, recipient: 'ok@gmail.com' })],
  });
  return db;
}

const week = { from: NOW - 7 * DAY, to: NOW, host: null };

describe('recent failures of a drill-down', () => {
  it('reads back through the days until the page is full, newest first', async () => {
    const db = await sixDays();
    const all = recentFailures(db, { kind: 'domain', key: 'gmail.com', ...week, limit: 1000 });
    expect(all.map((f) => f.recipient)).toEqual(
      ['day1', 'day2', 'day3', 'day4', 'day5', 'day6'].map((w) => `${w}@gmail.com`),
    );
    const three = recentFailures(db, { kind: 'cause', key: 'recipient-unknown', ...week, limit: 3 });
    expect(three.map((f) => f.recipient)).toEqual(['day1@gmail.com', 'day2@gmail.com', 'day3@gmail.com']);
    // A range that starts inside a day: only what is in it.
    const part = recentFailures(db, {
      kind: 'code',
      key: '5.1.1',
      from: NOW - 3 * DAY,
      to: NOW,
      host: null,
      limit: 10,
    });
    expect(part.map((f) => f.recipient)).toEqual(['day1@gmail.com', 'day2@gmail.com']);
    db.close();
  });
});
