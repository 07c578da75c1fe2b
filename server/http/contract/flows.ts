/** Flows and inbound protection: which way the mail went, whose domains are ours, and what this server refused. */

import { z } from 'zod';
import { countSchema, rangeInfoSchema } from './common.js';
import { limitSchema, rangeShape } from './params.js';
import { component } from './registry.js';
import { flowsSchema, inboundCauseSchema, ownDomainSchema } from './report.js';
import { defineRoute, json } from './route.js';

const flowsResponseSchema = component(
  'FlowsView',
  z.object({
    range: rangeInfoSchema,
    flows: flowsSchema,
    ownDomains: z
      .array(ownDomainSchema)
      .describe('our domains over the whole stored history and the config, each with why'),
  }),
);
export type FlowsResponse = z.infer<typeof flowsResponseSchema>;

const inboundResponseSchema = component(
  'InboundProtection',
  z.object({
    range: rangeInfoSchema,
    rejected: countSchema,
    causes: z.array(inboundCauseSchema).describe('rejects by inbound cause, with receiving-side actions'),
    clients: z
      .array(
        z.object({
          ip: z.string().describe("the client's address ('' when the line named none)"),
          host: z.string().nullable().describe('its reverse DNS name as logged'),
          helo: z.string().nullable(),
          count: countSchema,
          cause: z.string().nullable().describe('its commonest inbound cause'),
        }),
      )
      .describe('clients refused most'),
    recipients: z
      .array(z.object({ recipient: z.string(), count: countSchema, clients: countSchema }))
      .describe('recipients of refused mail, most first'),
  }),
  'What this server refused: by reason, by client and by recipient (the series gives it over time).',
);
export type InboundResponse = z.infer<typeof inboundResponseSchema>;

export const flowRoutes = {
  flows: defineRoute({
    path: '/api/v1/flows',
    summary: 'Deliveries by flow (outbound, inbound), what is counted apart, and our own domains with why',
    query: z.strictObject(rangeShape),
    responses: { 200: json('Flows', flowsResponseSchema) },
  }),
  inbound: defineRoute({
    path: '/api/v1/inbound',
    summary: 'Inbound protection: what this server refused, by reason, client and recipient',
    query: z.strictObject({ ...rangeShape, limit: limitSchema(200, 20) }),
    responses: { 200: json('Inbound protection', inboundResponseSchema) },
  }),
};
