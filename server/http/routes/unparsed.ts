/** GET /api/v1/unparsed: lines read but not understood. */

import type { Router } from 'express';
import type { UnparsedService } from '../../services/unparsed.js';
import { unparsedRoutes } from '../contract/unparsed.js';
import { jsonRoute } from '../route.js';

export function mountUnparsedRoutes(router: Router, unparsed: UnparsedService): void {
  jsonRoute(router, unparsedRoutes.unparsed, (q) => unparsed.unparsed({ ...q, program: q.program ?? null }));
}
