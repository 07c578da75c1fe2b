/** Server-sent events: one `batch` event per stored ingest batch, so live views refresh without polling. */

import type { Router } from 'express';
import type { EventBus, StoredBatch } from '../../events.js';
import type { LiveBatchEvent } from '../contract/live.js';
import { liveRoutes } from '../contract/live.js';
import { customRoute } from '../route.js';
import type { StreamLimit } from '../stream-limit.js';

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

function liveEvent(batch: StoredBatch): LiveBatchEvent {
  const hosts = new Set<string>();
  for (const a of batch.attempts) hosts.add(a.host);
  for (const r of batch.rejects) hosts.add(r.host);
  return {
    attempts: batch.attempts.length,
    rejects: batch.rejects.length,
    newestTs: batch.newestTs,
    hosts: [...hosts].slice(0, 50),
  };
}

/** Each stream takes a slot of `streams` (per client and in total) until it closes; past the cap, 429 or 503. */
export function mountEventRoutes(router: Router, bus: EventBus, streams: StreamLimit): void {
  customRoute(router, liveRoutes.events, (_query, res, req) => {
    const release = streams.acquire(req.ip ?? 'unknown');
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const unsubscribe = bus.onBatch((batch) => {
      res.write(`event: batch\ndata: ${JSON.stringify(liveEvent(batch))}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    req.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      release();
    });
  });
}
