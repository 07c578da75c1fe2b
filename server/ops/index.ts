/** Operations in one piece: metrics, health, alerts and their notifiers, and the routers that expose them. */

import { Router } from 'express';
import { createOpsQueries } from '../../db/alerts.js';
import type { Db } from '../../db/sqlite/open.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import { createAlertsRouter } from '../http/routes/alerts.js';
import { createMetricsRouter } from '../http/routes/metrics.js';
import { hasCredentials, requireCredentials } from '../http/security.js';
import type { Logger } from '../log.js';
import { createAlertEngine, type AlertEngine } from './alerts/engine.js';
import { createHealth, type Health } from './health.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createNotifier, type FetchLike } from './notify/index.js';

export interface OpsDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  log: Logger;
  now: () => number;
  /** Outbound HTTP for webhooks; defaults to the global fetch. */
  fetch?: FetchLike;
  /**
   * Whether /healthz watches ingest (run, follow). Only set it where ingest proves it is alive while the
   * log is quiet (heartbeats on the bus), else a quiet server reads as a dead one. Default false.
   */
  following?: boolean;
}

export interface Ops {
  /**
   * Mount at the root, in front of the dashboard app: GET /healthz (open, for probes), GET /metrics and
   * GET /api/v1/alerts (behind the dashboard's credentials when any are configured).
   */
  routers: Router[];
  metrics: Metrics;
  health: Health;
  alerts: AlertEngine;
  start(): void;
  stop(): void;
}

export function createOps(deps: OpsDeps): Ops {
  const { config, db, bus, now } = deps;
  const log = deps.log.child({ component: 'ops' });
  const ops = createOpsQueries(db);
  const metrics = createMetrics({ config: config.metrics, bus, ops, now });
  const health = createHealth({
    ops,
    bus,
    now,
    following: deps.following ?? false,
    staleAfterSeconds: config.health.ingestStaleSeconds,
  });
  const notify = createNotifier({
    config: config.notify,
    fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
    log,
  });
  const alerts = createAlertEngine({
    config,
    bus,
    db,
    now,
    log: log.child({ component: 'alerts' }),
    notify,
    onOpenChange: (byRule) => metrics.setOpenAlerts(byRule),
  });

  const root = Router();
  if (hasCredentials(config.auth)) {
    const guard = requireCredentials(config.auth);
    root.use('/metrics', guard);
    root.use('/api/v1/alerts', guard);
  }
  if (config.metrics.enabled) root.use(createMetricsRouter({ db, registry: metrics.registry, health }));
  else
    root.get('/healthz', (_req, res) => {
      const report = health.check();
      res.status(report.status === 'ok' ? 200 : 503).json(report);
    });
  root.use('/api/v1', createAlertsRouter({ db, now }));

  return {
    routers: [root],
    metrics,
    health,
    alerts,
    start() {
      metrics.start();
      health.start();
      alerts.start();
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
      alerts.stop();
      health.stop();
      metrics.stop();
    },
  };
}
