/** GET /api/v1/trace: the messages a search finds, every line of their lives. */

import type { Router } from 'express';
import type { TraceService } from '../../services/trace.js';
import { traceRoutes } from '../contract/trace.js';
import { jsonRoute } from '../route.js';

export function mountTraceRoutes(router: Router, trace: TraceService): void {
  jsonRoute(router, traceRoutes.trace, (q) => trace.trace({ ...q, host: q.host ?? null }));
}
