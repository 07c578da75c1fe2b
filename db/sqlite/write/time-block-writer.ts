/** Keeps the time blocks (db/sqlite/time-blocks.ts) exact as rows are written and pruned, in the writer's transaction. */

import type { Db } from '../open.js';
import { BLOCK_SHIFT, BLOCK_SIZE, blockIds } from '../time-blocks.js';
import type { Stored } from './pack-batch.js';

export interface TimeBlockWriter {
  /** The largest attempt id now: the rows inserted next come after it. */
  lastAttemptId(): number;
  /** Widens the blocks of the attempts stored after `afterId`. */
  attemptsAdded(afterId: number): void;
  /** Widens the blocks of lives as stored (`values`: rows of `width` values, the id at `idAt`, first time at `firstAt`). */
  livesStored(values: readonly Stored[], width: number, idAt: number, firstAt: number): void;
  /** Narrows the blocks that held rows older than `cutoff` to the rows left, and drops those left empty. */
  pruned(cutoff: number): void;
}

export function createTimeBlockWriter(db: Db): TimeBlockWriter {
  const lastId = db.prepare<[], number | null>('SELECT MAX(id) FROM attempt_rows').pluck();
  const attempts = db.prepare<[number]>(`
    INSERT INTO attempt_blocks (block, min_ts, max_ts)
    SELECT id >> ${BLOCK_SHIFT}, MIN(ts), MAX(ts) FROM attempt_rows WHERE id > ? GROUP BY id >> ${BLOCK_SHIFT}
    ON CONFLICT (block) DO UPDATE SET min_ts = min(min_ts, excluded.min_ts), max_ts = max(max_ts, excluded.max_ts)`);
  const life = db.prepare<[number, number]>(`
    INSERT INTO message_blocks (block, min_ts) VALUES (?, ?)
    ON CONFLICT (block) DO UPDATE SET min_ts = min(min_ts, excluded.min_ts)`);
  const emptyAttemptBlocks = db.prepare(`
    DELETE FROM attempt_blocks AS b
     WHERE min_ts < ? AND NOT EXISTS (SELECT 1 FROM attempt_rows a WHERE a.id BETWEEN ${blockIds('b')})`);
  const narrowAttemptBlocks = db.prepare(`
    UPDATE attempt_blocks AS b
       SET min_ts = (SELECT MIN(ts) FROM attempt_rows a WHERE a.id BETWEEN ${blockIds('b')}),
           max_ts = (SELECT MAX(ts) FROM attempt_rows a WHERE a.id BETWEEN ${blockIds('b')})
     WHERE min_ts < ?`);
  const emptyLifeBlocks = db.prepare(`
    DELETE FROM message_blocks AS b
     WHERE min_ts < ? AND NOT EXISTS (SELECT 1 FROM message_rows m WHERE m.id BETWEEN ${blockIds('b')})`);
  const narrowLifeBlocks = db.prepare(`
    UPDATE message_blocks AS b SET min_ts = (SELECT MIN(first_ts) FROM message_rows m WHERE m.id BETWEEN ${blockIds('b')})
     WHERE min_ts < ?`);
  return {
    lastAttemptId: () => lastId.get() ?? 0,
    attemptsAdded(afterId) {
      attempts.run(afterId);
    },
    livesStored(values, width, idAt, firstAt) {
      // A batch's lives are mostly new and consecutive: one upsert per block they touch.
      let block = -1;
      let min = Infinity;
      for (let o = 0; o < values.length; o += width) {
        const b = Math.floor((values[o + idAt] as number) / BLOCK_SIZE);
        const first = values[o + firstAt] as number;
        if (b !== block) {
          if (block >= 0) life.run(block, min);
          block = b;
          min = first;
        } else if (first < min) min = first;
      }
      if (block >= 0) life.run(block, min);
    },
    pruned(cutoff) {
      emptyAttemptBlocks.run(cutoff);
      narrowAttemptBlocks.run(cutoff);
      emptyLifeBlocks.run(cutoff);
      narrowLifeBlocks.run(cutoff);
    },
  };
}
