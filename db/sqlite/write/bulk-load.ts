/**
 * A fast fill for benchmarks: raw rows packed and inserted as the batch writer does it, rollups computed
 * afterwards in three set-based statements instead of an upsert per key and batch. It must store the same rows
 * and rollups as batch-writer.ts (a test compares them); the product's ingest path remains the batch writer.
 */

import { createPlaceholders, packBatch } from './pack-batch.js';
import { emptyBatch } from '../../store/batch.js';
import { insertInto, multiRowInsert } from './multi-row-insert.js';
import {
  ATTEMPT_LAYOUT,
  createRowEncoder,
  LIFE_ROW_COLUMNS,
  MESSAGE_LAYOUT,
  REJECT_LAYOUT,
  type Layout,
} from './lean-rows.js';
import type { MessageRow } from '../../store/stored-rows.js';
import type { Db } from '../open.js';
import type { AttemptRow, RejectRow } from '../../store/stored-rows.js';
import { rawCellsSql } from '../read/raw-cells.js';
import { createTimeBlockWriter } from './time-block-writer.js';
import { ATTEMPT_EXTRA_COLUMNS, ATTEMPT_ROW_COLUMNS, splitAttempts } from './attempt-extras.js';

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
  const columns = (table: string, list: readonly string[]) =>
    multiRowInsert(db, insertInto(table, list), '', list.length);
  const insertAttempts = columns('attempt_rows', ATTEMPT_ROW_COLUMNS);
  const insertExtras = columns('attempt_extras', ATTEMPT_EXTRA_COLUMNS);
  const insertRejects = insert(REJECT_LAYOUT);
  const insertMessages = columns('message_rows', LIFE_ROW_COLUMNS);
  const rows = createRowEncoder(db);
  const blocks = createTimeBlockWriter(db);
  const placeholders = createPlaceholders();
  const clear = ['rollup_minute_rows', 'rollup_hour_rows', 'rollup_day_rows'].map((t) =>
    db.prepare(`DELETE FROM ${t}`),
  );
  // Minute cells are counted with their texts first, then stored under the texts' name ids (migration 0012).
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS bulk_minute_cells (bucket, ${KEY}, count)`);
  const clearCells = db.prepare('DELETE FROM temp.bulk_minute_cells');
  const cells = db.prepare(`
    INSERT INTO temp.bulk_minute_cells
    SELECT bucket - bucket % 60000, ${KEY}, COUNT(*) FROM (${rawCellsSql('all')}) GROUP BY 1, ${KEY}`);
  const names = db.prepare(`
    INSERT OR IGNORE INTO names (name)
    ${KEY.split(', ')
      .map((c) => `SELECT ${c} FROM temp.bulk_minute_cells`)
      .join(' UNION ')}`);
  const id = (c: string) => `(SELECT id FROM names WHERE name = m.${c})`;
  const minutes = db.prepare(`
    INSERT INTO rollup_minute_rows (bucket, ${KEY}, count)
    SELECT bucket, ${KEY.split(', ').map(id).join(', ')}, count FROM temp.bulk_minute_cells m`);
  const coarser = (table: string, from: string, size: number) =>
    db.prepare(`INSERT INTO ${table} (bucket, ${KEY}, count)
      SELECT bucket - bucket % ${size}, ${KEY}, SUM(count) FROM ${from} GROUP BY 1, ${KEY}`);
  const hours = coarser('rollup_hour_rows', 'rollup_minute_rows', 3_600_000);
  const days = coarser('rollup_day_rows', 'rollup_hour_rows', 86_400_000);

  const write = db.transaction(
    (attempts: readonly AttemptRow[], rejects: readonly RejectRow[], messages: readonly MessageRow[]) => {
      if (messages.some((m) => m.id <= 0)) throw new Error('bulk loader: every life needs its id');
      const { packed } = packBatch(
        { ...emptyBatch(), attempts: [...attempts], rejects: [...rejects], messages: [...messages] },
        placeholders,
        { countRollups: false },
      );
      const lives = rows.lives(rows.encode(packed.messages, MESSAGE_LAYOUT));
      insertMessages.all(lives);
      const at = (c: string) => LIFE_ROW_COLUMNS.indexOf(c);
      blocks.livesStored(lives, LIFE_ROW_COLUMNS.length, at('id'), at('first_ts'));
      const lastAttempt = blocks.lastAttemptId();
      const split = splitAttempts(rows.encode(packed.attempts, ATTEMPT_LAYOUT), lastAttempt + 1, rows.route);
      insertAttempts.all(split.rows);
      insertExtras.all(split.extras);
      blocks.attemptsAdded(lastAttempt);
      insertRejects.all(rows.encode(packed.rejects, REJECT_LAYOUT));
    },
  );
  const rebuild = db.transaction(() => {
    for (const c of clear) c.run();
    clearCells.run();
    cells.run();
    names.run();
    minutes.run();
    clearCells.run();
    hours.run();
    days.run();
  });
  return { insert: (a, r, m = []) => write(a, r, m), rebuildRollups: () => rebuild() };
}
