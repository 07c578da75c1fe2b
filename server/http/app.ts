/** Composes the HTTP server: the JSON API under /api/v1 and the dashboard's static files under /. */

import express from 'express';
import type { Db } from '../../db/sqlite/open.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import { errorHandler, notFound } from './errors.js';
import type { Knowledge } from './knowledge.js';
import { classifierKnowledge } from './knowledge-classifier.js';
import { openApiDocument } from './openapi.js';
import { createDetailRouter } from './routes/detail.js';
import { createEventsRouter } from './routes/events.js';
import { createHealthRouter } from './routes/health.js';
import { createOverviewRouter } from './routes/overview.js';
import { createReferenceRouter } from './routes/reference.js';
import { createReportsRouter } from './routes/reports.js';
import { createTraceRouter } from './routes/trace.js';
import { createUnparsedRouter } from './routes/unparsed.js';
import {
  apiRateLimit,
  DEFAULT_RATE_LIMIT,
  hasCredentials,
  requireCredentials,
  securityHeaders,
  type RateLimitOptions,
} from './security.js';

export interface AppDeps {
  db: Db;
  log: Logger;
  config: Config;
  bus: EventBus;
  /** Folder of the built dashboard (dist/web). */
  webRoot: string;
  now?: () => number;
  /** Cause, code and provider texts; defaults to the classifier's knowledge base. */
  knowledge?: Knowledge;
  /** API rate limit per client address; defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimitOptions;
  /** Routers of other parts (ops: /metrics, /healthz, /api/v1/alerts) mounted at the root, behind the same auth. */
  routers?: express.RequestHandler[];
}

export function createApp(deps: AppDeps): express.Express {
  const now = deps.now ?? Date.now;
  const knowledge = deps.knowledge ?? classifierKnowledge();
  const log = deps.log.child({ component: 'http' });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  if (hasCredentials(deps.config.auth)) app.use(requireCredentials(deps.config.auth));

  const api = express.Router();
  api.use(apiRateLimit(deps.rateLimit ?? DEFAULT_RATE_LIMIT));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(createHealthRouter({ db: deps.db, now }));
  api.use(createOverviewRouter({ db: deps.db, knowledge, now }));
  api.use(createDetailRouter({ db: deps.db, knowledge, now }));
  api.use(createTraceRouter({ db: deps.db }));
  api.use(createReferenceRouter({ knowledge }));
  api.use(createUnparsedRouter({ db: deps.db }));
  api.use(createEventsRouter({ bus: deps.bus }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.use(createReportsRouter({ db: deps.db, now }));
  api.use(notFound);

  for (const router of deps.routers ?? []) app.use(router);
  app.use('/api/v1', api);
  app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: 0 }));
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
