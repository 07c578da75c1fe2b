/**
 * `run`'s ingest on a thread of its own: reading, parsing, correlating and the store's writes happen there, so a
 * burst of lines never holds the thread that serves the dashboard and /healthz. The thread tells this one what
 * its event bus hears (batches, heartbeats, failed rounds, lost log text), so live views, alerts, metrics and
 * health listen here as they would to an ingest on this thread. This process keeps the writer lock.
 */

import { fileURLToPath } from 'node:url';
import { backgroundWorker } from '../../db/sqlite/thread-priority.js';
import type { LogLoss } from '../../db/store/fleet.js';
import type { EventBus, StoredBatch } from '../events.js';
import type { IngestSummary } from '../ingest/ingest-summary.js';
import type { LogFormat, Logger } from '../log.js';
import { CliError } from './args.js';
import type { StoreLocation } from './store.js';

/** What the thread is started with: everything a structured clone carries. */
export interface IngestThreadData {
  location: StoreLocation;
  hostId: string | null;
  paths: string[];
  fromEnd: boolean;
  retainDays: number | undefined;
  internalRelays: string[];
  logLevel: string;
  logFormat: LogFormat;
  /** Whether this process's stderr is a terminal (the thread's own stderr says it is not). */
  tty: boolean;
}

/** From the serving thread: stop, writing the last batch and the position. */
type IngestThreadRequest = { type: 'stop' };

export type IngestThreadReply =
  /** The store is open for writing: following starts. */
  | { type: 'opened' }
  /** The store could not be opened for writing; `refusal` when it is said to the user as is (a CliError). */
  | { type: 'failed'; message: string; refusal: boolean }
  | { type: 'batch'; batch: StoredBatch }
  | { type: 'heartbeat' }
  | { type: 'ingest-failure'; message: string }
  | { type: 'log-loss'; loss: LogLoss }
  /** A committed batch reached back to `from`: the serving thread's memoised sums from then on are stale. */
  | { type: 'stale'; from: number }
  /** The catch-up is done (or failed with `error`). */
  | { type: 'ready'; summary: IngestSummary; error?: string }
  /** Stopped: the last batch and the position are written and the thread's store is closed. */
  | { type: 'stopped'; summary: IngestSummary };

export interface IngestThread {
  /** Resolves once the thread's store is open; rejects (with a CliError when it is a refusal) when it is not. */
  opened: Promise<void>;
  /** Resolves with the catch-up's counts once it is done; rejects when it failed. */
  ready: Promise<IngestSummary>;
  /** Stops following, waits until the last batch and the position are written, and ends the thread. */
  stop(): Promise<IngestSummary | null>;
}

export interface IngestThreadDeps {
  bus: EventBus;
  log: Logger;
  /** Told when a committed batch makes memoised sums from `from` on stale (SQLite). */
  onStale?: (from: number) => void;
  /** The compiled worker (default: beside this module). */
  script?: string;
}

/** How long a stopped thread may take to end by itself before it is ended. */
const STOPPED_GRACE_MS = 2000;

const WORKER_SCRIPT = fileURLToPath(new URL('./ingest-worker.js', import.meta.url));

export function startIngestThread(data: IngestThreadData, deps: IngestThreadDeps): IngestThread {
  const { bus, log } = deps;
  // A probe of /healthz is answered before the next batch is parsed, also on a machine with no core to spare.
  const worker = backgroundWorker(deps.script ?? WORKER_SCRIPT, { workerData: { ...data } });
  let settleOpened: { resolve: () => void; reject: (err: Error) => void } | null = null;
  const opened = new Promise<void>((resolve, reject) => (settleOpened = { resolve, reject }));
  let settleReady: { resolve: (s: IngestSummary) => void; reject: (err: Error) => void } | null = null;
  const ready = new Promise<IngestSummary>((resolve, reject) => (settleReady = { resolve, reject }));
  // Told by whoever awaits them; these keep a failure nobody awaits from going unhandled.
  opened.catch(() => undefined);
  ready.catch(() => undefined);
  let stopped: IngestSummary | null = null;
  let stopping = false;
  let exited = false;
  const exit = new Promise<number>((resolve) =>
    worker.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );

  worker.on('message', (m: IngestThreadReply) => {
    switch (m.type) {
      case 'opened':
        settleOpened?.resolve();
        break;
      case 'failed':
        settleOpened?.reject(m.refusal ? new CliError(m.message) : new Error(m.message));
        break;
      case 'batch':
        bus.emitBatch(m.batch);
        break;
      case 'heartbeat':
        bus.emitHeartbeat();
        break;
      case 'ingest-failure':
        bus.emitIngestFailure(m.message);
        break;
      case 'log-loss':
        bus.emitLogLoss(m.loss);
        break;
      case 'stale':
        deps.onStale?.(m.from);
        break;
      case 'ready':
        if (m.error === undefined) settleReady?.resolve(m.summary);
        else settleReady?.reject(new Error(m.error));
        break;
      case 'stopped':
        stopped = m.summary;
        // Everything is written: a handle left open in the thread must not keep the process from exiting.
        setTimeout(() => void worker.terminate(), STOPPED_GRACE_MS).unref();
        break;
    }
  });
  // A thread that dies unasked stops ingest, not the dashboard: health says so until the process restarts.
  const died = (why: string) => {
    const err = new Error(`the ingest thread stopped: ${why}`);
    settleOpened?.reject(err);
    settleReady?.reject(err);
    log.error({ err: why }, 'the ingest thread stopped; the dashboard goes on without new lines');
    bus.emitIngestFailure(err.message);
  };
  worker.on('error', (err) => died(err.message));
  void exit.then((code) => {
    if (stopped === null && !stopping) died(`exit code ${code}`);
  });

  return {
    opened,
    ready,
    async stop() {
      stopping = true;
      if (!exited) worker.postMessage({ type: 'stop' } satisfies IngestThreadRequest);
      await exit;
      return stopped;
    },
  };
}
