/** The one HTTP app: every route of the contract behind the same middleware, the dashboard's files, one error handler. */

import express, { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Services } from '../services/services.js';
import { errorHandler, notFound } from './errors.js';
import { mountAlertRoutes } from './routes/alerts.js';
import { mountDetailRoutes } from './routes/detail.js';
import { mountEventRoutes } from './routes/events.js';
import { mountHealthRoutes } from './routes/health.js';
import { mountOverviewRoutes } from './routes/overview.js';
import { mountReferenceRoutes } from './routes/reference.js';
import { mountReportRoutes } from './routes/reports.js';
import { mountTraceRoutes } from './routes/trace.js';
import { mountUnparsedRoutes } from './routes/unparsed.js';
import {
  apiRateLimit,
  DEFAULT_RATE_LIMIT,
  hasCredentials,
  requireCredentials,
  securityHeaders,
  type RateLimitOptions,
} from './security.js';

export interface AppDeps {
  services: Services;
  bus: EventBus;
  config: Config;
  log: Logger;
  /** The metrics registry served at /metrics; null when metrics are disabled. */
  registry: Registry | null;
  /** Folder of the built dashboard (dist/web). */
  webRoot: string;
  now: () => number;
  /** API rate limit per client address; defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimitOptions;
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** Every route of the contract; /healthz is the one that a probe may ask without credentials or limit. */
function routes(deps: AppDeps): { open: Router; guarded: Router } {
  const { services: s, now } = deps;
  const open = Router();
  const guarded = Router();
  mountHealthRoutes({ probe: open, rest: guarded }, s.health, deps.registry);
  mountOverviewRoutes(guarded, s.overview, now);
  mountDetailRoutes(guarded, s.drillDown, now);
  mountTraceRoutes(guarded, s.trace);
  mountReferenceRoutes(guarded, s.reference);
  mountUnparsedRoutes(guarded, s.unparsed);
  mountEventRoutes(guarded, deps.bus);
  mountReportRoutes(guarded, s.reports);
  mountAlertRoutes(guarded, s.alerts);
  return { open, guarded };
}

export function createApp(deps: AppDeps): express.Express {
  const { open, guarded } = routes(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use('/healthz', noStore);
  app.use(open);
  if (hasCredentials(deps.config.auth)) app.use(requireCredentials(deps.config.auth));
  app.use(['/api/v1', '/metrics'], apiRateLimit(deps.rateLimit ?? DEFAULT_RATE_LIMIT), noStore);
  app.use(guarded);
  app.use('/api/v1', notFound);
  app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: 0 }));
  app.use(notFound);
  app.use(errorHandler(deps.log.child({ component: 'http' })));
  return app;
}
