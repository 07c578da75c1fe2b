/** Operations in one piece: metrics, health and alerts with their notifiers, started and stopped together. */

import type { AlertWriter } from '../db/store/alert-writer.js';
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
  const metrics = createMetrics({ config: config.metrics, bus, reader, now, ownDomains: config.ownDomains });
  const health = createHealth({
    reader,
    bus,
    now,
    following: deps.following ?? false,
    staleAfterSeconds: config.health.ingestStaleSeconds,
  });
  const monitor = createMtaMonitor({ config, reader, log, now });
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
    monitor,
  });
  return {
    metrics,
    health,
    alerts,
    monitor,
    async start() {
      health.start();
      monitor.start();
      await Promise.all([metrics.start(), alerts.start()]);
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
