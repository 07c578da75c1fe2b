/** The one HTTP app: every route of the contract behind the same middleware, the dashboard's files, one error handler. */

import express, { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { isLoopbackAddress } from '../bind-scope.js';
import { hasCredentials, type Config } from '../config.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Services } from '../services/services.js';
import { createAdmission } from './admission.js';
import { liveRoutes } from './contract/live.js';
import { ROUTES } from './contract/openapi.js';
import { errorHandler, notFound } from './errors.js';
import { hostCheck, hostPolicy } from './host-check.js';
import { createLoginThrottle } from './login-throttle.js';
import { methodNotAllowed, readOnly } from './methods.js';
import { mountAlertRoutes } from './routes/alerts.js';
import { mountDetailRoutes } from './routes/detail.js';
import { mountEventRoutes } from './routes/events.js';
import { mountHealthRoutes } from './routes/health.js';
import { mountFlowRoutes } from './routes/flows.js';
import { mountOverviewRoutes } from './routes/overview.js';
import { mountReferenceRoutes } from './routes/reference.js';
import { mountReportRoutes } from './routes/reports.js';
import { mountTraceRoutes } from './routes/trace.js';
import { mountTriageRoutes } from './routes/triage.js';
import { mountUnparsedRoutes } from './routes/unparsed.js';
import { rateLimitFor, requireCredentials, securityHeaders, type RateLimitOptions } from './security.js';
import { createStreamLimit, type StreamLimit } from './stream-limit.js';

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
  /** Rate limit per client address; defaults to config.limits.requestsPerMinute per minute. */
  rateLimit?: RateLimitOptions;
  /**
   * Whether the bind address resolved to loopback only (checkBind); by default judged from an address literal
   * or `localhost`.
   */
  bindLoopback?: boolean;
  /** Open event streams; defaults to the caps in config.limits. */
  streams?: StreamLimit;
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** The built dashboard's source map stays on the build machine: it would hand out the whole client source. */
const noSourceMaps: RequestHandler = (req, _res, next) => {
  if (req.path.endsWith('.map')) notFound(req, _res, next);
  else next();
};

/** Requests at work at once: enough to overlap a report's worker with quick queries, few enough that a probe is not kept waiting. */
const ADMISSION = { concurrency: 4, maxQueue: 512 };

/** A live stream is held for hours: it takes a stream slot (stream-limit.ts), never a place in the admission queue. */
function unlessStream(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.originalUrl.split('?')[0] === liveRoutes.events.path) next();
    else handler(req, res, next);
  };
}

/** Every route of the contract; /healthz is the one that a probe may ask without credentials or limit. */
function routes(deps: AppDeps, streams: StreamLimit): { open: Router; guarded: Router } {
  const { services: s, now } = deps;
  const open = Router();
  const guarded = Router();
  mountHealthRoutes({ probe: open, rest: guarded }, s.health, deps.registry);
  mountOverviewRoutes(guarded, s.overview, now);
  mountFlowRoutes(guarded, s.flows, now);
  mountDetailRoutes(guarded, s.drillDown, now);
  mountTraceRoutes(guarded, s.trace);
  mountReferenceRoutes(guarded, s.reference);
  mountUnparsedRoutes(guarded, s.unparsed);
  mountTriageRoutes(guarded, s.triage, s.delays, now);
  mountEventRoutes(guarded, deps.bus, streams);
  mountReportRoutes(guarded, s.reports);
  mountAlertRoutes(guarded, s.alerts);
  return { open, guarded };
}

export function createApp(deps: AppDeps): express.Express {
  const { config } = deps;
  const log = deps.log.child({ component: 'http' });
  const streams =
    deps.streams ??
    createStreamLimit({ perClient: config.limits.streamsPerClient, total: config.limits.streamsTotal });
  const { open, guarded } = routes(deps, streams);
  const bindLoopback = deps.bindLoopback ?? (config.bind === 'localhost' || isLoopbackAddress(config.bind));
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // req.ip is the socket's address, or what a configured proxy says in X-Forwarded-For; nobody else's.
  app.set('trust proxy', config.trustedProxies.length > 0 ? [...config.trustedProxies] : false);
  app.use(securityHeaders());
  // A probe must always get an answer: /healthz comes before the Host check, the limits and credentials.
  app.use('/healthz', noStore);
  app.use(open);
  app.use(hostCheck(hostPolicy(config, bindLoopback)));
  app.use(rateLimitFor(deps.rateLimit ?? { windowMs: 60_000, limit: config.limits.requestsPerMinute }));
  if (hasCredentials(config)) {
    const throttle = createLoginThrottle({ freeFailures: config.limits.loginFailures, now: deps.now });
    app.use(requireCredentials(config.auth, { throttle, log }));
  }
  app.use(['/api/v1', '/metrics'], noStore, unlessStream(createAdmission(ADMISSION)));
  app.use(guarded);
  app.use(methodNotAllowed(ROUTES.filter((r) => !r.open).map((r) => r.path)));
  app.use('/api/v1', notFound);
  app.use(readOnly, noSourceMaps, express.static(deps.webRoot, { index: 'index.html', maxAge: 0 }));
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
