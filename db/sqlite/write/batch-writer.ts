/** The ingest writer: raw rows, rollups, message lives, counters and the checkpoint of one batch in one transaction. */

import {
  ATTEMPT_COLUMNS,
  MESSAGE_COLUMNS,
  REJECT_COLUMNS,
  ROLLUP_COLUMNS,
  SAMPLE_COLUMNS,
} from './columns.js';
import {
  countRollupsInto,
  packBatch,
  createPlaceholders,
  settleLives,
  unsettleLives,
  type PackedBatch,
  type Value,
} from './pack-batch.js';
import { type Batch } from '../../store/batch.js';
import { createRollupCounter, type RollupRows } from './rollup-counter.js';
import { insertInto, multiRowInsert } from './multi-row-insert.js';
import type { Db } from '../open.js';

export interface BatchWriter {
  /** Writes a batch of row objects; lives new in it get their ids set. */
  write(batch: Batch): void;
  /** Writes a packed batch; returns the id given to its first new life (the others follow in order). */
  writePacked(packed: PackedBatch): number;
  /**
   * Opens one transaction for several packed batches, for a writer thread that keeps being handed batches:
   * each batch's rows are written as it is added; the rollup cells of all of them are counted together and
   * written once, at the commit, which saves a commit and a rollup upsert per cell and batch.
   */
  group(): BatchGroup;
}

/** Batches written in one transaction. After a failure in `add` or `commit` all of it is rolled back. */
export interface BatchGroup {
  /** Writes a batch's rows; returns the id given to its first new life. */
  add(packed: PackedBatch): number;
  /** Writes the summed rollup rows and commits. */
  commit(): void;
  /** Rolls back what was added (nothing once committed). */
  rollback(): void;
  /** Whether the group holds GROUP_BATCHES batches: time to commit it. */
  readonly full: boolean;
}

/** Page cache of the writer connection: the rollup and index pages a batch touches stay in memory. */
const WRITER_CACHE_KIB = 16 * 1024;

/**
 * Page cache of the bulk import's writer thread: half the above. A bulk import defers the random-access indexes,
 * so the pages a batch touches are mostly the ends of tables, and the memory saved keeps large imports within
 * their memory target.
 */
export const THREAD_WRITER_CACHE_KIB = 8 * 1024;

/** Where an attempt's message id is among its packed values. */
const ATTEMPT_MESSAGE_COLUMN = ATTEMPT_COLUMNS.indexOf('message_rowid');

/**
 * Batches at most in one transaction of the writer thread (BatchGroup.full): it takes the next batch into the
 * open transaction while the reading side keeps handing them over. Eight read chunks hold the write lock for
 * some tens of milliseconds.
 */
const GROUP_BATCHES = 8;

/** Placeholder ranges of recent batches (a batch may name lives that an earlier, unacknowledged one made). */
const KEPT_RANGES = 16;

export function createBatchWriter(db: Db, options: { cacheKiB?: number } = {}): BatchWriter {
  db.pragma(`cache_size = -${options.cacheKiB ?? WRITER_CACHE_KIB}`);
  const insertAttempts = multiRowInsert(
    db,
    insertInto('attempts', ATTEMPT_COLUMNS),
    '',
    ATTEMPT_COLUMNS.length,
  );
  const insertRejects = multiRowInsert(db, insertInto('rejects', REJECT_COLUMNS), '', REJECT_COLUMNS.length);
  const rollup = (table: string) =>
    multiRowInsert(
      db,
      insertInto(table, ROLLUP_COLUMNS),
      `ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code)
       DO UPDATE SET count = count + excluded.count`,
      ROLLUP_COLUMNS.length,
    );
  const rollupMinute = rollup('rollups_minute');
  const rollupHour = rollup('rollups_hour');
  const rollupDay = rollup('rollups_day');
  // Lives are numbered here (after the largest id, as SQLite would) so they can be upserted 32 at a time: a
  // new life is inserted, a known one updated (or inserted again with its id if retention pruned it meanwhile).
  const lastMessageId = db.prepare<[], number | null>('SELECT MAX(id) FROM messages').pluck();
  const upsertMessages = multiRowInsert(
    db,
    insertInto('messages', MESSAGE_COLUMNS),
    `ON CONFLICT (id) DO UPDATE SET last_ts = excluded.last_ts, sender = excluded.sender,
      sender_domain = excluded.sender_domain, size = excluded.size, nrcpt = excluded.nrcpt,
      message_id = excluded.message_id, client_host = excluded.client_host, client_ip = excluded.client_ip,
      notification_of = excluded.notification_of, expired_at = excluded.expired_at, closed_at = excluded.closed_at`,
    MESSAGE_COLUMNS.length,
  );
  const addUnparsedCount = db.prepare(`
    INSERT INTO unparsed_counts (program, count) VALUES (?, ?)
    ON CONFLICT (program) DO UPDATE SET count = count + excluded.count`);
  const addUnparsedSamples = multiRowInsert(
    db,
    insertInto('unparsed_samples', SAMPLE_COLUMNS),
    'ON CONFLICT (program, shape) DO UPDATE SET count = count + excluded.count',
    SAMPLE_COLUMNS.length,
  );
  const addLineStat = db.prepare(`
    INSERT INTO line_stats (name, count) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET count = count + excluded.count`);
  const renameFingerprint = db.prepare('UPDATE OR REPLACE sources SET fingerprint = ? WHERE fingerprint = ?');
  const saveCheckpoint = db.prepare(`
    INSERT INTO sources (path, inode, fingerprint, offset, size, lines, complete, updated_at, cursor)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (fingerprint) DO UPDATE SET path = excluded.path, inode = excluded.inode,
      offset = excluded.offset, size = excluded.size, lines = excluded.lines,
      complete = excluded.complete, updated_at = excluded.updated_at, cursor = excluded.cursor`);

  /** Placeholders given real ids by recent committed batches: first placeholder, count, first id. */
  const ranges: { first: number; n: number; id: number }[] = [];
  const resolver =
    (p: PackedBatch, firstId: number) =>
    (id: number): number => {
      if (id > 0) return id;
      if (id <= p.firstPlaceholder && id > p.firstPlaceholder - p.newLives)
        return firstId + (p.firstPlaceholder - id);
      for (const r of ranges) if (id <= r.first && id > r.first - r.n) return r.id + (r.first - id);
      throw new Error(`message placeholder ${id} belongs to no recent batch`);
    };
  /** Replaces placeholder ids (column `col` of each row of `width` values) by real ones; null stays null. */
  const resolveColumn = (values: Value[], width: number, col: number, resolve: (id: number) => number) => {
    for (let o = col; o < values.length; o += width) {
      const id = values[o];
      if (typeof id === 'number' && id <= 0) values[o] = resolve(id);
    }
  };

  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  /** A batch's rows, lives, counters and checkpoint (its rollups are the group's to write). */
  const writeRows = (p: PackedBatch): number => {
    const firstId = p.newLives > 0 ? (lastMessageId.get() ?? 0) + 1 : 0;
    const resolve = resolver(p, firstId);
    resolveColumn(p.messages, MESSAGE_COLUMNS.length, 0, resolve);
    resolveColumn(p.attempts, ATTEMPT_COLUMNS.length, ATTEMPT_MESSAGE_COLUMN, resolve);
    insertAttempts.all(p.attempts);
    insertRejects.all(p.rejects);
    upsertMessages.all(p.messages);
    for (const [program, count] of p.unparsedCounts) addUnparsedCount.run(program, count);
    addUnparsedSamples.all(p.unparsedSamples);
    for (const [name, count] of p.lineStats) addLineStat.run(name, count);
    const cp = p.checkpoint;
    if (cp) {
      if (cp.previousFingerprint && cp.previousFingerprint !== cp.fingerprint) {
        renameFingerprint.run(cp.fingerprint, cp.previousFingerprint);
      }
      saveCheckpoint.run(
        cp.path,
        cp.inode,
        cp.fingerprint,
        cp.offset,
        cp.size,
        cp.lines,
        cp.complete ? 1 : 0,
        Date.now(),
        cp.cursor ?? null,
      );
    }
    if (p.newLives > 0) {
      ranges.unshift({ first: p.firstPlaceholder, n: p.newLives, id: firstId });
      if (ranges.length > KEPT_RANGES) ranges.pop();
    }
    return firstId;
  };

  // IMMEDIATE: the write lock from the start, so the largest message id read first stays the largest.
  const group = (): BatchGroup => {
    begin.run();
    const rangesBefore = ranges.slice();
    // Rollup rows of the batches counted on the reading side, and one counter for those left to this side:
    // a cell shared by several batches becomes one row. Its minute rows start where the first batch's did
    // (the batches of a group are read within a second or so of each other).
    const given: PackedBatch[] = [];
    const counter = createRollupCounter();
    let minuteFrom = Infinity;
    let batches = 0;
    let open = true;
    const rollbackAll = () => {
      open = false;
      ranges.splice(0, ranges.length, ...rangesBefore);
      if (db.inTransaction) rollback.run();
    };
    return {
      add(p) {
        if (!open) throw new Error('batch group already closed');
        try {
          const firstId = writeRows(p);
          // Rows counted by the reading thread, or counted here when it left them (PackedBatch.countRollupsFrom).
          if (p.countRollupsFrom === null) given.push(p);
          else {
            countRollupsInto(counter, p.attempts, p.rejects);
            minuteFrom = Math.min(minuteFrom, p.countRollupsFrom);
          }
          batches++;
          return firstId;
        } catch (err) {
          rollbackAll();
          throw err;
        }
      },
      commit() {
        if (!open) throw new Error('batch group already closed');
        try {
          // A key written twice (given and counted) is added up by the upsert.
          const lists: Pick<PackedBatch, keyof RollupRows>[] =
            minuteFrom === Infinity ? given : [...given, counter.rows(minuteFrom)];
          for (const r of lists) rollupMinute.all(r.minute);
          for (const r of lists) rollupHour.all(r.hour);
          for (const r of lists) rollupDay.all(r.day);
          commit.run();
          open = false;
        } catch (err) {
          rollbackAll();
          throw err;
        }
      },
      rollback: () => {
        if (open) rollbackAll();
      },
      get full() {
        return batches >= GROUP_BATCHES;
      },
    };
  };

  const writePacked = (p: PackedBatch): number => {
    const g = group();
    const firstId = g.add(p);
    g.commit();
    return firstId;
  };
  const placeholders = createPlaceholders();
  return {
    writePacked,
    group,
    write(batch) {
      const { packed, newLives } = packBatch(batch, placeholders);
      let firstId: number;
      try {
        firstId = writePacked(packed);
      } catch (err) {
        unsettleLives(newLives);
        throw err;
      }
      settleLives(newLives, firstId);
    },
  };
}
