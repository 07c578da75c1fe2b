/** /healthz for probes and /api/v1/health for the dashboard (one health model), and /metrics. */

import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Health } from '../../services/health.js';
import { healthRoutes } from '../contract/health.js';
import { customRoute, jsonRoute } from '../route.js';

/** `probe` is mounted before credentials and the rate limit, `rest` behind them. */
export function mountHealthRoutes(
  routers: { probe: Router; rest: Router },
  health: Health,
  registry: Registry | null,
): void {
  // A probe gets what the last check of the store found (checked every few seconds): it never waits for the store.
  customRoute(routers.probe, healthRoutes.probe, async (_query, res) => {
    const report = health.current() ?? (await health.check());
    res.status(report.ok ? 200 : 503).json(report);
  });
  jsonRoute(routers.rest, healthRoutes.health, () => health.check());
  if (!registry) return;
  customRoute(routers.rest, healthRoutes.metrics, async (_query, res) => {
    const text = await registry.metrics();
    res.set('Content-Type', registry.contentType).send(text);
  });
}
