/** Composes the HTTP server: the JSON API under /api/v1 and the dashboard's static files under /. */

import express from 'express';
import type { Db } from '../../db/open.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';

export interface AppDeps {
  db: Db;
  log: Logger;
  config: Config;
  bus: EventBus;
  /** Folder of the built dashboard (dist/web). */
  webRoot: string;
  now?: () => number;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/api/v1/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(express.static(deps.webRoot));
  return app;
}
