/** The Server view (the MTA's warnings, queue, TLS, inbound abuse, our IPs on blocklists) and the Senders view. */

import { z } from 'zod';
import { countSchema, rangeInfoSchema, tsSchema } from './common.js';
import { limitSchema, rangeShape } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

const rate = z.number().min(0).max(1).nullable();
const keyCount = z.object({ key: z.string(), count: countSchema });

export const warningGroupSchema = component(
  'WarningGroup',
  z.object({
    text: z
      .string()
      .describe('the shape: the text with addresses, IPs, host names, ids and numbers replaced'),
    severity: z.enum(['warning', 'fatal', 'panic']),
    topic: z.enum(['disk', 'tls', 'dns', 'config', 'crash', 'sasl', 'client', 'other']),
    count: countSchema,
    first: tsSchema,
    last: tsSchema,
    example: z.string().describe('the newest line of the shape, as written'),
  }),
);

const queueInfoSchema = component(
  'Queue',
  z.object({
    status: z
      .enum(['off', 'ok', 'not-permitted', 'not-installed', 'failed'])
      .describe('off: not configured; the other failures say why the command gave nothing'),
    message: z.string().nullable(),
    mta: z.enum(['postfix', 'exim']).nullable(),
    readAt: tsSchema.nullable(),
    messages: countSchema.nullable(),
    bytes: countSchema.nullable(),
    oldestAgeSeconds: countSchema.nullable(),
    deferred: countSchema.nullable(),
    held: countSchema.nullable(),
    deferredByDomain: z.array(
      z.object({ domain: z.string(), messages: countSchema, recipients: countSchema }),
    ),
  }),
);

const tlsSideSchema = z.object({
  sessions: countSchema.describe('messages received (inbound) or remote delivery attempts (outbound)'),
  tls: countSchema,
  share: rate,
  protocols: z.array(z.object({ protocol: z.string(), count: countSchema })),
  failures: z.array(keyCount).describe('failed handshakes by client IP (inbound) or server (outbound)'),
});

const tlsInfoSchema = component(
  'Tls',
  z.object({
    inbound: tlsSideSchema,
    outbound: tlsSideSchema,
    plainDomains: z
      .array(z.object({ domain: z.string(), plain: countSchema, tls: countSchema }))
      .describe('recipient domains with deliveries without TLS, most first'),
  }),
);

const blocklistResultSchema = component(
  'BlocklistResult',
  z.object({
    ip: z.string(),
    zone: z.string(),
    status: z.enum(['listed', 'clear', 'config-error', 'lookup-failed']),
    answers: z.array(z.string()),
    meanings: z.array(z.string()),
    delistUrl: z.string().nullable(),
    detail: z.string().nullable(),
    checkedAt: tsSchema,
  }),
);

const serverSchema = component(
  'Server',
  z.object({
    range: rangeInfoSchema,
    warnings: z.array(warningGroupSchema),
    queue: queueInfoSchema,
    tls: tlsInfoSchema,
    inbound: z.object({
      authFailures: countSchema,
      authByIp: z.array(keyCount),
      authByUser: z.array(keyCount),
      postscreen: z.object({
        pregreet: countSchema,
        dnsblRank: countSchema,
        hangup: countSchema,
        pipelining: countSchema,
      }),
      postscreenClients: z
        .array(keyCount)
        .describe('clients postscreen caught (PREGREET, HANGUP, PIPELINING)'),
    }),
    paniclog: z
      .object({
        status: z
          .enum(['off', 'ok', 'absent', 'not-permitted', 'failed'])
          .describe(
            'absent: no paniclog (Exim writes it with its first panic); its panics are among the warnings',
          ),
        path: z.string().nullable(),
        readAt: tsSchema.nullable(),
        message: z.string().nullable(),
      })
      .describe("Exim's paniclog, read where it is readable"),
    blocklists: z.object({
      enabled: z.boolean(),
      checkedAt: tsSchema.nullable(),
      ips: z.array(z.string()),
      results: z.array(blocklistResultSchema),
    }),
  }),
);
export type ServerResponse = z.infer<typeof serverSchema>;

export const senderSchema = component(
  'Sender',
  z.object({
    saslUser: z.string().nullable().describe('the SASL login; null when the client did not authenticate'),
    sender: z
      .string()
      .describe('the sender address (for a SASL user, one it used); a domain when grouped by domain'),
    clientIps: z.array(z.string()),
    messages: countSchema,
    recipients: countSchema,
    bytes: countSchema,
    sent: countSchema,
    deferred: countSchema,
    bounced: countSchema,
    bounceRate: rate.describe('bounced / (sent + bounced)'),
    refusalRate: rate.describe('reputation and spam refusals / (sent + bounced)'),
    unknownShare: rate.describe('failures for unknown recipients / (sent + bounced)'),
  }),
);
export type Sender = z.infer<typeof senderSchema>;

const sendersSchema = component(
  'Senders',
  z.object({
    range: rangeInfoSchema,
    by: z.enum(['submitter', 'domain', 'ip']),
    senders: z.array(senderSchema),
  }),
);
export type SendersResponse = z.infer<typeof sendersSchema>;

export const triageRoutes = {
  server: defineRoute({
    path: '/api/v1/server',
    summary: "The MTA's own health: warnings by shape, the queue, TLS, inbound abuse, our IPs on blocklists",
    query: z.strictObject({ ...rangeShape, limit: limitSchema(200, 50) }),
    responses: { 200: json('The Server view', serverSchema) },
  }),
  senders: defineRoute({
    path: '/api/v1/senders',
    summary: 'Who sends: per SASL user (else sender address), sender domain or client IP, with outcomes',
    query: z.strictObject({
      ...rangeShape,
      by: z.enum(['submitter', 'domain', 'ip']).default('submitter').describe('how to group'),
      limit: limitSchema(500, 50),
    }),
    responses: { 200: json('Senders, most messages first', sendersSchema) },
  }),
};
