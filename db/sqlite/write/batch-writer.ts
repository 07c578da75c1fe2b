/** The ingest writer: raw rows, rollups, message lives, counters and the checkpoint of one batch in one transaction. */

import { splitAttempts } from './attempt-extras.js';
import { createTriageWriter, type TriageWriter } from './triage-facts.js';
import type { Batch } from '../../store/batch.js';
import type { Db } from '../open.js';
import {
  ATTEMPT_LAYOUT,
  createRowEncoder,
  LIFE_ROW_COLUMNS,
  DELAY_LAYOUT,
  MESSAGE_LAYOUT,
  REJECT_LAYOUT,
  ROLLUP_LAYOUT,
  type RowEncoder,
} from './lean-rows.js';
import { createDelayCounter, type DelayCounter } from './delay-counter.js';
import { createLifeIds, type LifeIds } from './life-ids.js';
import {
  countRollupsInto,
  createPlaceholders,
  packBatch,
  settleLives,
  unsettleLives,
  type PackedBatch,
  type Stored,
} from './pack-batch.js';
import { createRollupCounter, type RollupRows } from './rollup-counter.js';
import { createTimeBlockWriter, type TimeBlockWriter } from './time-block-writer.js';
import { prepareWriteStatements, type WriteStatements } from './write-statements.js';

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

/**
 * Batches at most in one transaction of the writer thread (BatchGroup.full): it takes the next batch into the
 * open transaction while the reading side keeps handing them over. Eight read chunks hold the write lock for
 * some tens of milliseconds.
 */
const GROUP_BATCHES = 8;

/** Where a stored life's id and first time are among its values. */
const LIFE_ID_AT = LIFE_ROW_COLUMNS.indexOf('id');
const LIFE_FIRST_AT = LIFE_ROW_COLUMNS.indexOf('first_ts');

/** What writes a batch: the statements, and the writers of triage facts, life ids, lean rows and time blocks. */
interface Writers {
  s: WriteStatements;
  triage: TriageWriter;
  ids: LifeIds;
  rows: RowEncoder;
  blocks: TimeBlockWriter;
}

/** Writes a batch's rows, lives, counters and checkpoint (its rollups are its group's to write). */
function writeRows({ s, triage, ids, rows, blocks }: Writers, p: PackedBatch): number {
  const firstId = p.newLives > 0 ? (s.lastMessageId.get() ?? 0) + 1 : 0;
  ids.assign(p, firstId);
  const lastAttempt = blocks.lastAttemptId();
  const attempts = splitAttempts(rows.encode(p.attempts, ATTEMPT_LAYOUT), lastAttempt + 1, rows.route);
  s.attempts.all(attempts.rows);
  s.attemptExtras.all(attempts.extras);
  if (p.attempts.length > 0) blocks.attemptsAdded(lastAttempt);
  s.rejects.all(rows.encode(p.rejects, REJECT_LAYOUT));
  const lives = rows.lives(rows.encode(p.messages, MESSAGE_LAYOUT));
  s.messages.all(lives);
  blocks.livesStored(lives, LIFE_ROW_COLUMNS.length, LIFE_ID_AT, LIFE_FIRST_AT);
  s.domainFacts.all(p.domainFacts);
  s.clientDomains.all(p.clientDomains);
  s.authenticatedClients.all(p.authenticatedClients);
  for (const [program, count] of p.unparsedCounts) s.unparsedCount.run(program, count);
  s.unparsedSamples.all(p.unparsedSamples);
  for (const [name, count] of p.lineStats) s.lineStat.run(name, count);
  if (p.triage) triage.write(p.triage);
  const cp = p.checkpoint;
  if (cp) {
    if (cp.previousFingerprint && cp.previousFingerprint !== cp.fingerprint) {
      s.renameFingerprint.run(cp.fingerprint, cp.previousFingerprint);
    }
    s.checkpoint.run(
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
  return firstId;
}

/** Stored delay_hours rows: names as ids, provider 0 where none is known (a key column is never null), then the counts. */
function delayRows(rows: RowEncoder, cells: ReturnType<DelayCounter['rows']>): Stored[] {
  const keys = rows.encode(cells.keys, DELAY_LAYOUT);
  const width = DELAY_LAYOUT.columns.length;
  const provider = DELAY_LAYOUT.columns.indexOf('provider');
  const out: Stored[] = [];
  for (let o = 0, i = 0; o < keys.length; o += width, i++) {
    for (let j = 0; j < width; j++) out.push(j === provider ? (keys[o + j] ?? 0) : keys[o + j]!);
    out.push(cells.counts[i]!);
  }
  return out;
}

/** Opens a transaction for a group of batches (BatchWriter.group). */
function openGroup(db: Db, w: Writers): BatchGroup {
  const { s, ids, rows } = w;
  s.begin.run();
  const idsBefore = ids.mark();
  // Rollup rows of the batches counted on the reading side, and one counter for those left to this side:
  // a cell shared by several batches becomes one row. Its minute rows start where the first batch's did
  // (the batches of a group are read within a second or so of each other).
  const given: PackedBatch[] = [];
  const counter = createRollupCounter();
  // Delivery delays by hour, host, domain and provider, written with the rollups.
  const delays = createDelayCounter();
  let minuteFrom = Infinity;
  let batches = 0;
  let open = true;
  const rollbackAll = () => {
    open = false;
    ids.restore(idsBefore);
    rows.forget();
    if (db.inTransaction) s.rollback.run();
  };
  return {
    add(p) {
      if (!open) throw new Error('batch group already closed');
      try {
        const firstId = writeRows(w, p);
        delays.add(p.attempts);
        // Rows counted by the reading thread, or counted here when it left them (PackedBatch.countRollupsFrom).
        if (p.countRollupsFrom === null) given.push(p);
        else {
          countRollupsInto(counter, p);
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
        for (const r of lists) s.rollupMinute.all(rows.encode(r.minute, ROLLUP_LAYOUT));
        for (const r of lists) s.rollupHour.all(rows.encode(r.hour, ROLLUP_LAYOUT));
        for (const r of lists) s.rollupDay.all(rows.encode(r.day, ROLLUP_LAYOUT));
        s.delayHours.all(delayRows(rows, delays.rows()));
        s.commit.run();
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
}

export function createBatchWriter(db: Db, options: { cacheKiB?: number } = {}): BatchWriter {
  db.pragma(`cache_size = -${options.cacheKiB ?? WRITER_CACHE_KIB}`);
  const writers: Writers = {
    s: prepareWriteStatements(db),
    triage: createTriageWriter(db),
    ids: createLifeIds(),
    rows: createRowEncoder(db),
    blocks: createTimeBlockWriter(db),
  };
  const group = () => openGroup(db, writers);
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
