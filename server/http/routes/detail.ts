/** Drill-down routes: /domains/:key, /providers/:key, /causes/:key, /codes/:key. */

import type { Router } from 'express';
import type { DrillDownService } from '../../services/drill-down.js';
import { resolveRange } from '../../services/range.js';
import { DETAIL_KINDS, detailRoutes } from '../contract/detail.js';
import { parseInput } from '../params.js';
import { jsonRoute } from '../route.js';

export function mountDetailRoutes(router: Router, drillDown: DrillDownService, now: () => number): void {
  for (const kind of DETAIL_KINDS) {
    const route = detailRoutes[kind];
    jsonRoute(router, route, (q, req) =>
      drillDown.detail({
        kind,
        key: parseInput(route.params, req.params).key,
        range: resolveRange(q, now()),
        samples: q.samples,
        addresses: q.addresses,
      }),
    );
  }
}
