/** The per-line stages after splitting: parse -> correlate -> classify -> batch, and the flush to the writer. */

import type { Classification, ClassifyInput } from '../../classify/types.js';
import type { SourceCheckpoint } from '../../db/store/checkpoints.js';
import type { AttemptRow, RejectRow } from '../../db/store/stored-rows.js';
import type { Batch } from '../../db/store/batch.js';
import type { StoreWriter } from '../../db/store/writer.js';
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
  /** Enough lines are pending for one batch of the size the store takes best now (StoreWriter.batchLimits). */
  full: () => boolean;
  /**
   * Hands everything pending (and the checkpoint) to the store as one batch; the bus hears of it once it is
   * committed. Rejects when the store did not take it: its rows then go with the next batch.
   */
  flush: (checkpoint: SourceCheckpoint | null) => Promise<void>;
  /** Waits while the store holds batches it has not written (StoreWriter.ready); rejects if a write failed. */
  settle: () => Promise<void>;
  readonly summary: IngestSummary;
}

export interface PipelineDeps {
  store: Pick<StoreWriter, 'write' | 'ready' | 'batchLimits'>;
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
  'note',
  'probe',
  'debug',
  'discarded',
  'wait',
  'hop',
] as const;
type StatName = (typeof STAT_NAMES)[number];
const STAT_INDEX = Object.fromEntries(STAT_NAMES.map((n, i) => [n, i])) as Record<StatName, number>;
const [READ, DELIVERY, REJECT, MESSAGE, NOTIFICATION, IGNORED, UNPARSED, FOREIGN] = [
  0, 1, 2, 3, 4, 5, 6, 7,
] as const;

const EVICT_EVERY = 100_000;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { store, bus, correlator, parse, classify, now } = deps;
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
  /** A batch the store did not take, with its line counts: it goes with the next one. */
  let failed: { batch: Batch; linesRead: number; unparsed: number } | null = null;

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
        // Discards are counted apart, never attempts. Waits and hops stay stored as the deferrals and sends they
        // were until correlation learns them (waits take the cause of the deferral they wait on).
        if (rec.outcome === 'discarded') {
          summary.ignored++;
          count('discarded');
          return;
        }
        summary.recorded.delivery++;
        inc(DELIVERY);
        if (rec.outcome === 'wait') {
          count('wait');
          delivery({ ...rec, outcome: 'deferred' });
          return;
        }
        if (rec.flow === 'hop') count('hop');
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
      case 'note':
      case 'probe':
      case 'debug':
        summary.ignored++;
        count(rec.kind);
        return;
      case 'warning':
        summary.ignored++;
        inc(IGNORED);
        count(rec.severity);
        return;
      case 'ignored':
        summary.ignored++;
        inc(IGNORED);
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
    pending: () => pendingLines + (failed?.linesRead ?? 0),
    full: () => {
      const limits = store.batchLimits;
      return pendingLines >= limits.lines || pendingChars >= limits.chars;
    },
    flush(checkpoint) {
      const taken = sampler.take();
      const lineStats = new Map<string, number>();
      for (let i = 0; i < STAT_NAMES.length; i++) {
        if (stats[i]! > 0) lineStats.set(STAT_NAMES[i]!, stats[i]!);
      }
      const batch: Batch = {
        attempts,
        rejects,
        unparsedCounts: taken.counts,
        unparsedSamples: taken.samples,
        lineStats,
        checkpoint,
        messages: correlator.takeDirty(),
      };
      let linesRead = pendingLines;
      let unparsed = pendingUnparsed;
      if (failed) {
        // What a failed write (busy database, full disk) did not store goes with this batch.
        mergeInto(batch, failed.batch);
        linesRead += failed.linesRead;
        unparsed += failed.unparsed;
        failed = null;
      }
      stats.fill(0);
      attempts = [];
      rejects = [];
      pendingLines = 0;
      pendingChars = 0;
      pendingUnparsed = 0;
      // Rows kept for listeners outlive a few young-generation collections: with none (an `ingest` run) they
      // are let go as soon as the store has them.
      const stored = { attempts: batch.attempts, rejects: batch.rejects, linesRead, unparsed, newestTs };
      const announce = bus.hasBatchListeners() ? () => bus.emitBatch(stored) : undefined;
      return store.write(batch, announce).catch((err: unknown) => {
        failed = { batch, linesRead, unparsed };
        throw err;
      });
    },
    settle: () => store.ready(),
  };
}

/** Puts the rows and counts of a batch that was not stored in front of those of the next one. */
function mergeInto(next: Batch, earlier: Batch): void {
  next.attempts = earlier.attempts.concat(next.attempts);
  next.rejects = earlier.rejects.concat(next.rejects);
  next.messages = (earlier.messages ?? []).concat(next.messages ?? []);
  next.unparsedSamples = earlier.unparsedSamples.concat(next.unparsedSamples);
  for (const [k, v] of earlier.unparsedCounts)
    next.unparsedCounts.set(k, (next.unparsedCounts.get(k) ?? 0) + v);
  for (const [k, v] of earlier.lineStats) next.lineStats.set(k, (next.lineStats.get(k) ?? 0) + v);
}
