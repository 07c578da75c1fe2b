/** The overview's routes: summary, series, top causes, domains, providers, codes, hosts, the data's span. */

import type { Router } from 'express';
import type { OverviewService } from '../../services/overview.js';
import { resolveRange } from '../../services/range.js';
import { overviewRoutes as routes } from '../contract/overview.js';
import { jsonRoute } from '../route.js';

export function mountOverviewRoutes(router: Router, overview: OverviewService, now: () => number): void {
  jsonRoute(router, routes.summary, (q) => overview.summary(resolveRange(q, now())));
  jsonRoute(router, routes.series, (q) => overview.series(resolveRange(q, now())));
  jsonRoute(router, routes.causes, (q) => overview.causes(resolveRange(q, now()), q.limit));
  jsonRoute(router, routes.domains, (q) =>
    overview.targets('domain', resolveRange(q, now()), q.sort, q.limit),
  );
  jsonRoute(router, routes.providers, (q) =>
    overview.targets('provider', resolveRange(q, now()), q.sort, q.limit),
  );
  jsonRoute(router, routes.codes, (q) => overview.codes(resolveRange(q, now()), q.limit));
  jsonRoute(router, routes.hosts, (q) => overview.hosts(resolveRange(q, now())));
  jsonRoute(router, routes.hostTable, (q) => overview.hostTable(resolveRange(q, now())));
  jsonRoute(router, routes.span, () => overview.span());
}
