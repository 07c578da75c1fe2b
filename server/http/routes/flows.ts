/** Flows and inbound protection routes. */

import type { Router } from 'express';
import type { FlowsService } from '../../services/flows.js';
import { resolveRange } from '../../services/range.js';
import { flowRoutes as routes } from '../contract/flows.js';
import { jsonRoute } from '../route.js';

export function mountFlowRoutes(router: Router, flows: FlowsService, now: () => number): void {
  jsonRoute(router, routes.flows, (q) => flows.flows(resolveRange(q, now())));
  jsonRoute(router, routes.inbound, (q) => flows.inbound(resolveRange(q, now()), q.limit));
}
