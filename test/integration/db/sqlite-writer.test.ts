/** The SQLite store's writer as ingest sees it (db/store/writer.ts): prepare, checkpoints, failures, stale memos. */

import { describe, expect, it } from 'vitest';
import { classify } from '../../../classify/index.js';
import { memoClosed } from '../../../db/sqlite/read/rollup-cache.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createIndexDeferral } from '../../../db/sqlite/write/deferred-indexes.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type { StoreWriter } from '../../../db/store/writer.js';
import { parseLine } from '../../../parsers/index.js';
import { createEventBus } from '../../../server/events.js';
import { createCorrelator } from '../../../server/ingest/correlate.js';
import { createPipeline } from '../../../server/ingest/pipeline.js';
import { postfixSent } from '../../fixtures/ingest/lines.js';
import { attempt, HOUR, NOW } from '../http/helpers.js';

const count = (db: Db, sql: string) => (db.prepare(sql).get() as { n: number }).n;

const checkpoint = (offset: number) => ({
  path: '/var/log/mail.log',
  inode: 7,
  fingerprint: '64:abc',
  offset,
  size: null,
  lines: offset,
  complete: false,
});

describe('SQLite store writer', () => {
  it('prepares the store: rebuilds the indexes an interrupted bulk import set aside', async () => {
    const db = openDatabase({ file: ':memory:' });
    const deferred = createIndexDeferral(db).defer();
    expect(deferred).toBeGreaterThan(0);
    const store = createSqliteWriter(db);
    expect(await store.prepare()).toEqual({ migrated: [], indexesRebuilt: deferred });
    expect(await store.prepare()).toEqual({ migrated: [], indexesRebuilt: 0 });
    db.close();
  });

  it('saves the checkpoint with the rows and reads it back', async () => {
    const db = openDatabase({ file: ':memory:' });
    const store = createSqliteWriter(db, { now: () => NOW });
    let committed = 0;
    await store.write(
      { ...emptyBatch(), attempts: [attempt({ ts: NOW })], checkpoint: checkpoint(120) },
      () => {
        committed++;
      },
    );
    expect(committed).toBe(1);
    expect(count(db, 'SELECT count(*) AS n FROM attempts')).toBe(1);
    expect(await store.checkpoints.byFingerprint('64:abc')).toMatchObject({ offset: 120, lines: 120 });
    expect(await store.checkpoints.latestForPath('/var/log/mail.log')).toMatchObject({ offset: 120 });
    expect(await store.checkpoints.shortFingerprints(256)).toHaveLength(1);
    db.close();
  });

  it('rejects a batch it could not store and keeps nothing of it', async () => {
    const db = openDatabase({ file: ':memory:' });
    const store = createSqliteWriter(db);
    const bad = { ...attempt({ ts: NOW }), outcome: 'lost' } as unknown as ReturnType<typeof attempt>;
    let committed = false;
    await expect(
      store.write(
        { ...emptyBatch(), attempts: [attempt({ ts: NOW }), bad], checkpoint: checkpoint(50) },
        () => {
          committed = true;
        },
      ),
    ).rejects.toThrow(/CHECK constraint/);
    expect(committed).toBe(false);
    expect(count(db, 'SELECT count(*) AS n FROM attempts')).toBe(0);
    expect(await store.checkpoints.byFingerprint('64:abc')).toBeUndefined();
    db.close();
  });

  it('forgets memoised sums of the time a stored batch reaches back into', async () => {
    const db = openDatabase({ file: ':memory:' });
    const store = createSqliteWriter(db, { now: () => NOW });
    const hourAgo = NOW - 2 * HOUR;
    let computed = 0;
    const sum = () => memoClosed(db, 'an hour', hourAgo + HOUR, NOW, () => ++computed);
    expect([sum(), sum()]).toEqual([1, 1]);
    await store.write({ ...emptyBatch(), attempts: [attempt({ ts: NOW })] });
    expect(sum()).toBe(1);
    await store.write({ ...emptyBatch(), attempts: [attempt({ ts: hourAgo + 60_000 })] });
    expect(sum()).toBe(2);
    db.close();
  });
});

describe('pipeline over a store that fails', () => {
  it('hands the rows of a batch the store did not take over with the next one', async () => {
    const db = openDatabase({ file: ':memory:' });
    const sqlite = createSqliteWriter(db, { now: () => NOW });
    let failNext = true;
    const store: StoreWriter = {
      ...sqlite,
      batchLimits: sqlite.batchLimits,
      write: (batch, onCommitted) => {
        if (!failNext) return sqlite.write(batch, onCommitted);
        failNext = false;
        return Promise.reject(new Error('database is locked'));
      },
    };
    const p = createPipeline({
      store,
      bus: createEventBus(),
      correlator: createCorrelator({}),
      parse: parseLine,
      classify,
      now: () => NOW,
    });
    p.setContext({ referenceMs: NOW });
    p.line(postfixSent(1, NOW - 60_000));
    await expect(p.flush(checkpoint(100))).rejects.toThrow('database is locked');
    expect(p.pending()).toBe(1);
    p.line(postfixSent(2, NOW - 30_000));
    await p.flush(checkpoint(200));
    expect(count(db, 'SELECT count(*) AS n FROM attempts')).toBe(2);
    expect(count(db, "SELECT count AS n FROM line_stats WHERE name = 'read'")).toBe(2);
    expect(await sqlite.checkpoints.byFingerprint('64:abc')).toMatchObject({ offset: 200 });
    expect(p.pending()).toBe(0);
    db.close();
  });
});
