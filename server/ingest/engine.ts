/** The ingest engine: import files and streams, follow live logs or journald, all into the store's writer. */

import { classify as classifyReply } from '../../classify/index.js';
import type { BulkPhase, StoreWriter } from '../../db/store/writer.js';
import { parseLine } from '../../parsers/index.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import { createCorrelator, type Correlator } from './correlate.js';
import type { LogLoss } from '../../db/store/fleet.js';
import { followFiles, type Follower } from './follow.js';
import { importFiles, importStream, type ImportFileResult, type ImportProgress } from './import.js';
import { restartSpan, snapshotSummary, summaryDelta, type IngestSummary } from './ingest-summary.js';
import { followJournal } from './journal.js';
import { createPipeline, type ParseFn, type Pipeline } from './pipeline.js';
import type { ClassifyFn } from './record-stage.js';

export interface IngestDeps {
  /** Where the batches go: the only way ingest reaches the database. */
  store: StoreWriter;
  log: Logger;
  bus: EventBus;
  now?: () => number;
  /** Replaceable for tests; default: the parsers and the classifier. */
  parse?: ParseFn;
  classify?: ClassifyFn;
  /** The host this ingest reads for (--host-id), named in what it reports of itself. */
  hostId?: string | null;
  /** Content filters on other hosts (the config's internalRelays): a hand-over to one that queues again is a hop. */
  internalRelays?: readonly string[];
}

interface FollowOptions {
  fromEnd?: boolean;
  signal?: AbortSignal;
  /** Follow journald instead of files. */
  journal?: boolean;
  /** Prune raw rows older than this many days, at start and hourly. */
  retainDays?: number;
  pollMs?: number;
  rotationGraceMs?: number;
  /** journalctl executable (tests). */
  journalctl?: string;
}

export interface FollowHandle extends Follower {
  readonly summary: IngestSummary;
}

/** The steps of a bulk import after its last line is read (Ingest.ingestFiles). */
export type ImportPhase = BulkPhase;

export interface Ingest {
  ingestFiles(
    paths: readonly string[],
    options?: {
      year?: number;
      onProgress?: (p: ImportProgress) => void;
      /**
       * What a bulk import does once every line is read: `writing` while the writer thread finishes the batches
       * it was handed, `indexing` while the indexes set aside are built (a good part of a large import's time).
       */
      onPhase?: (phase: ImportPhase) => void;
      signal?: AbortSignal;
    },
  ): Promise<IngestSummary & { files: ImportFileResult[] }>;
  ingestStream(
    stream: NodeJS.ReadableStream,
    options?: { name?: string; year?: number; signal?: AbortSignal },
  ): Promise<IngestSummary>;
  follow(paths: readonly string[], options?: FollowOptions): FollowHandle;
  /** Cumulative counts of everything this engine read. */
  readonly summary: IngestSummary;
}

const HOUR = 3_600_000;
/** How often an agent tells a fleet's store how far behind its logs it is. */
const STATUS_MS = 5_000;
/** How often a fleet's agent looks for its deliveries that were hand-overs to another host, and how far back. */
const HANDOVER_MS = 60_000;
const HANDOVER_WINDOW_MS = 6 * HOUR;
/** How often ingest reports its counters in the log while following. */
const REPORT_MS = 60_000;
/** Open lives taken up again at start, newest first. */
const OPEN_LIVES_RESUMED = 100_000;

/** What the engine's parts share. */
interface Engine {
  store: StoreWriter;
  bus: EventBus;
  log: Logger;
  now: () => number;
  pipeline: Pipeline;
  correlator: Correlator;
  hostId: string | null;
}

/** Prepares the store and takes up the lives it has open: once, before the first line is read. */
async function prepareStore(e: Engine): Promise<void> {
  const { indexesRebuilt } = await e.store.prepare();
  if (indexesRebuilt > 0) {
    e.log.warn({ indexes: indexesRebuilt }, 'rebuilt indexes left out by an interrupted bulk import');
  }
  e.correlator.resume(await e.store.openLives(OPEN_LIVES_RESUMED));
}

/** A follower started once `before` resolved (stopped before that, it never starts). */
function startAfter(before: Promise<void>, start: () => Follower): Follower {
  let stopped = false;
  const follower = before.then(() => (stopped ? null : start()));
  return {
    ready: follower.then((f) => f?.ready),
    done: follower.then((f) => f?.done),
    async stop() {
      stopped = true;
      await (await follower.catch(() => null))?.stop();
    },
  };
}

/**
 * What a follower does after each round: tell the bus it is alive (health reads it even when the log is quiet),
 * prune old rows hourly when asked to, and log its counters every minute.
 */
function roundDuties(
  e: Engine,
  retainDays: number | undefined,
  counters: () => IngestSummary,
  unread: () => Promise<number>,
): (failure?: Error | null) => void {
  let lastPrune = 0;
  let lastReport = e.now();
  let lastStatus = -Infinity;
  let newestLineTs: number | null = null;
  let lastHandovers = e.now();
  if (e.store.reportStatus || e.store.markHandovers) {
    e.bus.onBatch((b) => {
      if (b.newestTs !== null && (newestLineTs === null || b.newestTs > newestLineTs))
        newestLineTs = b.newestTs;
    });
  }
  return (failure) => {
    const markHandovers = e.store.markHandovers?.bind(e.store);
    if (markHandovers && newestLineTs !== null && e.now() - lastHandovers >= HANDOVER_MS) {
      lastHandovers = e.now();
      // By the log's time: the next host's life may be written a little later than this host's hand-over.
      markHandovers(newestLineTs - HANDOVER_WINDOW_MS).catch((err: unknown) => {
        e.log.error({ err: (err as Error).message }, 'could not look for hand-overs to other hosts');
      });
    }
    const reportStatus = e.store.reportStatus?.bind(e.store);
    if (reportStatus && e.now() - lastStatus >= STATUS_MS) {
      lastStatus = e.now();
      void unread()
        .then((lagBytes) => reportStatus({ lagBytes, newestLineTs }))
        .catch(() => undefined);
    }
    if (failure) e.bus.emitIngestFailure(failure.message);
    else e.bus.emitHeartbeat();
    const t = e.now();
    if (retainDays !== undefined && t - lastPrune >= HOUR) {
      lastPrune = t;
      e.store.prune(t, retainDays).then(
        (pruned) => e.log.info({ retainDays, ...pruned }, 'retention: pruned old rows'),
        (err: unknown) =>
          e.log.error({ err: (err as Error).message }, 'retention failed; tried again in an hour'),
      );
    }
    if (t - lastReport >= REPORT_MS) {
      lastReport = t;
      e.log.info({ ...counters(), openMessages: e.correlator.size() }, 'ingest counters');
    }
  };
}

/** Follows journald, or the files, with the round duties. */
function startFollower(
  e: Engine,
  paths: readonly string[],
  options: FollowOptions,
  onRound: (failure?: Error | null) => void,
): Follower {
  const common = {
    pipeline: e.pipeline,
    store: e.store.checkpoints,
    log: e.log,
    now: e.now,
    onLoss: (loss: Omit<LogLoss, 'host'>) => {
      e.bus.emitLogLoss({ ...loss, host: e.hostId ?? 'this server' });
      e.store.recordLoss?.(loss).catch((err: unknown) => {
        e.log.error({ err: (err as Error).message }, 'could not store the log loss');
      });
    },
  };
  if (options.journal) {
    onRound();
    const timer = setInterval(() => onRound(), 1000);
    const journal = followJournal(common, {
      ...(options.fromEnd !== undefined ? { fromEnd: options.fromEnd } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.journalctl ? { command: options.journalctl } : {}),
    });
    void journal.done.finally(() => clearInterval(timer)).catch(() => undefined);
    return journal;
  }
  return followFiles(paths, common, {
    ...(options.fromEnd !== undefined ? { fromEnd: options.fromEnd } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.rotationGraceMs !== undefined ? { rotationGraceMs: options.rotationGraceMs } : {}),
    onRound,
  });
}

/**
 * Imports files; a large import into a store with few rows is a bulk import (StoreWriter.beginBulk), ended
 * whether the import succeeded or not.
 */
async function importInBulk(
  e: Engine,
  paths: readonly string[],
  options: NonNullable<Parameters<Ingest['ingestFiles']>[1]>,
): Promise<ImportFileResult[]> {
  const { store, log, now } = e;
  const signal = options.signal;
  const beforeRead = async (bytes: number) => {
    const bulk = await store.beginBulk(bytes);
    if (bulk)
      log.info({ indexes: bulk.indexesDeferred, bytes }, 'bulk import: indexes are built once at the end');
  };
  try {
    return await importFiles(
      paths,
      { pipeline: e.pipeline, store: store.checkpoints, log, now },
      {
        ...(options.year !== undefined ? { year: options.year } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        shouldStop: () => signal?.aborted ?? false,
        ...(signal ? { signal } : {}),
        beforeRead,
      },
    );
  } finally {
    const t = now();
    const ended = await store.endBulk(options.onPhase);
    if (ended && ended.indexesBuilt > 0) {
      log.info({ indexes: ended.indexesBuilt, seconds: (now() - t) / 1000 }, 'bulk import: indexes built');
    }
  }
}

export function createIngest(deps: IngestDeps): Ingest {
  const { store, bus } = deps;
  const log = deps.log.child({ component: 'ingest' });
  const now = deps.now ?? Date.now;
  const correlator = createCorrelator({});
  const pipeline = createPipeline({
    store,
    bus,
    correlator,
    parse: deps.parse ?? parseLine,
    classify: deps.classify ?? classifyReply,
    now,
    internalRelays: deps.internalRelays ?? [],
  });
  const e: Engine = { store, bus, log, now, pipeline, correlator, hostId: deps.hostId ?? null };
  // Every way in waits for the store's answers (schema, open lives) before reading a line.
  const prepared = prepareStore(e);
  // Told by whichever call awaits it; this keeps a failure from going unhandled when none does.
  prepared.catch(() => undefined);
  const started = now();
  const snapshot = (since: number) => snapshotSummary(pipeline.summary, since, now());

  return {
    get summary() {
      return snapshot(started);
    },

    async ingestFiles(paths, options = {}) {
      await prepared;
      restartSpan(pipeline.summary);
      const t0 = now();
      const before = snapshot(t0);
      const files = await importInBulk(e, paths, options);
      // History of a fleet's host: its hand-overs to hosts whose lives are stored already become hops.
      const handovers = await store.markHandovers?.(0);
      if (handovers) log.info({ handovers }, 'deliveries to other hosts of the fleet counted as hops');
      return { ...summaryDelta(before, snapshot(t0)), files };
    },

    async ingestStream(stream, options = {}) {
      await prepared;
      restartSpan(pipeline.summary);
      const t0 = now();
      const before = snapshot(t0);
      log.info({ name: options.name ?? 'stdin' }, 'reading stream');
      await importStream(
        stream,
        { pipeline, now },
        {
          ...(options.year !== undefined ? { year: options.year } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      return summaryDelta(before, snapshot(t0));
    },

    follow(paths, options = {}) {
      const t0 = now();
      let unread: () => Promise<number> = () => Promise.resolve(0);
      const onRound = roundDuties(
        e,
        options.retainDays,
        () => snapshot(t0),
        () => unread(),
      );
      const follower = startAfter(prepared, () => {
        const f = startFollower(e, paths, options, onRound);
        if (f.unreadBytes) unread = f.unreadBytes;
        return f;
      });
      return {
        ready: follower.ready,
        done: follower.done,
        stop: follower.stop,
        get summary() {
          return snapshot(t0);
        },
      };
    },
  };
}
