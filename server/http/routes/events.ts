/** Server-sent events: one `batch` event per stored ingest batch, so live views refresh without polling. */

import { Router } from 'express';
import { z } from 'zod';
import type { EventBus } from '../../events.js';
import type { LiveBatchEvent } from '../contract.js';
import { parseInput } from '../params.js';

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

export function createEventsRouter(deps: { bus: EventBus }): Router {
  const router = Router();
  router.get('/events', (req, res) => {
    parseInput(z.strictObject({}), req.query);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const unsubscribe = deps.bus.onBatch((batch) => {
      const hosts = new Set<string>();
      for (const a of batch.attempts) hosts.add(a.host);
      for (const r of batch.rejects) hosts.add(r.host);
      const event: LiveBatchEvent = {
        attempts: batch.attempts.length,
        rejects: batch.rejects.length,
        newestTs: batch.newestTs,
        hosts: [...hosts].slice(0, 50),
      };
      res.write(`event: batch\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    req.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  });
  return router;
}
