import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createBulkLoader } from '../../../db/sqlite/write/bulk-load.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { generateRows } from '../../../scripts/bench/api-rows.js';
import { DAY, NOW } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dump = (db: Db, table: string) =>
  db
    .prepare(`SELECT * FROM ${table} ORDER BY bucket, host, domain, provider, outcome, class, cause, code`)
    .all();

describe('bench bulk loader', () => {
  it('stores exactly the rows and rollups the batch writer keeps', () => {
    const viaWriter = openDatabase({ file: join(dir, 'a.db') });
    const viaBulk = openDatabase({ file: join(dir, 'b.db') });
    const writer = createBatchWriter(viaWriter);
    const bulk = createBulkLoader(viaBulk);
    const options = {
      attempts: 5000,
      from: NOW - 3 * DAY,
      to: NOW,
      hosts: ['a.example', 'b.example'],
      domains: 60,
    };
    for (const b of generateRows(options, 700)) {
      writer.write({ ...emptyBatch(), attempts: b.attempts, rejects: b.rejects, messages: b.messages });
      bulk.insert(b.attempts, b.rejects, b.messages);
    }
    bulk.rebuildRollups();
    for (const table of ['rollups_minute', 'rollups_hour', 'rollups_day']) {
      const expected = dump(viaWriter, table);
      expect(expected.length).toBeGreaterThan(100);
      expect(dump(viaBulk, table)).toEqual(expected);
    }
    // The raw rows too: lives stored once, each attempt naming its life, as ingest stores them.
    for (const sql of [
      'SELECT * FROM attempts ORDER BY id',
      'SELECT * FROM messages ORDER BY id',
      'SELECT * FROM rejects ORDER BY id',
      'SELECT * FROM message_recipients ORDER BY message_rowid, recipient',
    ]) {
      const expected = viaWriter.prepare(sql).all();
      expect(expected.length, sql).toBeGreaterThan(100);
      expect(viaBulk.prepare(sql).all(), sql).toEqual(expected);
    }
    const linked = viaBulk
      .prepare("SELECT count(*) FROM attempts WHERE message_rowid IS NOT NULL AND queue_id = ''")
      .pluck()
      .get();
    expect(linked).toBe(viaBulk.prepare('SELECT count(*) FROM attempts').pluck().get());
    viaWriter.close();
    viaBulk.close();
  });
});
