/**
 * Admission for the API's work: the store answers synchronously on the event loop, so a burst of requests run back
 * to back would hold /healthz and every other connection behind them. Requests start one per turn of the loop (so
 * waiting connections are read in between), at most `concurrency` at once, and past `maxQueue` waiting a 503 says
 * to come back.
 */

import type { RequestHandler } from 'express';
import { httpError } from './errors.js';
import { once } from './once.js';

export function createAdmission(options: { concurrency: number; maxQueue: number }): RequestHandler {
  const queue: (() => void)[] = [];
  let running = 0;
  let scheduled = false;

  const pump = (): void => {
    if (scheduled || queue.length === 0 || running >= options.concurrency) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const start = queue.shift();
      if (start) {
        running++;
        start();
      }
      pump();
    });
  };

  return (req, res, next) => {
    if (queue.length >= options.maxQueue) {
      next(
        httpError(503, 'server-busy', 'the server is answering as many requests as it can; retry shortly', {
          'Retry-After': '1',
        }),
      );
      return;
    }
    const release = once(() => {
      running--;
      pump();
    });
    queue.push(() => {
      // A client that went away while waiting costs nothing more.
      if (req.destroyed) {
        release();
        return;
      }
      res.once('finish', release);
      res.once('close', release);
      next();
    });
    pump();
  };
}
