/** Health: the process answers, the database reads, and how fresh the newest stored event is. */

import { Router } from 'express';
import type { Db } from '../../../db/sqlite/open.js';
import { storeHealth } from '../../../db/queries/health.js';
import type { HealthResponse } from '../contract.js';

export function createHealthRouter(deps: { db: Db; now: () => number }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    const body: HealthResponse = { ok: true, now: deps.now(), ...storeHealth(deps.db) };
    res.json(body);
  });
  return router;
}
