/** The per-line stages after splitting: parse -> correlate -> classify -> batch, and the hand-over to the store. */

import { mergeTriageFacts } from './triage-collector.js';
import type { Batch } from '../../db/store/batch.js';
import { ATTEMPT_HOP, ATTEMPT_WAIT, type AttemptRow } from '../../db/store/stored-rows.js';
import type { SourceCheckpoint } from '../../db/store/checkpoints.js';
import type { StoreWriter } from '../../db/store/writer.js';
import type { ParseContext, ParsedRecord } from '../../parsers/types.js';
import type { EventBus } from '../events.js';
import type { Correlator } from './correlate.js';
import { emptySummary, type IngestSummary } from './ingest-summary.js';
import { createLineCounters, READ } from './line-counters.js';
import { createRecordStage, type ClassifyFn } from './record-stage.js';
import { createUnparsedSampler } from './unparsed.js';
import { createForcedYear } from './forced-year.js';

export type ParseFn = (line: string, ctx: ParseContext) => ParsedRecord;

export interface Pipeline {
  /** Where the next lines come from: the reference time for yearless timestamps. */
  setContext: (ctx: ParseContext) => void;
  /** One line (no newline). The hot path: no I/O, no logging, no promise. */
  line: (text: string) => void;
  /** Lines taken since the last batch the store took. */
  pending: () => number;
  /** Enough lines are pending for one batch of the size the store takes best now (StoreWriter.batchLimits). */
  full: () => boolean;
  /** The most log text one batch holds (StoreWriter.batchLimits): a read need not take more at once. */
  batchChars: () => number;
  /**
   * Hands everything pending (and the checkpoint) to the store as one batch; the bus hears of it once it is
   * committed. Rejects when the store did not take it: its rows then go with the next batch.
   */
  flush: (checkpoint: SourceCheckpoint | null) => Promise<void>;
  /**
   * Hands the store again, alone and with its own checkpoint, what it did not take (full disk, busy database);
   * resolves at once when there is nothing. A follower calls it before reading on, so memory stays flat while
   * the store fails.
   */
  retry: () => Promise<void>;
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
  /** Content filters on other hosts, by name or IP (the config's internalRelays). */
  internalRelays?: readonly string[];
}

const isDelivery = (a: AttemptRow) => ((a.flags ?? 0) & (ATTEMPT_HOP | ATTEMPT_WAIT)) === 0;

/** Lines between two evictions of idle message lives. */
const EVICT_EVERY = 100_000;

/** A batch the store did not take, with its line counts: it goes with the next one. */
interface Carried {
  batch: Batch;
  linesRead: number;
  unparsed: number;
}

/** Puts the rows and counts of a batch that was not stored in front of those of the next one. */
function carryInto(next: Batch, earlier: Batch): void {
  next.attempts = earlier.attempts.concat(next.attempts);
  next.rejects = earlier.rejects.concat(next.rejects);
  next.messages = (earlier.messages ?? []).concat(next.messages ?? []);
  next.tallies = (earlier.tallies ?? []).concat(next.tallies ?? []);
  if (earlier.facts) {
    const f = next.facts ?? { domains: [], clients: [], authenticated: [] };
    // A fact twice is harmless: the store adds the counts of domain facts and keeps the first of the others.
    next.facts = {
      domains: earlier.facts.domains.concat(f.domains),
      clients: earlier.facts.clients.concat(f.clients),
      authenticated: earlier.facts.authenticated.concat(f.authenticated),
    };
  }
  next.unparsedSamples = earlier.unparsedSamples.concat(next.unparsedSamples);
  for (const [k, v] of earlier.unparsedCounts)
    next.unparsedCounts.set(k, (next.unparsedCounts.get(k) ?? 0) + v);
  for (const [k, v] of earlier.lineStats) next.lineStats.set(k, (next.lineStats.get(k) ?? 0) + v);
  if (earlier.triage) next.triage = mergeTriageFacts(earlier.triage, next.triage);
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { store, bus, correlator, parse, now } = deps;
  const summary = emptySummary();
  const counters = createLineCounters();
  const sampler = createUnparsedSampler();
  const records = createRecordStage({
    correlator,
    classify: deps.classify,
    now,
    summary,
    counters,
    sampler,
    internalRelays: deps.internalRelays ?? [],
  });
  let ctx: ParseContext = { referenceMs: now(), brief: true };
  const forcedYear = createForcedYear();
  let pendingLines = 0;
  let pendingChars = 0;
  let sinceEvict = 0;
  let carried: Carried | null = null;

  /** Everything pending as one batch (with what the store did not take before), and nothing pending after. */
  const takeBatch = (checkpoint: SourceCheckpoint | null): Carried => {
    const { attempts, rejects, tallies, facts, unparsed, triage } = records.take();
    const samples = sampler.take();
    const batch: Batch = {
      attempts,
      rejects,
      tallies,
      ...(facts ? { facts } : {}),
      unparsedCounts: samples.counts,
      unparsedSamples: samples.samples,
      lineStats: counters.take(),
      checkpoint,
      messages: correlator.takeDirty(),
      triage,
    };
    const taken = { batch, linesRead: pendingLines, unparsed };
    pendingLines = 0;
    pendingChars = 0;
    if (carried) {
      // What a failed write (busy database, full disk) did not store goes with this batch.
      carryInto(batch, carried.batch);
      taken.linesRead += carried.linesRead;
      taken.unparsed += carried.unparsed;
      carried = null;
    }
    return taken;
  };

  /** Hands one batch to the store; what it does not take is carried to the next. */
  const hand = (taken: Carried): Promise<void> => {
    const { batch } = taken;
    // Rows kept for listeners outlive a few young-generation collections: with none (an `ingest` run) they
    // are let go as soon as the store has them.
    const stored = {
      attempts: batch.attempts,
      rejects: batch.rejects,
      linesRead: taken.linesRead,
      unparsed: taken.unparsed,
      newestTs: records.newestTs(),
      ...(batch.triage ? { triage: batch.triage } : {}),
    };
    // Listeners (alerts, metrics) hear of deliveries only: hops and waits are not attempts.
    const announce = bus.hasBatchListeners()
      ? () => bus.emitBatch({ ...stored, attempts: stored.attempts.filter(isDelivery) })
      : undefined;
    return store.write(batch, announce).catch((err: unknown) => {
      carried = taken;
      throw err;
    });
  };

  return {
    summary,
    setContext(next) {
      // Ignored lines are only counted here: the parser can skip reading their parties and replies.
      ctx = forcedYear.context({ ...next, brief: true });
    },
    line(text) {
      summary.linesRead++;
      pendingLines++;
      pendingChars += text.length;
      counters.inc(READ);
      if (text.length === 0) return;
      const parsed = forcedYear.parse(parse, text, ctx);
      ctx = parsed.ctx;
      records.record(parsed.record);
      if (++sinceEvict >= EVICT_EVERY) {
        sinceEvict = 0;
        const newest = records.newestTs();
        if (newest !== null) correlator.evict(newest);
      }
    },
    pending: () => pendingLines + (carried?.linesRead ?? 0),
    full: () => {
      const limits = store.batchLimits;
      return pendingLines >= limits.lines || pendingChars >= limits.chars;
    },
    batchChars: () => store.batchLimits.chars,
    flush(checkpoint) {
      return hand(takeBatch(checkpoint));
    },
    retry() {
      if (!carried) return Promise.resolve();
      const taken = carried;
      carried = null;
      return hand(taken);
    },
    settle: () => store.ready(),
  };
}
