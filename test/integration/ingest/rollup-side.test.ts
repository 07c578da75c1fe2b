/**
 * Rollup cells are counted by the reading side when it writes its own batches, and by the writer thread, over
 * all the batches of one transaction, in a bulk import. Either way the stored rollups are the same, and they
 * count every event once under its key.
 */

import { describe, expect, it } from 'vitest';
import { classify } from '../../../classify/index.js';
import { createPlaceholders, packBatch } from '../../../db/sqlite/write/pack-batch.js';
import { emptyBatch, type Batch } from '../../../db/store/batch.js';
import { rollupCode } from '../../../db/store/stored-rows.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { reportCounts } from '../../../db/sqlite/read/report.js';
import type { AttemptRow, RejectRow } from '../../../db/store/stored-rows.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { parseLine } from '../../../parsers/index.js';
import { createEventBus } from '../../../server/events.js';
import { createCorrelator } from '../../../server/ingest/correlate.js';
import { createPipeline } from '../../../server/ingest/pipeline.js';
import { attempt, reject } from '../http/helpers.js';
import { capturingThread } from './helpers.js';

const T0 = Date.UTC(2026, 10, 27, 22, 50);
const MINUTE = 60_000;

/** Events across an hour and a day boundary, with codes from the enhanced status, the DSN or the reply alone. */
function events(): { attempts: AttemptRow[]; rejects: RejectRow[] } {
  const attempts: AttemptRow[] = [];
  const rejects: RejectRow[] = [];
  for (let i = 0; i < 90; i++) {
    const ts = T0 + i * 47_000;
    const domain = ['gmail.com', 'outlook.com', 'example.net'][i % 3]!;
    const kind = i % 5;
    if (kind === 0) {
      attempts.push(attempt({ ts, recipientDomain: domain, recipient: `u${i}@${domain}` }));
    } else if (kind === 1) {
      attempts.push(
        attempt({
          ts,
          recipientDomain: domain,
          recipient: `u${i}@${domain}`,
          outcome: 'deferred',
          class: 'temporary',
          cause: 'rate-limited',
          replyCode: 421,
          enhancedStatus: null,
          dsn: '4.7.0',
          provider: domain === 'example.net' ? null : 'google',
        }),
      );
    } else if (kind === 2) {
      attempts.push(
        attempt({
          ts,
          recipientDomain: domain,
          recipient: `u${i}@${domain}`,
          outcome: 'bounced',
          class: 'permanent',
          cause: 'recipient-unknown',
          replyCode: 550,
          enhancedStatus: null,
          dsn: null,
        }),
      );
    } else if (kind === 3) {
      rejects.push(reject({ ts, recipientDomain: i % 2 ? domain : null, recipient: `r${i}@${domain}` }));
    } else {
      attempts.push(
        attempt({
          ts,
          recipientDomain: domain,
          recipient: `u${i}@${domain}`,
          outcome: 'expired',
          class: 'temporary',
          cause: null,
          replyCode: null,
          enhancedStatus: null,
          dsn: null,
          provider: null,
        }),
      );
    }
  }
  return { attempts, rejects };
}

const dump = (db: Db) =>
  Object.fromEntries(
    ['rollups_minute', 'rollups_hour', 'rollups_day'].map((t) => [
      t,
      db
        .prepare(
          `SELECT bucket, host, domain, provider, outcome, class, cause, code, count FROM ${t}
            ORDER BY bucket, host, domain, provider, outcome, class, cause, code`,
        )
        .all(),
    ]),
  );

/**
 * How the events are written, in four batches: packed with their rollups counted (`reader`) or not (`writer`),
 * one transaction each; or all four in one transaction (BatchWriter.group), counted by the writer (`grouped`)
 * or half and half (`mixed`).
 */
type Way = 'reader' | 'writer' | 'grouped' | 'mixed';

function store(way: Way): Db {
  const db = openDatabase({ file: ':memory:' });
  const writer = createBatchWriter(db);
  const placeholders = createPlaceholders();
  const { attempts, rejects } = events();
  const group = way === 'grouped' || way === 'mixed' ? writer.group() : null;
  for (let i = 0; i < 90; i += 25) {
    const batch: Batch = {
      ...emptyBatch(),
      attempts: attempts.filter((a) => a.ts >= T0 + i * 47_000 && a.ts < T0 + (i + 25) * 47_000),
      rejects: rejects.filter((r) => r.ts >= T0 + i * 47_000 && r.ts < T0 + (i + 25) * 47_000),
      minuteFrom: T0 + 30 * MINUTE,
    };
    const countRollups = way === 'reader' || (way === 'mixed' && i % 50 === 0);
    const { packed } = packBatch(batch, placeholders, { countRollups });
    expect(packed.countRollupsFrom).toBe(countRollups ? null : T0 + 30 * MINUTE);
    if (!countRollups) expect([packed.minute, packed.hour, packed.day]).toEqual([[], [], []]);
    if (group) group.add(packed);
    else writer.writePacked(packed);
  }
  group?.commit();
  return db;
}

describe('rollups counted on either side', () => {
  it('stores the same rollups whichever side counted them, in one transaction per batch or one for all', () => {
    const here = store('reader');
    const want = dump(here);
    expect(want['rollups_hour']?.length).toBeGreaterThan(10);
    for (const way of ['writer', 'grouped', 'mixed'] as const) {
      const there = store(way);
      expect(dump(there), way).toEqual(want);
      there.close();
    }
    here.close();
  });

  it('counts every event once under its key, its code from the status, else the DSN, else the reply', () => {
    const db = store('grouped');
    const { attempts, rejects } = events();
    const want = new Map<string, number>();
    const add = (k: string) => want.set(k, (want.get(k) ?? 0) + 1);
    for (const a of attempts) {
      add(
        [
          a.recipientDomain,
          a.provider ?? '',
          a.outcome,
          a.class,
          a.cause ?? '',
          rollupCode(a.enhancedStatus ?? a.dsn, a.replyCode),
        ].join('|'),
      );
    }
    for (const r of rejects) {
      add(
        [
          'rejected',
          r.recipientDomain ?? '',
          r.class,
          r.cause ?? '',
          rollupCode(r.enhancedStatus, r.replyCode),
        ].join('|'),
      );
    }
    // Read back as the report reads them: two whole days, from the day rollups.
    const day = Date.UTC(2026, 10, 27);
    const got = new Map<string, number>();
    for (const r of reportCounts(db, { from: day, to: day + 2 * 86_400_000 })) {
      const k =
        r.outcome === 'rejected'
          ? ['rejected', r.domain, r.class, r.cause, r.code].join('|')
          : [r.domain, r.provider, r.outcome, r.class, r.cause, r.code].join('|');
      got.set(k, r.count);
    }
    expect(got).toEqual(want);
    // Minute rows only from the horizon on; hours and days count everything.
    const sum = (t: string) => (db.prepare(`SELECT SUM(count) AS n FROM ${t}`).get() as { n: number }).n;
    expect(sum('rollups_hour')).toBe(90);
    expect(sum('rollups_minute')).toBe(
      attempts.filter((a) => a.ts >= T0 + 30 * MINUTE).length +
        rejects.filter((r) => r.ts >= T0 + 30 * MINUTE).length,
    );
    db.close();
  });

  it('leaves the counting to the writer thread in a bulk import', async () => {
    const { thread, sent } = capturingThread();
    const store = createSqliteWriter(openDatabase({ file: ':memory:' }), {
      startThread: () => thread,
      now: () => Date.UTC(2026, 10, 28, 12),
    });
    await store.beginBulk(Number.MAX_SAFE_INTEGER);
    const p = createPipeline({
      store,
      bus: createEventBus(),
      correlator: createCorrelator({}),
      parse: parseLine,
      classify,
      now: () => Date.UTC(2026, 10, 28, 12),
    });
    p.setContext({ referenceMs: Date.UTC(2026, 10, 28, 12) });
    p.line(
      'Nov 28 10:00:01 mx1 postfix/smtp[11]: 4AB12C3D4E: to=<b@example.net>, relay=mx.example.net[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.7] said: 550 5.1.1 <b@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))',
    );
    await p.flush(null);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.countRollupsFrom).toBe(Date.UTC(2026, 10, 28, 12) - 2 * 86_400_000);
    expect([sent[0]!.minute, sent[0]!.hour, sent[0]!.day]).toEqual([[], [], []]);
    expect(sent[0]!.attempts.length).toBeGreaterThan(0);
  });
});
