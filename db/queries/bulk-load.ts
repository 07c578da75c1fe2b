/**
 * A fast fill for benchmarks: raw rows packed as the batch writer packs them and inserted one by one, rollups
 * computed afterwards in three set-based statements instead of an upsert per key and batch. It must store the
 * same rows and rollups as db/write.ts (a test compares them); the product's ingest path remains the batch
 * writer.
 */

import {
  ATTEMPT_COLUMNS,
  createPlaceholders,
  emptyBatch,
  MESSAGE_COLUMNS,
  packBatch,
  REJECT_COLUMNS,
  type Value,
} from '../batch-pack.js';
import type { MessageRow } from '../messages.js';
import type { Db } from '../open.js';
import type { AttemptRow, RejectRow } from '../rows.js';
import { rawCellsSql } from './raw-cells.js';

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
  // Rows are packed by the batch writer's own code (db/batch-pack.ts), so they are stored as ingest stores
  // them: a life's fields once, in messages, and each attempt naming its life.
  const insertRow = (table: string, columns: readonly string[]) => {
    const statement = db.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const row = new Array<Value>(columns.length).fill(null);
    return (values: Value[]) => {
      for (let o = 0; o < values.length; o += columns.length) {
        for (let i = 0; i < columns.length; i++) row[i] = values[o + i]!;
        statement.run(...row);
      }
    };
  };
  const insertAttempts = insertRow('attempts', ATTEMPT_COLUMNS);
  const insertRejects = insertRow('rejects', REJECT_COLUMNS);
  const insertMessages = insertRow('messages', MESSAGE_COLUMNS);
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

  const insert = db.transaction(
    (attempts: readonly AttemptRow[], rejects: readonly RejectRow[], messages: readonly MessageRow[]) => {
      if (messages.some((m) => m.id <= 0)) throw new Error('bulk loader: every life needs its id');
      const { packed } = packBatch(
        { ...emptyBatch(), attempts: [...attempts], rejects: [...rejects], messages: [...messages] },
        placeholders,
        { countRollups: false },
      );
      insertMessages(packed.messages);
      insertAttempts(packed.attempts);
      insertRejects(packed.rejects);
    },
  );
  const rebuild = db.transaction(() => {
    for (const c of clear) c.run();
    minutes.run();
    hours.run();
    days.run();
  });
  return { insert: (a, r, m = []) => insert(a, r, m), rebuildRollups: () => rebuild() };
}
