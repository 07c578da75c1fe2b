/** The ingest engine: import files and streams, follow live logs or journald, all into one database writer. */

import { classify as classifyReply } from '../../classify/index.js';
import { createIndexDeferral } from '../../db/sqlite/write/deferred-indexes.js';
import { createCheckpointStore } from '../../db/sqlite/write/checkpoints.js';
import { createMessageStore } from '../../db/sqlite/write/open-lives.js';
import type { Db } from '../../db/sqlite/open.js';
import { createRetention } from '../../db/sqlite/write/retention.js';
import { createBatchWriter } from '../../db/sqlite/write/batch-writer.js';
import { startWriterThread, type WriterThread } from '../../db/sqlite/write/writer-thread.js';
import { parseLine } from '../../parsers/index.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import { createCorrelator } from './correlate.js';
import { followFiles, type Follower } from './follow.js';
import { importFiles, importStream, type ImportFileResult, type ImportProgress } from './import.js';
import { followJournal } from './journal.js';
import { createPipeline, type ClassifyFn, type IngestSummary, type ParseFn } from './pipeline.js';

export interface IngestDeps {
  db: Db;
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
export type ImportPhase = 'writing' | 'indexing';

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
/** Imports of at least this much text (and more than the rows already stored) build indexes once at the end. */
const BULK_MIN_BYTES = 4 * 1024 * 1024;
const BYTES_PER_LINE = 130;
/** Attempts per line in a typical log, to compare an import with the rows already stored. */
const ATTEMPTS_PER_LINE = 0.2;
/** How often ingest reports its counters in the log while following. */
const REPORT_MS = 60_000;

export function createIngest(deps: IngestDeps): Ingest {
  const { db, bus } = deps;
  const log = deps.log.child({ component: 'ingest' });
  const now = deps.now ?? Date.now;
  const store = createCheckpointStore(db);
  const indexes = createIndexDeferral(db);
  const repaired = indexes.restore();
  if (repaired > 0) log.warn({ indexes: repaired }, 'rebuilt indexes left out by an interrupted bulk import');
  const messages = createMessageStore(db);
  const correlator = createCorrelator({ open: messages.openLives(100_000) });
  const pipeline = createPipeline({
    writer: createBatchWriter(db),
    bus,
    correlator,
    parse: deps.parse ?? parseLine,
    classify: deps.classify ?? classifyReply,
    now,
  });
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

  return {
    get summary() {
      return snapshot(started);
    },

    async ingestFiles(paths, options = {}) {
      const t0 = now();
      const before = snapshot(t0);
      const signal = options.signal;
      // What bulk mode changed, set by beforeRead (a callback) and undone after the import.
      const bulk: { indexes: number; thread: WriterThread | null } = { indexes: 0, thread: null };
      const beforeRead = (bytes: number) => {
        const newAttempts = (bytes / BYTES_PER_LINE) * ATTEMPTS_PER_LINE;
        if (bytes < BULK_MIN_BYTES || newAttempts < indexes.attemptRows()) return;
        bulk.indexes = indexes.defer();
        log.info({ indexes: bulk.indexes, bytes }, 'bulk import: indexes are built once at the end');
        // A bulk import writes on a second thread while this one parses (one connection each).
        bulk.thread = startWriterThread(db.name);
        pipeline.useThread(bulk.thread);
      };
      let files: ImportFileResult[];
      try {
        files = await importFiles(
          paths,
          { pipeline, store, log, now },
          {
            ...(options.year !== undefined ? { year: options.year } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            shouldStop: () => signal?.aborted ?? false,
            beforeRead,
          },
        );
      } finally {
        try {
          if (bulk.thread) {
            options.onPhase?.('writing');
            await bulk.thread.close();
          }
        } finally {
          pipeline.useThread(null);
          if (bulk.indexes > 0) {
            options.onPhase?.('indexing');
            const t = now();
            indexes.restore();
            log.info({ indexes: bulk.indexes, seconds: (now() - t) / 1000 }, 'bulk import: indexes built');
          }
        }
      }
      return { ...delta(before, t0), files };
    },

    async ingestStream(stream, options = {}) {
      const t0 = now();
      const before = snapshot(t0);
      log.info({ name: options.name ?? 'stdin' }, 'reading stream');
      await importStream(stream, { pipeline, now }, options.year !== undefined ? { year: options.year } : {});
      return delta(before, t0);
    },

    follow(paths, options = {}) {
      const t0 = now();
      const retainDays = options.retainDays;
      const retention = retainDays !== undefined ? createRetention(db) : null;
      let lastPrune = 0;
      let lastReport = t0;
      const onRound = () => {
        // A finished round proves the follower alive even when the log is quiet (health reads it).
        bus.emitHeartbeat();
        const t = now();
        if (retention && retainDays !== undefined && t - lastPrune >= HOUR) {
          lastPrune = t;
          const pruned = retention.prune(t, retainDays);
          log.info({ retainDays, ...pruned }, 'retention: pruned old rows');
        }
        if (t - lastReport >= REPORT_MS) {
          lastReport = t;
          log.info({ ...snapshot(t0), openMessages: correlator.size() }, 'ingest counters');
        }
      };
      const common = { pipeline, store, log, now };
      let follower: Follower;
      if (options.journal) {
        onRound();
        const timer = setInterval(onRound, 1000);
        follower = followJournal(common, {
          ...(options.fromEnd !== undefined ? { fromEnd: options.fromEnd } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.journalctl ? { command: options.journalctl } : {}),
        });
        void follower.done.finally(() => clearInterval(timer)).catch(() => undefined);
      } else {
        follower = followFiles(paths, common, {
          ...(options.fromEnd !== undefined ? { fromEnd: options.fromEnd } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
          ...(options.rotationGraceMs !== undefined ? { rotationGraceMs: options.rotationGraceMs } : {}),
          onRound,
        });
      }
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
