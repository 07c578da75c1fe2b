/** The ingest engine: import files and streams, follow live logs or journald, all into one database writer. */

import { classify as classifyReply } from '../../classify/index.js';
import type { BulkPhase, StoreWriter } from '../../db/store/writer.js';
import { parseLine } from '../../parsers/index.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import { createCorrelator } from './correlate.js';
import { followFiles, type Follower } from './follow.js';
import { importFiles, importStream, type ImportFileResult, type ImportProgress } from './import.js';
import { followJournal } from './journal.js';
import { createPipeline, type ClassifyFn, type IngestSummary, type ParseFn } from './pipeline.js';

export interface IngestDeps {
  /** Where the batches go: the only way ingest reaches the database. */
  store: StoreWriter;
  log: Logger;
  bus: EventBus;
  now?: () => number;
  /** Replaceable for tests; default: the parsers and the classifier. */
  parse?: ParseFn;
  classify?: ClassifyFn;
}

export interface FollowOptions {
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
    options?: { name?: string; year?: number },
  ): Promise<IngestSummary>;
  follow(paths: readonly string[], options?: FollowOptions): FollowHandle;
  /** Cumulative counts of everything this engine read. */
  readonly summary: IngestSummary;
}

const HOUR = 3_600_000;
/** How often ingest reports its counters in the log while following. */
const REPORT_MS = 60_000;
/** Open lives taken up again at start, newest first. */
const OPEN_LIVES_RESUMED = 100_000;

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
  });
  // The store answers the schema and the open lives once; every way in waits for that before reading a line.
  const prepared = (async () => {
    const { indexesRebuilt } = await store.prepare();
    if (indexesRebuilt > 0) {
      log.warn({ indexes: indexesRebuilt }, 'rebuilt indexes left out by an interrupted bulk import');
    }
    correlator.resume(await store.openLives(OPEN_LIVES_RESUMED));
  })();
  // Told by whichever call awaits it; this keeps a failure from going unhandled when none does.
  prepared.catch(() => undefined);
  const summary = pipeline.summary;
  const started = now();
  const snapshot = (since: number): IngestSummary => ({
    ...summary,
    recorded: { ...summary.recorded },
    seconds: (now() - since) / 1000,
  });
  const delta = (before: IngestSummary, since: number): IngestSummary => {
    const s = snapshot(since);
    return {
      linesRead: s.linesRead - before.linesRead,
      recorded: {
        delivery: s.recorded.delivery - before.recorded.delivery,
        reject: s.recorded.reject - before.recorded.reject,
        message: s.recorded.message - before.recorded.message,
        notification: s.recorded.notification - before.recorded.notification,
      },
      ignored: s.ignored - before.ignored,
      unparsed: s.unparsed - before.unparsed,
      foreign: s.foreign - before.foreign,
      seconds: s.seconds,
    };
  };
  const checkpoints = store.checkpoints;

  return {
    get summary() {
      return snapshot(started);
    },

    async ingestFiles(paths, options = {}) {
      await prepared;
      const t0 = now();
      const before = snapshot(t0);
      const signal = options.signal;
      const beforeRead = async (bytes: number) => {
        const bulk = await store.beginBulk(bytes);
        if (bulk)
          log.info(
            { indexes: bulk.indexesDeferred, bytes },
            'bulk import: indexes are built once at the end',
          );
      };
      let files: ImportFileResult[];
      try {
        files = await importFiles(
          paths,
          { pipeline, store: checkpoints, log, now },
          {
            ...(options.year !== undefined ? { year: options.year } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            shouldStop: () => signal?.aborted ?? false,
            beforeRead,
          },
        );
      } finally {
        const t = now();
        const ended = await store.endBulk(options.onPhase);
        if (ended && ended.indexesBuilt > 0) {
          log.info(
            { indexes: ended.indexesBuilt, seconds: (now() - t) / 1000 },
            'bulk import: indexes built',
          );
        }
      }
      return { ...delta(before, t0), files };
    },

    async ingestStream(stream, options = {}) {
      await prepared;
      const t0 = now();
      const before = snapshot(t0);
      log.info({ name: options.name ?? 'stdin' }, 'reading stream');
      await importStream(stream, { pipeline, now }, options.year !== undefined ? { year: options.year } : {});
      return delta(before, t0);
    },

    follow(paths, options = {}) {
      const t0 = now();
      const retainDays = options.retainDays;
      let lastPrune = 0;
      let lastReport = t0;
      const onRound = () => {
        // A finished round proves the follower alive even when the log is quiet (health reads it).
        bus.emitHeartbeat();
        const t = now();
        if (retainDays !== undefined && t - lastPrune >= HOUR) {
          lastPrune = t;
          store.prune(t, retainDays).then(
            (pruned) => log.info({ retainDays, ...pruned }, 'retention: pruned old rows'),
            (err: unknown) =>
              log.error({ err: (err as Error).message }, 'retention failed; tried again in an hour'),
          );
        }
        if (t - lastReport >= REPORT_MS) {
          lastReport = t;
          log.info({ ...snapshot(t0), openMessages: correlator.size() }, 'ingest counters');
        }
      };
      const common = { pipeline, store: checkpoints, log, now };
      const follower = startAfter(prepared, (): Follower => {
        if (options.journal) {
          onRound();
          const timer = setInterval(onRound, 1000);
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
