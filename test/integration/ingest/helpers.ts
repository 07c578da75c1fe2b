/** Shared setup for ingest tests: temp dirs, a migrated database, and counting queries. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createEventBus, type StoredBatch } from '../../../server/events.js';
import { createSqliteWriter, type SqliteWriterOptions } from '../../../db/sqlite/write/sqlite-writer.js';
import { createIngest, type Ingest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import type { PackedBatch } from '../../../db/sqlite/write/pack-batch.js';
import type { WriterThread } from '../../../db/sqlite/write/writer-thread.js';

export interface Env {
  dir: string;
  db: Db;
  dbFile: string;
  batches: StoredBatch[];
  ingest: Ingest;
  /** Heartbeats of the followers of this environment (one per finished round). */
  rounds(): number;
  /** A fresh engine on the same database (a restart). */
  restart(): Ingest;
  cleanup(): void;
}

export function setup(prefix = 'bw-ingest-', store: SqliteWriterOptions = {}): Env {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dbFile = join(dir, 'test.db');
  const db = openDatabase({ file: dbFile });
  const batches: StoredBatch[] = [];
  let rounds = 0;
  const make = () => {
    const bus = createEventBus();
    bus.onBatch((b) => batches.push(b));
    bus.onHeartbeat(() => rounds++);
    return createIngest({ store: createSqliteWriter(db, store), log: silentLogger(), bus });
  };
  return {
    dir,
    db,
    dbFile,
    batches,
    ingest: make(),
    rounds: () => rounds,
    restart: make,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function count(db: Db, sql: string, ...params: (string | number)[]): number {
  const row = db.prepare<(string | number)[], { n: number }>(sql).get(...params);
  return row?.n ?? 0;
}

export function outcomes(db: Db): Record<string, number> {
  const rows = db
    .prepare<[], { outcome: string; n: number }>(
      'SELECT outcome, count(*) AS n FROM attempts GROUP BY outcome',
    )
    .all();
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

export function lineStat(db: Db, name: string): number {
  return count(db, 'SELECT coalesce(sum(count), 0) AS n FROM line_stats WHERE name = ?', name);
}

/** A writer thread that writes nothing and keeps what the pipeline hands it, for tests of the handing over. */
export function capturingThread(): { thread: WriterThread; sent: PackedBatch[] } {
  const sent: PackedBatch[] = [];
  const thread: WriterThread = {
    submit: (b) => void sent.push(b),
    waitUntil: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { thread, sent };
}
