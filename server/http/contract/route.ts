/** One route of the API as the contract states it: path, parameters and answers; the app mounts it, the document lists it. */

import type { z } from 'zod';

/** Content types of one answer, each with its body's schema (null: not JSON, described in words). */
export interface Answer {
  description: string;
  content: Record<string, z.ZodType | null>;
}

export interface RouteContract {
  /** Express-style path from the root, e.g. `/api/v1/domains/:key`. */
  path: string;
  summary: string;
  description?: string;
  /** The query string: strict, so an unknown parameter is a 400. */
  query: z.ZodType;
  /** Path parameters, when the path has any. */
  params?: z.ZodType;
  /** Answers other than the common errors (which the document adds: 400, 401, 421, 429, 500, 503). */
  responses: Record<number, Answer>;
  /** Open to probes: no credentials and no rate limit (only /healthz). */
  open?: boolean;
}

export const json = (description: string, schema: z.ZodType): Answer => ({
  description,
  content: { 'application/json': schema },
});

export const defineRoute = <R extends RouteContract>(route: R): R => route;
