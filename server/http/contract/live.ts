/** The live stream: one server-sent `batch` event per stored ingest batch. */

import { z } from 'zod';
import { countSchema, errorSchema, tsSchema } from './common.js';
import { noQuery } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

/** @public Exported so the value counts as used: component() registers it in the OpenAPI document. */
export const liveBatchSchema = component(
  'LiveBatchEvent',
  z.object({
    attempts: countSchema,
    rejects: countSchema,
    newestTs: tsSchema.nullable(),
    hosts: z.array(z.string()).max(50),
  }),
  'The data of each `batch` event of /api/v1/events.',
);
export type LiveBatchEvent = z.infer<typeof liveBatchSchema>;

export const liveRoutes = {
  events: defineRoute({
    path: '/api/v1/events',
    summary: 'Live updates (server-sent events)',
    query: noQuery,
    responses: {
      200: {
        description:
          'text/event-stream; one `batch` event per stored ingest batch, its data a LiveBatchEvent',
        content: { 'text/event-stream': null },
      },
      429: json(
        'This client holds as many streams as allowed (limits.streamsPerClient); Retry-After says when to try again',
        errorSchema,
      ),
      503: json(
        'The server holds as many streams as allowed in total (limits.streamsTotal); Retry-After says when to try again',
        errorSchema,
      ),
    },
  }),
};
