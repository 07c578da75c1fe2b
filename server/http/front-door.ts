/**
 * The HTTP server's first stop, before the app. The event loop takes one new connection per turn, so a probe that
 * connects behind a burst of connections waits for as many turns as there are ahead of it. A probe of /healthz
 * goes to the app as soon as its request is read; every other request waits in line, and is let in only on a turn
 * that took no new connection (or after `maxSkips` turns that all did), one per turn, at most `inFlight` being
 * answered at once. The turns that take a burst's connections are then short, and the work waits until they
 * are taken. Past `maxWaiting` waiting, requests go to the app at once, whose admission refuses what it cannot take.
 */

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { once } from './once.js';

export interface FrontDoorOptions {
  /** Requests that skip the line: the probe. */
  priority: (req: IncomingMessage) => boolean;
  /** Requests held open for long (event streams): let in by turn, without taking one of the `inFlight` places. */
  longLived: (req: IncomingMessage) => boolean;
  /** Requests being answered at once (default 4). */
  inFlight?: number;
  /** Waiting requests past which the line is skipped (default 1024). */
  maxWaiting?: number;
  /** Turns in a row that may take a new connection and let no request in (default 64). */
  maxSkips?: number;
}

export interface FrontDoor {
  /** The server's request listener. */
  listener: RequestListener;
  /** Lets the door see the server's new connections (an http.Server). */
  watch(server: { on(event: 'connection', listener: () => void): unknown }): void;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/** GET or HEAD of exactly `path` (with or without a query). */
export const isRequestFor =
  (path: string) =>
  (req: IncomingMessage): boolean =>
    READ_METHODS.has(req.method ?? '') && (req.url ?? '').split('?')[0] === path;

export function createFrontDoor(app: RequestListener, options: FrontDoorOptions): FrontDoor {
  const inFlight = options.inFlight ?? 4;
  const maxWaiting = options.maxWaiting ?? 1024;
  const maxSkips = options.maxSkips ?? 64;
  const line: [IncomingMessage, ServerResponse][] = [];
  let answering = 0;
  let scheduled = false;
  /** Whether a connection came in since the last turn that let a request in, and how many turns skipped since. */
  let connected = false;
  let skipped = 0;

  const letIn = (req: IncomingMessage, res: ServerResponse): void => {
    if (!options.longLived(req)) {
      answering++;
      const release = once(() => {
        answering--;
        schedule();
      });
      res.once('finish', release);
      res.once('close', release);
    }
    app(req, res);
  };
  const next = (): void => {
    scheduled = false;
    // A client that went away while waiting costs nothing more.
    while (line[0]?.[0].destroyed === true) line.shift();
    const first = line[0];
    if (!first) return;
    if (answering >= inFlight && !options.longLived(first[0])) return; // a place frees: release() schedules
    if (connected && skipped < maxSkips) {
      // Connections are coming in: the next turn takes the next one before any work is done.
      connected = false;
      skipped++;
      schedule();
      return;
    }
    connected = false;
    skipped = 0;
    line.shift();
    letIn(first[0], first[1]);
    schedule();
  };
  function schedule(): void {
    if (scheduled || line.length === 0) return;
    scheduled = true;
    setImmediate(next);
  }

  return {
    listener(req, res) {
      if (options.priority(req) || line.length >= maxWaiting) {
        app(req, res);
        return;
      }
      line.push([req, res]);
      schedule();
    },
    watch(server) {
      server.on('connection', () => {
        connected = true;
      });
    },
  };
}
