/** Message trace: every attempt and reject of the messages a search finds, in order. */

import { z } from 'zod';
import type { TraceField } from '../../../db/store/reader.js';
import { countSchema, tsSchema } from './common.js';
import { hostSchema, limitSchema, offsetSchema } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

/** Fields a trace can search (the store answers each). */
const TRACE_FIELDS = [
  'recipient',
  'sender',
  'queue-id',
  'message-id',
] as const satisfies readonly TraceField[];

const traceEventSchema = component(
  'TraceEvent',
  z.object({
    kind: z.enum(['attempt', 'reject']),
    ts: tsSchema,
    queueId: z
      .string()
      .nullable()
      .describe('the queue id the line was logged under (a life through a content filter has several)'),
    hop: z
      .boolean()
      .describe('a hand-over to a content filter or other local service that queued the message again'),
    program: z.string(),
    recipient: z.string().nullable(),
    outcome: z.string(),
    class: z.string(),
    cause: z.string().nullable(),
    causeTitle: z.string().nullable().describe("the cause's title, as the cause's page is headed"),
    replyCode: z.number().int().nullable(),
    enhancedStatus: z.string().nullable(),
    dsn: z.string().nullable(),
    stage: z.string().nullable(),
    relayHost: z.string().nullable(),
    relayIp: z.string().nullable(),
    clientHost: z.string().nullable(),
    clientIp: z.string().nullable(),
    helo: z.string().nullable(),
    delay: z.number().nullable(),
    diagnostic: z.string(),
    classConflict: z.string().nullable(),
  }),
);
export type TraceEvent = z.infer<typeof traceEventSchema>;

const traceRecipientSchema = z.object({
  recipient: z.string(),
  finalOutcome: z.string(),
  deferrals: countSchema,
  firstAttemptTs: tsSchema.nullable(),
  finalTs: tsSchema.nullable(),
  lastCause: z.string().nullable(),
});

const messageTraceSchema = z.object({
  host: z.string(),
  queueId: z.string().describe('the queue id the message first had'),
  queueIds: z
    .array(z.string())
    .describe('every queue id of this one life, in order: each hop to a content filter re-queues it'),
  mta: z.string().nullable(),
  sender: z.string().nullable(),
  messageId: z.string().nullable(),
  size: z.number().int().nullable(),
  clientHost: z.string().nullable(),
  clientIp: z.string().nullable(),
  notificationOf: z.string().nullable(),
  firstTs: tsSchema,
  lastTs: tsSchema,
  expiredAt: tsSchema.nullable(),
  closedAt: tsSchema.nullable(),
  recipients: z
    .array(traceRecipientSchema)
    .describe(
      'final outcome per recipient, from correlation (empty when ingest did not correlate this message)',
    ),
  events: z.array(traceEventSchema),
});
export type MessageTrace = z.infer<typeof messageTraceSchema>;

const traceSchema = component(
  'Trace',
  z.object({
    query: z.object({ q: z.string(), by: z.string() }),
    total: countSchema.describe('messages (queue ids) the search finds in all'),
    offset: countSchema.describe('messages skipped before this page'),
    limit: countSchema.describe('messages per page'),
    scanned: countSchema.describe(
      'queue ids this page covered (the next page starts at offset + scanned); fewer messages when hops joined lives',
    ),
    messages: z
      .array(messageTraceSchema)
      .describe('this page, newest first (a reused queue id may add a life of its own)'),
    rejects: z
      .array(traceEventSchema)
      .describe('rejects before queueing (no queue id) that match the search'),
  }),
);
export type TraceResponse = z.infer<typeof traceSchema>;

const traceQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, 'enter an address, queue id or Message-ID')
    .max(320)
    .regex(/^[^\s\p{Cc}]+$/u, 'must be a single word without spaces')
    .describe('address, queue id or Message-ID'),
  by: z
    .enum(['auto', ...TRACE_FIELDS])
    .optional()
    .default('auto')
    .describe('the field to search; auto guesses it from the text'),
  host: hostSchema.optional(),
  limit: limitSchema(50, 20),
  offset: offsetSchema,
});

export const traceRoutes = {
  trace: defineRoute({
    path: '/api/v1/trace',
    summary: 'Message trace: every attempt and reject of matching messages, in order',
    query: traceQuery,
    responses: { 200: json('Messages, newest first', traceSchema) },
  }),
};
