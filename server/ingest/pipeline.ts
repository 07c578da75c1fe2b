/** The per-line stages after splitting: parse -> correlate -> classify -> batch, and the flush to the writer. */

import type { Classification, ClassifyInput } from '../../classify/types.js';
import type { SourceCheckpoint } from '../../db/store/checkpoints.js';
import type { AttemptRow, RejectRow } from '../../db/store/stored-rows.js';
import type { MessageRow } from '../../db/store/stored-rows.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../../db/sqlite/rollup-horizon.js';
import { createPlaceholders, packBatch, settleLives } from '../../db/sqlite/write/pack-batch.js';
import { type CountedSample } from '../../db/store/batch.js';
import type { BatchWriter } from '../../db/sqlite/write/batch-writer.js';
import type { WriterThread } from '../../db/sqlite/write/writer-thread.js';
import type {
  DeliveryRecord,
  MessageRecord,
  ParseContext,
  ParsedRecord,
  RejectRecord,
} from '../../parsers/types.js';
import type { EventBus } from '../events.js';
import { domainOf, type Correlator, type ExpiredRecipient } from './correlate.js';
import {
  attemptRow,
  deliveryInput,
  expiredInput,
  expiredRow,
  rejectInput,
  rejectRow,
  waitingInput,
} from './records-to-rows.js';
import { createUnparsedSampler } from './unparsed.js';

export type ParseFn = (line: string, ctx: ParseContext) => ParsedRecord;
export type ClassifyFn = (input: ClassifyInput) => Classification;

/** Cumulative counts of one ingest run. */
export interface IngestSummary {
  linesRead: number;
  recorded: { delivery: number; reject: number; message: number; notification: number };
  ignored: number;
  unparsed: number;
  foreign: number;
  /** Wall time of the run so far. */
  seconds: number;
}

export function emptySummary(): IngestSummary {
  return {
    linesRead: 0,
    recorded: { delivery: 0, reject: 0, message: 0, notification: 0 },
    ignored: 0,
    unparsed: 0,
    foreign: 0,
    seconds: 0,
  };
}

export interface Pipeline {
  /** Where the next lines come from: the reference time for yearless timestamps. */
  setContext: (ctx: ParseContext) => void;
  /** One line (no newline). The hot path: no I/O, no logging, no promise. */
  line: (text: string) => void;
  /** Lines taken since the last flush. */
  pending: () => number;
  /** Enough lines are pending for one batch (smaller batches through a writer thread: less memory held). */
  full: () => boolean;
  /**
   * Writes everything pending (and the checkpoint) in one transaction, then tells the bus. With a writer
   * thread the batch is only queued: call `settle` before reading on.
   */
  flush: (checkpoint: SourceCheckpoint | null) => void;
  /** Writes through a writer thread from now on (bulk import), or on this thread again (null). */
  useThread: (thread: WriterThread | null) => void;
  /** With a writer thread, waits until at most THREAD_QUEUE_BATCHES batches are queued; rejects if a write failed. */
  settle: () => Promise<void>;
  readonly summary: IngestSummary;
}

export interface PipelineDeps {
  /** Writes a batch on this thread (a bulk import hands batches to a writer thread instead: useThread). */
  writer: Pick<BatchWriter, 'write'>;
  bus: EventBus;
  correlator: Correlator;
  parse: ParseFn;
  classify: ClassifyFn;
  now: () => number;
}

/** Line counters, kept in a numeric array on the hot path and turned into line_stats rows at each flush. */
export const STAT_NAMES = [
  'read',
  'delivery',
  'reject',
  'message',
  'notification',
  'ignored',
  'unparsed',
  'foreign',
  'warning',
  'error',
  'fatal',
  'panic',
  'expired-messages',
] as const;
type StatName = (typeof STAT_NAMES)[number];
const STAT_INDEX = Object.fromEntries(STAT_NAMES.map((n, i) => [n, i])) as Record<StatName, number>;
const [READ, DELIVERY, REJECT, MESSAGE, NOTIFICATION, IGNORED, UNPARSED, FOREIGN] = [
  0, 1, 2, 3, 4, 5, 6, 7,
] as const;

const EVICT_EVERY = 100_000;

/** Lines per batch (one transaction each) while reading history on this thread. */
export const BATCH_LINES = 16_384;
/**
 * Lines per batch through a writer thread. Fullness is checked after each read chunk (256 KiB), so in
 * practice a batch is one chunk (about 1,600 Exim or 2,000 Postfix lines): a batch's rows live until it is
 * handed over, and those of a large batch outlive young-generation collections and cost copying to the old
 * generation, more than the writer thread loses on smaller transactions.
 */
export const THREAD_BATCH_LINES = 1024;
/**
 * Characters of log text per batch at most (one transaction; long lines make for few lines per batch). Through
 * the writer thread this bounds what the thread holds well inside its heap cap, whatever the lines.
 */
export const BATCH_CHARS = 4 * 1024 * 1024;
export const THREAD_BATCH_CHARS = 256 * 1024;
/**
 * Batches the reading thread leaves queued for the writer thread before it waits. A group's commit (its
 * rollup rows and the WAL) makes the writer's pace uneven, and a deeper queue lets the reading thread read
 * on through it, for a few MiB more memory.
 */
export const THREAD_QUEUE_BATCHES = 3;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { writer, bus, correlator, parse, classify, now } = deps;
  const summary = emptySummary();
  const sampler = createUnparsedSampler();
  let ctx: ParseContext = { referenceMs: now(), brief: true };
  let attempts: AttemptRow[] = [];
  let rejects: RejectRow[] = [];
  const stats = new Float64Array(STAT_NAMES.length);
  let pendingLines = 0;
  let pendingChars = 0;
  let pendingUnparsed = 0;
  let newestTs: number | null = null;
  let lastTs = 0;
  let sinceEvict = 0;
  let thread: WriterThread | null = null;
  const placeholders = createPlaceholders();
  let failed: {
    messages: MessageRow[];
    samples: CountedSample[];
    counts: Map<string, number>;
  } | null = null;

  const inc = (i: number) => {
    stats[i] = stats[i]! + 1;
  };
  const count = (name: StatName) => inc(STAT_INDEX[name]);

  const tsOf = (tsMs: number | null): number => {
    if (tsMs !== null) {
      lastTs = tsMs;
      if (newestTs === null || tsMs > newestTs) newestTs = tsMs;
      return tsMs;
    }
    return lastTs || now();
  };

  const delivery = (rec: DeliveryRecord) => {
    const ts = tsOf(rec.tsMs);
    const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
    // An Exim retry wait takes the cause of the deferral it waits on (network, greylisted ...) rather than
    // 'unclassified'; its own reply fields stay empty, as its line has none.
    const waitedOn = correlator.recordAttempt(life, rec);
    const c = waitedOn
      ? { ...classify(waitingInput(rec, waitedOn)), replyCode: null, enhancedStatus: null }
      : classify(deliveryInput(rec));
    attempts.push(attemptRow(rec, ts, life.row, c));
  };

  const reject = (rec: RejectRecord) => {
    rejects.push(rejectRow(rec, tsOf(rec.tsMs), classify(rejectInput(rec))));
  };

  /** One `expired` attempt per recipient still undelivered, carrying its last deferral; one empty one if none is known. */
  const expired = (rec: MessageRecord, ts: number, left: ExpiredRecipient[]) => {
    count('expired-messages');
    const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
    const targets: ExpiredRecipient[] = left.length > 0 ? left : [{ recipient: '', deferral: null }];
    for (const t of targets) {
      const recipientDomain = domainOf(t.recipient) ?? '';
      const c = classify(expiredInput(t.deferral, recipientDomain));
      attempts.push(expiredRow(rec, ts, t, recipientDomain, life.row, c));
    }
  };

  const record = (rec: ParsedRecord) => {
    switch (rec.kind) {
      case 'delivery':
        summary.recorded.delivery++;
        inc(DELIVERY);
        delivery(rec);
        return;
      case 'reject':
        summary.recorded.reject++;
        inc(REJECT);
        reject(rec);
        return;
      case 'message': {
        summary.recorded.message++;
        inc(MESSAGE);
        const ts = tsOf(rec.tsMs);
        const left = correlator.message(rec, ts);
        if (left !== null) expired(rec, ts, left);
        return;
      }
      case 'notification':
        summary.recorded.notification++;
        inc(NOTIFICATION);
        correlator.notification(rec, tsOf(rec.tsMs));
        return;
      case 'ignored':
        summary.ignored++;
        inc(IGNORED);
        if (rec.severity !== 'info') count(rec.severity);
        return;
      case 'unparsed':
        summary.unparsed++;
        pendingUnparsed++;
        inc(UNPARSED);
        sampler.add(rec.program ?? rec.mta ?? 'unknown', rec.reason, rec.line, rec.tsMs);
        return;
      case 'foreign':
        summary.foreign++;
        inc(FOREIGN);
        return;
    }
  };

  return {
    summary,
    setContext(next) {
      // Ignored lines are only counted here: the parser can skip reading their parties and replies.
      ctx = { ...next, brief: true };
    },
    line(text) {
      summary.linesRead++;
      pendingLines++;
      pendingChars += text.length;
      inc(READ);
      if (text.length === 0) return;
      record(parse(text, ctx));
      if (++sinceEvict >= EVICT_EVERY) {
        sinceEvict = 0;
        if (newestTs !== null) correlator.evict(newestTs);
      }
    },
    pending: () => pendingLines,
    full: () =>
      thread
        ? pendingLines >= THREAD_BATCH_LINES || pendingChars >= THREAD_BATCH_CHARS
        : pendingLines >= BATCH_LINES || pendingChars >= BATCH_CHARS,
    flush(checkpoint) {
      const dirty = correlator.takeDirty();
      const taken = sampler.take();
      // What a failed write (busy database, full disk) took out of the correlator and sampler is kept for the next.
      const messages = failed ? failed.messages.concat(dirty) : dirty;
      const samples = failed ? failed.samples.concat(taken.samples) : taken.samples;
      const counts = taken.counts;
      if (failed) for (const [k, v] of failed.counts) counts.set(k, (counts.get(k) ?? 0) + v);
      const lineStats = new Map<string, number>();
      for (let i = 0; i < STAT_NAMES.length; i++) {
        if (stats[i]! > 0) lineStats.set(STAT_NAMES[i]!, stats[i]!);
      }
      const batch = {
        attempts,
        rejects,
        unparsedCounts: counts,
        unparsedSamples: samples,
        lineStats,
        checkpoint,
        messages,
        minuteFrom: now() - MINUTE_ROLLUPS_KEPT_MS,
      };
      const stored = { attempts, rejects, linesRead: pendingLines, unparsed: pendingUnparsed, newestTs };
      const reset = () => {
        stats.fill(0);
        attempts = [];
        rejects = [];
        pendingLines = 0;
        pendingChars = 0;
        pendingUnparsed = 0;
      };
      if (thread) {
        // Packed here, written there: this thread goes on parsing while the batch is written. Rows kept until
        // then outlive a few young-generation collections; with no listener (an `ingest` run) they are let go
        // now, which saves memory and collector time.
        // Rollup cells are left to the writer thread: it sums them over the batches of one transaction (see
        // BatchWriter.group).
        const { packed, newLives } = packBatch(batch, placeholders, { countRollups: false });
        // Lives take their ids once the rows are written; listeners hear of the batch once it is committed.
        const announce = bus.hasBatchListeners() ? stored : null;
        thread.submit(
          packed,
          (firstId) => settleLives(newLives, firstId),
          announce ? () => bus.emitBatch(announce) : undefined,
        );
        reset();
        return;
      }
      try {
        writer.write(batch);
      } catch (err) {
        failed = { messages, samples, counts };
        throw err;
      }
      failed = null;
      reset();
      bus.emitBatch(stored);
    },
    useThread(next) {
      thread = next;
    },
    settle: () => (thread ? thread.waitUntil(THREAD_QUEUE_BATCHES) : Promise.resolve()),
  };
}
