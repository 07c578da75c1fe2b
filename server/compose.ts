/** Puts the server together over one database: the store's reader, operations, the services and the one app. */

import type express from 'express';
import type { Db } from '../db/sqlite/open.js';
import { createSqliteAlertWriter } from '../db/sqlite/alert-writer.js';
import type { AlertWriter } from '../db/store/alert-writer.js';
import type { StoreReader } from '../db/store/reader.js';
import { createSqliteReader } from '../db/sqlite/reader.js';
import { createThreadedReader } from '../db/sqlite/read-thread.js';
import type { FetchLike } from './alerts/notify/notifier.js';
import type { Config } from './config.js';
import type { EventBus } from './events.js';
import { createApp } from './http/app.js';
import { healthRoutes } from './http/contract/health.js';
import { liveRoutes } from './http/contract/live.js';
import { createFrontDoor, isRequestFor, type FrontDoor } from './http/front-door.js';
import type { RateLimitOptions } from './http/security.js';
import type { StreamLimit } from './http/stream-limit.js';
import type { Logger } from './log.js';
import { createOperations, type Operations, type OperationsDeps } from './operations.js';
import { serverTimeZone } from './report/week.js';
import { classifierKnowledge, type Knowledge } from './services/knowledge.js';
import { createServices } from './services/services.js';
import type { TriageReader } from '../db/store/triage.js';

/** A store the server reads through: its reader and the alert engine's writes. */
export interface ServedStore {
  reader: StoreReader;
  alertWriter: AlertWriter;
  /** The Server and Senders views' hourly facts. */
  triageReader: TriageReader;
  /** A fleet's store (PostgreSQL): its own facts, and the leadership of the alert engine. */
  fleet?: OperationsDeps['fleet'];
}

export interface ServerDeps {
  /** The SQLite database, or `store` (a store opened elsewhere, such as PostgreSQL's). */
  db?: Db;
  store?: ServedStore;
  bus: EventBus;
  config: Config;
  log: Logger;
  /** Folder of the built dashboard (dist/web). */
  webRoot: string;
  now?: () => number;
  /** Whether this process follows logs (health then watches ingest). */
  following?: boolean;
  /** Outbound HTTP for webhooks; defaults to the global fetch. */
  fetch?: FetchLike;
  rateLimit?: RateLimitOptions;
  /** Whether the bind address resolved to loopback only (checkBind); see AppDeps. */
  bindLoopback?: boolean;
  /** Open event streams; defaults to the caps in config.limits. */
  streams?: StreamLimit;
  /** IANA zone report weeks are cut in (default: the server's). */
  timeZone?: string;
  knowledge?: Knowledge;
  /**
   * Raw-row reads (reports, drill-downs, traces) run on a thread of their own within a time budget, so the
   * dashboard and /healthz answer meanwhile; `false` keeps them on this thread. `script` is the worker built from
   * the sources, for tests.
   */
  readThread?: { script?: string; budgetMs?: number } | false;
}

export interface Server {
  app: express.Express;
  /** What the HTTP server runs: the app behind its front door, where a probe of /healthz skips the line. */
  door: FrontDoor;
  operations: Operations;
  reader: StoreReader;
  /** Starts metrics, health and alerts (resolves once their state is restored). */
  start(): Promise<void>;
  stop(): void;
}

function servedStore(deps: ServerDeps, now: () => number): ServedStore & { close?: () => unknown } {
  if (deps.store) return deps.store;
  const db = deps.db;
  if (!db) throw new Error('createServer needs a database or a store');
  // What the reader memoises of past time is forgotten by the SQLite writer once a batch reaching back is committed.
  const local = createSqliteReader(db, { now });
  const threaded =
    deps.readThread === false || db.memory
      ? null
      : createThreadedReader(local, { file: db.name, ...deps.readThread });
  return {
    reader: threaded?.reader ?? local,
    alertWriter: createSqliteAlertWriter(db),
    // Triage facts are summed per hour: small reads, answered on this thread.
    triageReader: local,
    ...(threaded ? { close: () => threaded.close() } : {}),
  };
}

export function createServer(deps: ServerDeps): Server {
  const now = deps.now ?? Date.now;
  const { bus, config, log } = deps;
  const store = servedStore(deps, now);
  const reader = store.reader;
  const operations = createOperations({
    config,
    reader,
    alertWriter: store.alertWriter,
    bus,
    log,
    now,
    following: deps.following ?? false,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    fleet: store.fleet ?? null,
    triageReader: store.triageReader,
  });
  const services = createServices({
    reader,
    knowledge: deps.knowledge ?? classifierKnowledge(),
    health: operations.health,
    monitor: operations.monitor,
    triageReader: store.triageReader,
    now,
    timeZone: deps.timeZone ?? serverTimeZone(),
    ownDomains: { ownDomains: config.ownDomains },
  });
  const app = createApp({
    services,
    bus,
    config,
    log,
    registry: config.metrics.enabled ? operations.metrics.registry : null,
    webRoot: deps.webRoot,
    now,
    ...(deps.rateLimit ? { rateLimit: deps.rateLimit } : {}),
    ...(deps.bindLoopback !== undefined ? { bindLoopback: deps.bindLoopback } : {}),
    ...(deps.streams ? { streams: deps.streams } : {}),
  });
  return {
    app,
    door: createFrontDoor(app, {
      priority: isRequestFor(healthRoutes.probe.path),
      longLived: isRequestFor(liveRoutes.events.path),
    }),
    operations,
    reader,
    start: () => operations.start(),
    stop: () => {
      operations.stop();
      void store.close?.();
    },
  };
}
