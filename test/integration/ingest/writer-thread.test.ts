/** The writer thread of bulk imports, its worker built from the sources (test/helpers/writer-worker.ts). */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPlaceholders, packBatch, settleLives } from '../../../db/sqlite/write/pack-batch.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type { MessageRow } from '../../../db/store/stored-rows.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { startWriterThread, WORKER_SCRIPT } from '../../../db/sqlite/write/writer-thread.js';
import { generateLines } from '../../../server/demo/generate.js';
import { writeLines } from '../../../server/demo/write-lines.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { attempt } from '../http/helpers.js';
import { buildWriterWorker, type SourceWorker } from '../../helpers/writer-worker.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';

const END_MS = Date.UTC(2026, 10, 20, 12);

let dir: string;
let worker: SourceWorker;
let builtWorker: string;
beforeAll(async () => {
  worker = await buildWriterWorker();
  builtWorker = worker.script;
});
afterAll(() => worker.remove());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-writer-thread-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const life = (queueId: string, ts: number): MessageRow => ({
  id: 0,
  host: '',
  mta: 'postfix',
  queueId,
  firstTs: ts,
  lastTs: ts,
  sender: 'news@shop.example',
  senderDomain: 'shop.example',
  size: 1200,
  nrcpt: 1,
  messageId: `<${queueId}@shop.example>`,
  clientHost: null,
  clientIp: null,
  notificationOf: null,
  expiredAt: null,
  closedAt: null,
});

describe('writer thread', () => {
  it('is not used for an in-memory database or when the compiled worker is missing', () => {
    expect(startWriterThread(':memory:', builtWorker)).toBeNull();
    expect(startWriterThread(join(dir, 'x.db'), join(dir, 'missing-worker.js'))).toBeNull();
    // The product starts the compiled worker beside the module; the sources have none beside them.
    expect(WORKER_SCRIPT.endsWith('writer-worker.js')).toBe(true);
  });

  it('numbers new lives after the largest id, also for a life a later batch names before the first is written', async () => {
    const file = join(dir, 'ids.db');
    const db = openDatabase({ file });
    // Another writer got there first: ids go on after its row.
    db.prepare(
      "INSERT INTO message_rows (id, origin, queue_id, first_ts, last_after) VALUES (7, 1, 'X', 1, 0)",
    ).run();
    const thread = startWriterThread(file, builtWorker)!;
    expect(thread).not.toBeNull();
    const placeholders = createPlaceholders();
    const a = life('AAA111', END_MS);
    const b = life('BBB222', END_MS);
    const first = packBatch({ ...emptyBatch(), messages: [a, b] }, placeholders);
    thread.submit(first.packed, (id) => settleLives(first.newLives, id));
    // b changes and gets an attempt before the first batch is acknowledged: it still has its placeholder.
    expect(b.id).toBeLessThan(0);
    b.closedAt = END_MS + 1000;
    const second = packBatch(
      {
        ...emptyBatch(),
        messages: [b],
        attempts: [
          attempt({
            ts: END_MS + 500,
            queueId: 'BBB222',
            recipient: 'lena@example.net',
            diagnostic: '250 ok',
            message: b,
          }),
        ],
      },
      placeholders,
    );
    thread.submit(second.packed, (id) => settleLives(second.newLives, id));
    await thread.close();
    expect([a.id, b.id]).toEqual([8, 9]);
    const rows = db.prepare('SELECT id, queue_id, closed_at FROM messages ORDER BY id').all();
    expect(rows).toEqual([
      { id: 7, queue_id: 'X', closed_at: null },
      { id: 8, queue_id: 'AAA111', closed_at: null },
      { id: 9, queue_id: 'BBB222', closed_at: END_MS + 1000 },
    ]);
    expect(
      db.prepare('SELECT message_rowid, recipient, final_outcome FROM message_recipients').all(),
    ).toEqual([{ message_rowid: 9, recipient: 'lena@example.net', final_outcome: 'delivered' }]);
    db.close();
  });

  it('takes the batches waiting into one transaction: each is answered when written, all when committed', async () => {
    const file = join(dir, 'group.db');
    const db = openDatabase({ file });
    const thread = startWriterThread(file, builtWorker)!;
    const placeholders = createPlaceholders();
    const events: string[] = [];
    // Handed over before the thread has even started: all three wait for it.
    for (const n of [1, 2, 3]) {
      thread.submit(
        packBatch({ ...emptyBatch(), attempts: [attempt({ ts: END_MS + n })] }, placeholders).packed,
        () => events.push(`written ${n}`),
        () => events.push(`committed ${n}`),
      );
    }
    await thread.close();
    expect(events).toEqual([
      'written 1',
      'written 2',
      'written 3',
      'committed 1',
      'committed 2',
      'committed 3',
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM attempts').get()).toEqual({ n: 3 });
    db.close();
  });

  it('commits a batch no other follows soon, without waiting for the end', async () => {
    const file = join(dir, 'lone.db');
    const db = openDatabase({ file });
    const thread = startWriterThread(file, builtWorker)!;
    const committed = new Promise<void>((resolve) =>
      thread.submit(
        packBatch({ ...emptyBatch(), attempts: [attempt({ ts: END_MS })] }, createPlaceholders()).packed,
        () => {},
        resolve,
      ),
    );
    await committed;
    // Visible to another connection while the thread still runs.
    expect(db.prepare('SELECT count(*) AS n FROM attempts').get()).toEqual({ n: 1 });
    await thread.close();
    db.close();
  });

  it('rolls back the whole transaction of a failed batch, the batches answered before it included', async () => {
    const file = join(dir, 'group-fail.db');
    const db = openDatabase({ file });
    const thread = startWriterThread(file, builtWorker)!;
    const placeholders = createPlaceholders();
    const good = attempt({ ts: END_MS });
    const bad = { ...attempt({ ts: END_MS }), outcome: 'lost' } as unknown as typeof good;
    const events: string[] = [];
    for (const [n, a] of [good, bad, good].entries()) {
      thread.submit(
        packBatch({ ...emptyBatch(), attempts: [a] }, placeholders).packed,
        () => events.push(`written ${n}`),
        () => events.push(`committed ${n}`),
      );
    }
    await expect(thread.close()).rejects.toThrow(/CHECK constraint/);
    expect(events).toEqual(['written 0']);
    expect(db.prepare('SELECT count(*) AS n FROM attempts').get()).toEqual({ n: 0 });
    db.close();
  });

  it('stops at the first failed batch: nothing after it is written, its checkpoint included', async () => {
    const file = join(dir, 'fail.db');
    const db = openDatabase({ file });
    const thread = startWriterThread(file, builtWorker)!;
    const placeholders = createPlaceholders();
    const checkpoint = (offset: number) => ({
      path: '/var/log/mail.log',
      inode: 1,
      fingerprint: '10:abc',
      offset,
      size: null,
      lines: offset,
      complete: false,
    });
    const good = attempt({ ts: END_MS });
    const bad = { ...attempt({ ts: END_MS }), outcome: 'lost' } as unknown as typeof good;
    // The first batch is committed before the others are handed over (else all three share one transaction).
    await new Promise<void>((resolve) =>
      thread.submit(
        packBatch({ ...emptyBatch(), attempts: [good], checkpoint: checkpoint(10) }, placeholders).packed,
        () => {},
        resolve,
      ),
    );
    thread.submit(
      packBatch({ ...emptyBatch(), attempts: [bad], checkpoint: checkpoint(20) }, placeholders).packed,
      () => {},
    );
    let written = false;
    thread.submit(
      packBatch({ ...emptyBatch(), attempts: [good], checkpoint: checkpoint(30) }, placeholders).packed,
      () => (written = true),
    );
    await expect(thread.close()).rejects.toThrow(/CHECK constraint/);
    expect(written).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM attempts').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT offset FROM sources').all()).toEqual([{ offset: 10 }]);
    db.close();
  });
});

describe('bulk import through the writer thread', () => {
  /** Everything ingest stores, in a stable order (ids included: both paths must number alike). */
  const dump = (db: Db) => {
    const q = (sql: string) => db.prepare(sql).all();
    return {
      attempts: q('SELECT * FROM attempts ORDER BY id'),
      rejects: q('SELECT * FROM rejects ORDER BY id'),
      messages: q('SELECT * FROM messages ORDER BY id'),
      recipients: q('SELECT * FROM message_recipients ORDER BY message_rowid, recipient'),
      minute: q(
        'SELECT * FROM rollups_minute ORDER BY bucket, host, domain, provider, outcome, class, cause, code',
      ),
      hour: q(
        'SELECT * FROM rollups_hour ORDER BY bucket, host, domain, provider, outcome, class, cause, code',
      ),
      day: q(
        'SELECT * FROM rollups_day ORDER BY bucket, host, domain, provider, outcome, class, cause, code',
      ),
      lineStats: q('SELECT * FROM line_stats ORDER BY name'),
      sources: q('SELECT path, inode, fingerprint, offset, lines, complete FROM sources ORDER BY id'),
      indexes: q("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"),
    };
  };

  it('stores exactly what the single-thread writer stores', async () => {
    const log = join(dir, 'mail.log');
    await writeLines(
      log,
      generateLines({ format: 'postfix', lines: 45_000, seed: 11, endMs: END_MS, days: 2 }),
    );

    // No writer thread: the batches are written on this thread.
    const single = openDatabase({ file: join(dir, 'single.db') });
    const phases: string[] = [];
    const one = await createIngest({
      store: createSqliteWriter(single, { startThread: () => null }),
      log: silentLogger(),
      bus: createEventBus(),
    }).ingestFiles([log], { onPhase: (p) => phases.push(p) });
    expect(phases).toEqual(['indexing']);

    // With the worker: an import of more than 4 MiB into an empty database writes through it.
    const threaded = openDatabase({ file: join(dir, 'threaded.db') });
    const bus = createEventBus();
    let announced = 0;
    bus.onBatch((b) => (announced += b.attempts.length));
    const two = await createIngest({
      store: createSqliteWriter(threaded, { startThread: (file) => startWriterThread(file, builtWorker) }),
      log: silentLogger(),
      bus,
    }).ingestFiles([log], { onPhase: (p) => phases.push(p) });
    // Once read: the writer thread finishes its batches, then the indexes set aside are built.
    expect(phases).toEqual(['indexing', 'writing', 'indexing']);

    expect(two.linesRead).toBe(45_000);
    expect(two.recorded).toEqual(one.recorded);
    const a = dump(single);
    const b = dump(threaded);
    expect(b.attempts.length).toBeGreaterThan(5000);
    expect(b.messages.length).toBeGreaterThan(5000);
    expect(b).toEqual(a);
    expect(announced).toBe(b.attempts.length);
    single.close();
    threaded.close();
  }, 120_000);
});
