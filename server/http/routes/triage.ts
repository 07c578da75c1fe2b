/** GET /api/v1/server and /api/v1/senders: the MTA's own health, and who sends. */

import type { Router } from 'express';
import { resolveRange } from '../../services/range.js';
import type { TriageService } from '../../services/triage.js';
import { triageRoutes as routes } from '../contract/triage.js';
import { jsonRoute } from '../route.js';

export function mountTriageRoutes(router: Router, triage: TriageService, now: () => number): void {
  jsonRoute(router, routes.server, (q) => triage.server(resolveRange(q, now()), q.limit));
  jsonRoute(router, routes.senders, (q) => triage.senders(resolveRange(q, now()), q.by, q.limit));
}
