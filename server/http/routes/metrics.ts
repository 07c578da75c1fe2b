/** GET /metrics (Prometheus text format) and GET /healthz (200 or 503 with the checks as JSON). */

import { Router } from 'express';
import type { Registry } from 'prom-client';
import { createOpsQueries } from '../../../db/alerts.js';
import type { Db } from '../../../db/sqlite/open.js';
import { createHealth, type Health } from '../../ops/health.js';

export interface MetricsRouterDeps {
  db: Db;
  registry: Registry;
  /** Defaults to a database-only check (no ingest to watch). */
  health?: Health;
}

export function createMetricsRouter({ db, registry, health }: MetricsRouterDeps): Router {
  const checker =
    health ??
    createHealth({ ops: createOpsQueries(db), now: Date.now, following: false, staleAfterSeconds: 300 });
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    try {
      const text = await registry.metrics();
      res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
    } catch {
      res.status(500).json({ error: { code: 'metrics-failed', message: 'could not collect metrics' } });
    }
  });
  router.get('/healthz', (_req, res) => {
    const report = checker.check();
    res
      .status(report.status === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(report);
  });
  return router;
}
