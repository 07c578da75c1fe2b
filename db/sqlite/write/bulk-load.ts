/**
 * A fast fill for benchmarks: raw rows packed and inserted as the batch writer does it, rollups computed
 * afterwards in three set-based statements instead of an upsert per key and batch. It must store the same rows
 * and rollups as batch-writer.ts (a test compares them); the product's ingest path remains the batch writer.
 */

import { createPlaceholders, packBatch } from './pack-batch.js';
import { emptyBatch } from '../../store/batch.js';
import { insertInto, multiRowInsert } from './multi-row-insert.js';
import { ATTEMPT_LAYOUT, createRowEncoder, MESSAGE_LAYOUT, REJECT_LAYOUT, type Layout } from './lean-rows.js';
import type { MessageRow } from '../../store/stored-rows.js';
import type { Db } from '../open.js';
import type { AttemptRow, RejectRow } from '../../store/stored-rows.js';
import { rawCellsSql } from '../read/raw-cells.js';

export interface BulkLoader {
  /** Rows as the batch writer takes them: lives must have their ids already (no placeholders here). */
  insert(
    attempts: readonly AttemptRow[],
    rejects: readonly RejectRow[],
    messages?: readonly MessageRow[],
  ): void;
  /** Recomputes every rollup table from the raw rows. */
  rebuildRollups(): void;
}

const KEY = 'host, domain, provider, outcome, class, cause, code';

export function createBulkLoader(db: Db): BulkLoader {
  // Rows are packed and inserted by the batch writer's own code (pack-batch.ts, multi-row-insert.ts), so
  // they are stored as ingest stores them: a life's fields once, in messages, and each attempt naming its life.
  const insert = (l: Layout) => multiRowInsert(db, insertInto(l.table, l.columns), '', l.columns.length);
  const insertAttempts = insert(ATTEMPT_LAYOUT);
  const insertRejects = insert(REJECT_LAYOUT);
  const insertMessages = insert(MESSAGE_LAYOUT);
  const rows = createRowEncoder(db);
  const placeholders = createPlaceholders();
  const clear = ['rollups_minute', 'rollups_hour', 'rollups_day'].map((t) => db.prepare(`DELETE FROM ${t}`));
  const minutes = db.prepare(`
    INSERT INTO rollups_minute (bucket, ${KEY}, count)
    SELECT bucket - bucket % 60000, ${KEY}, COUNT(*) FROM (${rawCellsSql('1')}) GROUP BY 1, ${KEY}`);
  const coarser = (table: string, from: string, size: number) =>
    db.prepare(`INSERT INTO ${table} (bucket, ${KEY}, count)
      SELECT bucket - bucket % ${size}, ${KEY}, SUM(count) FROM ${from} GROUP BY 1, ${KEY}`);
  const hours = coarser('rollups_hour', 'rollups_minute', 3_600_000);
  const days = coarser('rollups_day', 'rollups_hour', 86_400_000);

  const write = db.transaction(
    (attempts: readonly AttemptRow[], rejects: readonly RejectRow[], messages: readonly MessageRow[]) => {
      if (messages.some((m) => m.id <= 0)) throw new Error('bulk loader: every life needs its id');
      const { packed } = packBatch(
        { ...emptyBatch(), attempts: [...attempts], rejects: [...rejects], messages: [...messages] },
        placeholders,
        { countRollups: false },
      );
      insertMessages.all(rows.encode(packed.messages, MESSAGE_LAYOUT));
      insertAttempts.all(rows.encode(packed.attempts, ATTEMPT_LAYOUT));
      insertRejects.all(rows.encode(packed.rejects, REJECT_LAYOUT));
    },
  );
  const rebuild = db.transaction(() => {
    for (const c of clear) c.run();
    minutes.run();
    hours.run();
    days.run();
  });
  return { insert: (a, r, m = []) => write(a, r, m), rebuildRollups: () => rebuild() };
}
