/**
 * The writer binds rows 32 at a time, then a few at a time, then one by one: every row of a batch is stored once,
 * in order, whatever its count against those sizes.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBatch } from '../../../db/store/batch.js';
import type { MessageRow } from '../../../db/store/stored-rows.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { attempt, reject } from '../http/helpers.js';

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);

describe('batch writer row counts', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
  });
  afterEach(() => db.close());

  const counts = [0, 1, 3, 4, 5, 7, 8, 31, 32, 33, 35, 36, 37, 63, 64, 100];

  it.each(counts)('stores %i attempts and rejects of one batch, each once and in order', (n) => {
    const writer = createBatchWriter(db);
    const attempts = Array.from({ length: n }, (_, i) =>
      attempt({ ts: T0 + i * 1000, recipient: `u${i}@example.net`, recipientDomain: 'example.net' }),
    );
    const rejects = Array.from({ length: n }, (_, i) =>
      reject({ ts: T0 + i * 1000, recipient: `r${i}@example.net`, recipientDomain: 'example.net' }),
    );
    writer.write({ ...emptyBatch(), attempts, rejects });

    const stored = db.prepare<[], { recipient: string }>('SELECT recipient FROM attempts ORDER BY id').all();
    expect(stored.map((r) => r.recipient)).toEqual(attempts.map((a) => a.recipient));
    const storedRejects = db
      .prepare<[], { recipient: string }>('SELECT recipient FROM rejects ORDER BY id')
      .all();
    expect(storedRejects.map((r) => r.recipient)).toEqual(rejects.map((r) => r.recipient));
    // One rollup cell per minute, domain and outcome: the hour row counts every event once.
    const hour = db
      .prepare<[], { outcome: string; n: number }>(
        'SELECT outcome, SUM(count) AS n FROM rollups_hour GROUP BY outcome ORDER BY outcome',
      )
      .all();
    expect(hour).toEqual(
      n === 0
        ? []
        : [
            { outcome: 'rejected', n },
            { outcome: 'sent', n },
          ],
    );
  });

  it('gives back every recipient and Message-ID whole, the part its domain says kept apart or not', () => {
    const writer = createBatchWriter(db);
    const shapes: [string, string][] = [
      ['ann@example.net', 'example.net'],
      ['Ann@Example.NET', 'example.net'],
      ['"a@b"@example.net', 'example.net'],
      ['@example.net', 'example.net'],
      ['root', 'mx1.example.org'],
      ['', ''],
    ];
    // Every attempt's DSN repeats its enhanced status (2.0.0) but the last one's.
    const attempts = shapes.map(([recipient, recipientDomain], i) =>
      attempt({
        ts: T0 + i * 1000,
        recipient,
        recipientDomain,
        dsn: i === shapes.length - 1 ? '4.4.1' : '2.0.0',
      }),
    );
    const ids = ['k1@mail.example.net', '<k2@mail.example.net>', 'no-right-side', 'a@b@c', null];
    const messages: MessageRow[] = ids.map((messageId, i) => ({
      id: 0,
      host: 'mx1',
      mta: 'postfix',
      queueId: `Q${i}`,
      firstTs: T0,
      lastTs: T0 + 1000,
      sender: null,
      senderDomain: null,
      size: null,
      nrcpt: null,
      messageId,
      clientHost: null,
      clientIp: null,
      notificationOf: null,
      expiredAt: null,
      closedAt: null,
    }));
    writer.write({ ...emptyBatch(), attempts, messages });

    const stored = db.prepare<[], { recipient: string; flags: number }>(
      'SELECT recipient, flags FROM attempts ORDER BY id',
    );
    expect(stored.all()).toEqual(shapes.map(([recipient]) => ({ recipient, flags: 0 })));
    // Only the addresses that end in `@` and their domain lose it in the row.
    const rows = db.prepare<[], string>('SELECT bw_text(recipient) FROM attempt_rows ORDER BY id').pluck();
    expect(rows.all()).toEqual(['ann', 'Ann@Example.NET', '"a@b"', '', 'root', '']);
    // A local part of four letters, digits or dots or more is packed at 6 bits a character (migration 0018).
    const types = db.prepare<[], string>('SELECT typeof(recipient) FROM attempt_rows ORDER BY id').pluck();
    expect(types.all()).toEqual(['text', 'text', 'text', 'text', 'blob', 'text']);
    // A DSN that repeats the enhanced status is stored as 0 and read back as that status.
    const dsns = db.prepare<[], string | null>('SELECT dsn FROM attempts ORDER BY id').pluck();
    expect(dsns.all()).toEqual(attempts.map((a) => a.dsn));
    const storedDsns = db.prepare<[], number>('SELECT dsn FROM attempt_rows ORDER BY id').pluck().all();
    expect(storedDsns.slice(0, -1).every((d) => d === 0)).toBe(true);
    expect(storedDsns.at(-1)).toBeGreaterThan(0);
    const lives = db.prepare<[], string | null>('SELECT message_id FROM messages ORDER BY id').pluck();
    expect(lives.all()).toEqual(ids);
    const lifeRows = db.prepare<[], string | null>('SELECT message_id FROM message_rows ORDER BY id').pluck();
    expect(lifeRows.all()).toEqual(['k1', '<k2', 'no-right-side', 'a', null]);
  });
});
