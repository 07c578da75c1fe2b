/** GET /alerts (mounted under /api/v1): the open alerts and those resolved recently, with their evidence. */

import { Router } from 'express';
import { z } from 'zod';
import { createAlertStore } from '../../../db/alerts.js';
import type { Db } from '../../../db/sqlite/open.js';
import type { AlertItem } from '../contract.js';

const HOUR = 3_600_000;

const intParam = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);

export const alertsQuerySchema = z.strictObject({
  /** Which lists to fill: open, resolved (recent), or both. */
  state: z.enum(['open', 'resolved', 'all']).default('all'),
  /** How far back "recent" reaches, in hours (up to 90 days). */
  hours: intParam(1, 2_160, 168),
  limit: intParam(1, 500, 100),
});

/** An alert as the API answers it: times in unix milliseconds, camelCase (the contract's AlertItem). */
// The dashboard reads it through server/http/contract.ts; answering records as AlertItem keeps the two in step.
export type AlertJson = AlertItem;

export interface AlertsResponse {
  now: number;
  open: AlertJson[];
  recent: AlertJson[];
}

export function createAlertsRouter(deps: { db: Db; now?: () => number }): Router {
  const now = deps.now ?? Date.now;
  const store = createAlertStore(deps.db);
  const router = Router();
  router.get('/alerts', (req, res) => {
    const parsed = alertsQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message =
        issue?.code === 'unrecognized_keys'
          ? `unknown parameter: ${issue.keys.join(', ')}`
          : `${issue?.path.map(String).join('.') || 'request'}: ${issue?.message ?? 'invalid'}`;
      res.status(400).json({
        error: {
          code: issue?.code === 'unrecognized_keys' ? 'unknown-parameter' : 'invalid-parameter',
          message,
        },
      });
      return;
    }
    const q = parsed.data;
    const t = now();
    try {
      const body: AlertsResponse = {
        now: t,
        open: q.state === 'resolved' ? [] : store.listOpenAlerts(q.limit),
        recent: q.state === 'open' ? [] : store.listResolvedAlerts(t - q.hours * HOUR, q.limit),
      };
      res.set('Cache-Control', 'no-store').json(body);
    } catch {
      res.status(500).json({ error: { code: 'internal', message: 'could not read alerts' } });
    }
  });
  return router;
}
