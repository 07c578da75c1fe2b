import { afterEach, describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type { RecentRollup, StoreReader } from '../../../db/store/reader.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { createSqliteAlertWriter } from '../../../db/sqlite/alert-writer.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { createAlertEngine } from '../../../server/alerts/engine.js';
import { HOUR, T0, fakeClock, recordingNotify, spread } from '../../unit/ops/helpers.js';
import { startStack, type Stack } from './helpers.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const key = (r: RecentRollup) => `${r.bucket}|${r.domain}|${r.provider}|${r.outcome}|${r.cause}|${r.count}`;

describe('alert windows seeded from the stored minute rollups', () => {
  it('reads them an hour at a time and misses none, including the newest minutes', async () => {
    stack = await startStack();
    const db = stack.db;
    createBatchWriter(db).write({
      ...emptyBatch(),
      attempts: [
        ...spread(500, T0 - 26 * HOUR, T0, { recipientDomain: 'steady.example' }),
        ...spread(300, T0 - 26 * HOUR, T0, { recipientDomain: 'steady.example', outcome: 'bounced' }),
      ],
    });
    const clock = fakeClock();
    const inner = createSqliteReader(db, { now: clock.now });
    const calls: { since: number; until: number | null; rows: RecentRollup[] }[] = [];
    const reader: StoreReader = {
      ...inner,
      recentRollups: async (since, until) => {
        const rows = await inner.recentRollups(since, until);
        calls.push({ since, until, rows });
        return rows;
      },
    };
    const engine = createAlertEngine({
      config: stack.config,
      bus: createEventBus(),
      store: { reader, writer: createSqliteAlertWriter(db) },
      now: clock.now,
      log: silentLogger(),
      notify: recordingNotify().notify,
    });
    await engine.start();
    engine.stop();

    expect(calls.length).toBeGreaterThan(24);
    for (const c of calls.slice(0, -1)) {
      expect(c.until).toBe(c.since + HOUR);
      for (const r of c.rows) expect(r.bucket >= c.since && r.bucket < c.since + HOUR).toBe(true);
    }
    expect(calls.at(-1)?.until).toBeNull();
    const whole = await inner.recentRollups(calls[0]!.since, null);
    expect(whole.length).toBeGreaterThan(0);
    expect(calls.flatMap((c) => c.rows.map(key)).sort()).toEqual(whole.map(key).sort());
  });
});
