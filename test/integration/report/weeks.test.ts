// The week picker lists the weeks that hold events (not every week since the first), and opens on a week with
// data: an old import must not open on an empty week.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { classifierKnowledge } from '../../../server/services/knowledge.js';
import { createReportsService } from '../../../server/services/reports.js';
import { attempt } from '../http/helpers.js';

const NOW = Date.UTC(2026, 11, 1, 12); // Tuesday of 2026-W49

describe('weeks with data', () => {
  let db: Db;
  beforeAll(() => {
    db = openDatabase({ file: ':memory:' });
    const batch = emptyBatch();
    batch.attempts = [
      // 2025-W43 (Wednesday 22 October 2025) and 2026-W10, nothing between.
      attempt({ ts: Date.UTC(2025, 9, 22, 9) }),
      attempt({ ts: Date.UTC(2026, 2, 4, 9) }),
      // Sunday 2026-03-15 23:30 UTC is Monday 00:30 in Berlin: 2026-W12 there, 2026-W11 in UTC.
      attempt({ ts: Date.UTC(2026, 2, 15, 23, 30) }),
    ];
    createBatchWriter(db).write(batch);
  });
  afterAll(() => db.close());

  const service = (timeZone: string) => {
    const reader = createSqliteReader(db, { now: () => NOW });
    return createReportsService({
      reader,
      knowledge: classifierKnowledge(),
      now: () => NOW,
      timeZone,
      triage: reader,
    });
  };

  it('lists only the weeks with events, newest first, and opens on the newest of them', async () => {
    const w = await service('UTC').weeks();
    expect(w.weeks.map((x) => x.week)).toEqual(['2026-W11', '2026-W10', '2025-W43']);
    expect(w.weeks[2]).toMatchObject({ from: '2025-10-20T00:00:00+00:00', to: '2025-10-27T00:00:00+00:00' });
    // The last full week (2026-W48) holds nothing: the page opens on the newest week that does.
    expect(w.defaultWeek).toBe('2026-W11');
  });

  it("cuts weeks at the zone's Monday midnight, not UTC's", async () => {
    const w = await service('Europe/Berlin').weeks();
    expect(w.weeks.map((x) => x.week)).toEqual(['2026-W12', '2026-W10', '2025-W43']);
  });
});
