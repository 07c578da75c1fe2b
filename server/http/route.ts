/** Mounts a contract route on a router: the query read through the route's schema, the answer sent as the route says. */

import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { parseInput } from './params.js';

interface Mountable<Q extends z.ZodType> {
  path: string;
  query: Q;
}

/** A JSON route: parse, call one service, answer its result. */
export function jsonRoute<Q extends z.ZodType>(
  router: Router,
  route: Mountable<Q>,
  answer: (query: z.output<Q>, req: Request) => unknown,
): void {
  router.get(route.path, async (req, res) => {
    res.json(await answer(parseInput(route.query, req.query), req));
  });
}

/** A route that writes its own answer (a stream, text, a status that depends on the result). */
export function customRoute<Q extends z.ZodType>(
  router: Router,
  route: Mountable<Q>,
  respond: (query: z.output<Q>, res: Response, req: Request) => Promise<void> | void,
): void {
  router.get(route.path, async (req, res) => {
    await respond(parseInput(route.query, req.query), res, req);
  });
}
