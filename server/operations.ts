/** Operations in one piece: metrics, health and alerts with their notifiers, started and stopped together. */

import type { AlertWriter } from '../db/store/alert-writer.js';
import type { FleetReader, Leadership } from '../db/store/fleet.js';
import type { TriageReader } from '../db/store/triage.js';
import type { StoreReader } from '../db/store/reader.js';
import { createAlertEngine, type AlertEngine } from './alerts/engine.js';
import { createNotifier, type FetchLike } from './alerts/notify/notifier.js';
import type { Config } from './config.js';
import type { EventBus } from './events.js';
import type { Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createMtaMonitor, type MtaMonitor } from './mta/monitor.js';
import { createHealth, type Health } from './services/health.js';

export interface OperationsDeps {
  config: Config;
  reader: StoreReader;
  alertWriter: AlertWriter;
  bus: EventBus;
  log: Logger;
  now: () => number;
  /** Outbound HTTP for webhooks; defaults to the global fetch. */
  fetch?: FetchLike;
  /**
   * Whether health watches ingest (run, follow). Only set it where ingest proves it is alive while the log is
   * quiet (heartbeats on the bus), else a quiet server reads as a dead one. Default false.
   */
  following?: boolean;
  /** A fleet's store: its facts, and who of the fleet's processes runs the alert engine. */
  fleet?: { reader: FleetReader; leadership: (onChange: (leader: boolean) => void) => Leadership } | null;
  /** The store's triage facts: a fleet's /metrics shows each host's. */
  triageReader?: TriageReader | null;
}

export interface Operations {
  metrics: Metrics;
  health: Health;
  alerts: AlertEngine;
  /** The queue and our IPs on blocklists, read where the configuration allows it. */
  monitor: MtaMonitor;
  /** Resolves once the metrics are seeded and the alert state is restored from the store. */
  start(): Promise<void>;
  stop(): void;
}

export function createOperations(deps: OperationsDeps): Operations {
  const { config, reader, bus, now } = deps;
  const log = deps.log.child({ component: 'ops' });
  const fleet = deps.fleet ?? null;
  const health = createHealth({
    reader,
    bus,
    now,
    following: deps.following ?? false,
    staleAfterSeconds: config.health.ingestStaleSeconds,
    fleet: fleet?.reader ?? null,
    agentStaleSeconds: config.health.agentStaleSeconds,
  });
  const monitor = createMtaMonitor({ config, reader, log, now });
  const metrics = createMetrics({
    config: config.metrics,
    bus,
    reader,
    now,
    fleet: fleet?.reader ?? null,
    triage: deps.triageReader ?? null,
    monitor,
    ownDomains: config.ownDomains,
  });
  const notify = createNotifier({
    config: config.notify,
    fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
    log,
  });
  const alerts = createAlertEngine({
    config,
    bus,
    store: { reader, writer: deps.alertWriter },
    now,
    log: log.child({ component: 'alerts' }),
    notify,
    onOpenChange: (byRule) => metrics.setOpenAlerts(byRule),
    onEvaluate: () => metrics.countEvaluation(),
    monitor,
    fleet: fleet
      ? {
          reader: fleet.reader,
          leadership: fleet.leadership((leader) => {
            metrics.setAlertLeader(leader);
            if (leader) alerts.wake();
            log.info(
              { leader },
              leader
                ? 'this process now runs the fleet\u2019s alerts'
                : 'another process runs the fleet\u2019s alerts',
            );
          }),
        }
      : null,
  });
  return {
    metrics,
    health,
    alerts,
    monitor,
    async start() {
      monitor.start();
      await Promise.all([health.start(), metrics.start(), alerts.start()]);
      log.info(
        {
          alerts: config.alerts.enabled,
          webhooks: config.notify.webhooks.length,
          mail: config.notify.mail !== undefined,
        },
        'operations started',
      );
    },
    stop() {
      monitor.stop();
      alerts.stop();
      health.stop();
      metrics.stop();
    },
  };
}
