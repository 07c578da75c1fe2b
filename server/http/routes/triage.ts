/** GET /api/v1/server, /api/v1/senders and /api/v1/delays: the MTA's own health, who sends, how long delivery takes. */

import type { Router } from 'express';
import { resolveRange } from '../../services/range.js';
import type { DelaysService } from '../../services/delays.js';
import type { TriageService } from '../../services/triage.js';
import { delayRoutes } from '../contract/delays.js';
import { triageRoutes as routes } from '../contract/triage.js';
import { jsonRoute } from '../route.js';

export function mountTriageRoutes(
  router: Router,
  triage: TriageService,
  delays: DelaysService,
  now: () => number,
): void {
  jsonRoute(router, delayRoutes.delays, (q) =>
    delays.delays(resolveRange(q, now()), q.by, q.key ?? null, q.limit),
  );
  jsonRoute(router, routes.server, (q) => triage.server(resolveRange(q, now()), q.limit));
  jsonRoute(router, routes.senders, (q) => triage.senders(resolveRange(q, now()), q.by, q.limit));
}
