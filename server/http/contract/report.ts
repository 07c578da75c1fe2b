/** The report model: everything a renderer shows, computed once (also `report --format json` and /api/v1/reports). */

import { z } from 'zod';
import { countSchema, outcomeCountsSchema, ratesSchema, ratesShape } from './common.js';
import { noQuery } from './params.js';
import { component } from './registry.js';
import { reportDelaysSchema } from './delays.js';
import { reportSenderIpsSchema, reportSendersSchema, reportServerSchema } from './report-triage.js';
import { defineRoute, json } from './route.js';

/** Counts by the design's rules. Totals: expired messages; per domain, cause or provider: their undelivered recipients. */
export type Counts = z.infer<typeof outcomeCountsSchema>;

/** An instant in the report's time zone, ISO 8601 with its offset. */
const instant = z.string();

const periodSchema = z.object({ from: instant, to: instant, label: z.string() });

const previousSchema = outcomeCountsSchema.extend({ ...ratesShape, failures: countSchema }).nullable();

const directionSchema = z
  .enum(['inbound', 'outbound'])
  .describe(
    "inbound: the domain is one of ours (decided from the whole stored history and the config's ownDomains)",
  );

const domainStatSchema = outcomeCountsSchema.extend({
  ...ratesShape,
  domain: z.string(),
  direction: directionSchema,
  provider: z.string().nullable().describe('the provider that answered most for this domain'),
  failures: countSchema.describe('deferred + bounced + expired recipients'),
  previous: previousSchema,
});
export type DomainStat = z.infer<typeof domainStatSchema>;

const hostStatSchema = z.object({
  host: z.string().describe("the host that logged the events ('' when its log names none)"),
  sent: countSchema,
  deferred: countSchema,
  bounced: countSchema,
  expired: countSchema.describe('expired messages'),
  rejected: countSchema,
});
export type HostStat = z.infer<typeof hostStatSchema>;

const providerStatSchema = outcomeCountsSchema.extend({
  ...ratesShape,
  provider: z.string(),
  name: z.string(),
  failures: countSchema,
  domains: countSchema,
  previous: previousSchema,
});
export type ProviderStat = z.infer<typeof providerStatSchema>;

const causeExampleSchema = z.object({
  text: z.string(),
  code: z.string(),
  domain: z.string(),
  count: countSchema,
  lastSeen: instant,
});

const causeStatSchema = z
  .object({
    cause: z.string(),
    title: z.string(),
    meaning: z.string(),
    action: z.string(),
    temporary: countSchema,
    permanent: countSchema,
    deferred: countSchema,
    bounced: countSchema,
    expired: countSchema,
    local: z.boolean().describe('a fault of this server (local-disk, local-dns, local-config, local-filter)'),
    total: countSchema.describe('temporary + permanent'),
    previousTotal: countSchema.nullable(),
    topDomains: z.array(z.object({ domain: z.string(), count: countSchema })),
    examples: z.array(causeExampleSchema),
  })
  .describe(
    'delivery failures of one cause: temporary + permanent = deferred + bounced + expired recipients',
  );
export type CauseStat = z.infer<typeof causeStatSchema>;

const domainCauseSchema = outcomeCountsSchema
  .extend({ domain: z.string(), cause: z.string(), temporary: countSchema, permanent: countSchema })
  .describe("one domain x cause cell (cause '' holds the events without a failure cause: sent lines)");

const codeStatSchema = z.object({
  code: z.string(),
  count: countSchema,
  temporary: countSchema,
  permanent: countSchema,
});

const seriesPointSchema = outcomeCountsSchema.extend({
  date: z.string(),
  from: instant,
  temporary: countSchema,
  permanent: countSchema,
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

const newProblemSchema = z.object({ kind: z.enum(['cause', 'domain']), id: z.string(), count: countSchema });
export type NewProblem = z.infer<typeof newProblemSchema>;

const changeSchema = z.object({
  domain: z.string(),
  failures: countSchema,
  previousFailures: countSchema,
  delta: z.number().int(),
  bounceRate: ratesShape.bounceRate,
  previousBounceRate: ratesShape.bounceRate,
});
export type Change = z.infer<typeof changeSchema>;

const hardBounceSchema = z.object({
  address: z.string(),
  domain: z.string(),
  cause: z.string().nullable(),
  code: z.string(),
  reply: z.string(),
  bounces: countSchema,
  lastSeen: instant,
});

const expiredMessageSchema = z.object({
  host: z.string(),
  queueId: z.string(),
  sender: z.string().nullable(),
  expiredAt: instant,
  recipients: z.array(
    z.object({ recipient: z.string(), cause: z.string().nullable(), reply: z.string().nullable() }),
  ),
});
export type ExpiredMessage = z.infer<typeof expiredMessageSchema>;

const completenessSchema = z.object({
  linesRead: countSchema.nullable().describe('database-wide line counters (they carry no time)'),
  unparsed: countSchema,
  unparsedByProgram: z.array(z.object({ program: z.string(), count: countSchema })),
  unparsedShapes: z
    .array(z.object({ program: z.string(), reason: z.string(), count: countSchema }))
    .describe('shapes of unread lines first seen in this period'),
  unparsedShare: z.number().nullable(),
  dataFrom: instant.nullable(),
  dataTo: instant.nullable(),
  rawFrom: instant.nullable().describe('earliest raw row kept; details before it were trimmed by retention'),
  detailsTrimmed: z.boolean(),
});
export type Completeness = z.infer<typeof completenessSchema>;

const flowCountsSchema = z.object({
  sent: countSchema,
  deferred: countSchema,
  bounced: countSchema,
  expired: countSchema.describe('recipients still undelivered when their message expired'),
});

export const flowsSchema = component(
  'Flows',
  z.object({
    outbound: flowCountsSchema.describe('deliveries to domains that are not ours (notifications left out)'),
    inbound: flowCountsSchema.describe('deliveries to our own domains (notifications left out)'),
    notifications: countSchema.describe('non-delivery and delay notifications this server created'),
    notificationDeliveries: flowCountsSchema.describe(
      'deliveries of those notifications: in totals and domains, in neither flow',
    ),
    hops: countSchema.describe('hand-overs to a local filter that queued the message again (not deliveries)'),
    waits: countSchema.describe('Exim retry waits: nothing was tried'),
    discarded: countSchema,
    probes: countSchema.describe('address verification probes'),
    notes: countSchema.describe('reject_warning, hold and warn actions: nothing was refused'),
    local: countSchema.describe('delivery failures with a local-* cause (also in totals and causes)'),
  }),
  'What the deliveries were, by flow, and the lines counted apart from them.',
);
export type Flows = z.infer<typeof flowsSchema>;

export const ownDomainSchema = z.object({
  domain: z.string(),
  why: z.string(),
  source: z.enum(['config', 'learned']),
});

export const inboundCauseSchema = z.object({
  cause: z.string().describe('an inbound cause id (client-blocklisted, recipient-unknown-here, ...)'),
  title: z.string(),
  meaning: z.string(),
  action: z.string().describe('what the receiving side might do; never a sender-side step'),
  count: countSchema,
});

const inboundSchema = component(
  'Inbound',
  z.object({
    rejected: countSchema.describe('reject lines: this server refusing someone else\u2019s mail'),
    causes: z.array(inboundCauseSchema).describe('every inbound cause, most rejects first'),
  }),
  'What this server refused (inbound protection), never among the outbound causes.',
);
export type InboundStats = z.infer<typeof inboundSchema>;

const reportSchema = component(
  'Report',
  z.object({
    from: instant.describe('start (inclusive) of the period'),
    to: instant.describe('end (exclusive) of the period'),
    label: z.string(),
    dates: z.string().describe('the local dates covered, e.g. 2026-11-16 to 2026-11-22'),
    kind: z.enum(['week', 'custom', 'all']),
    timeZone: z.string(),
    generatedAt: instant,
    previous: periodSchema.nullable(),
    totals: outcomeCountsSchema,
    rates: ratesSchema,
    flows: flowsSchema,
    ownDomains: z.array(ownDomainSchema).describe('the domains that are ours, each with why'),
    inbound: inboundSchema,
    previousTotals: outcomeCountsSchema.nullable(),
    previousRates: ratesSchema.nullable(),
    days: z.array(seriesPointSchema).describe('failures per local day'),
    hosts: z
      .array(hostStatSchema)
      .describe('each host of the fleet (one for a single server), busiest first'),
    domains: z.array(domainStatSchema).describe('every domain with any event, most failures first'),
    providers: z.array(providerStatSchema),
    causes: z
      .array(causeStatSchema)
      .describe('every cause of delivery failures (never rejects: those are in inbound), most first'),
    domainCauses: z.array(domainCauseSchema),
    codes: z.array(codeStatSchema).describe('failure events by code, most first'),
    changes: z.array(changeSchema).describe('domains with the largest change in failures'),
    newProblems: z.array(newProblemSchema),
    hardBounces: z.array(hardBounceSchema),
    hardBouncesTruncated: z.boolean(),
    expiredMessages: z.array(expiredMessageSchema),
    senders: reportSendersSchema,
    senderIps: reportSenderIpsSchema,
    server: reportServerSchema,
    delays: reportDelaysSchema.describe(
      'delivery delay (Postfix delay=, Exim QT=) of delivered mail: median and p95 in seconds, against the previous period',
    ),
    completeness: completenessSchema,
  }),
  'The deliverability report of one period.',
);
export type Report = z.infer<typeof reportSchema>;

const reportWeeksSchema = component(
  'ReportWeeks',
  z.object({
    timeZone: z.string(),
    defaultWeek: z
      .string()
      .describe(
        'the week the page shows when none is asked for: the last full one when it holds data, else the newest that does',
      ),
    weeks: z
      .array(z.object({ week: z.string(), from: instant, to: instant }))
      .describe('the weeks that hold any event, newest first (at most 520)'),
  }),
);
export type ReportWeeksResponse = z.infer<typeof reportWeeksSchema>;

const REPORT_FORMATS = ['json', 'html', 'md', 'csv'] as const;

const reportQuery = z.strictObject({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'expected an ISO week like 2026-W47')
    .optional()
    .describe('ISO week, e.g. 2026-W47; default the last full week'),
  format: z.enum(REPORT_FORMATS).optional().default('json'),
});

export const reportRoutes = {
  report: defineRoute({
    path: '/api/v1/reports',
    summary: 'The deliverability report of one ISO week',
    query: reportQuery,
    responses: {
      200: {
        description: 'The report: json, or rendered as a self-contained page, Markdown or CSV',
        content: {
          'application/json': reportSchema,
          'text/html': null,
          'text/markdown': null,
          'text/csv': null,
        },
      },
    },
  }),
  weeks: defineRoute({
    path: '/api/v1/reports/weeks',
    summary: 'The weeks that hold data, for the week picker',
    query: noQuery,
    responses: { 200: json('Weeks, newest first', reportWeeksSchema) },
  }),
};
