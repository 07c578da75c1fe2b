/** The report model: everything a renderer shows, computed once (also `report --format json` and /api/v1/reports). */

import { z } from 'zod';
import { countSchema, outcomeCountsSchema, ratesSchema, ratesShape } from './common.js';
import { noQuery } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

/** Counts by the design's rules. Totals: expired messages; per domain, cause or provider: their undelivered recipients. */
export type Counts = z.infer<typeof outcomeCountsSchema>;

/** An instant in the report's time zone, ISO 8601 with its offset. */
const instant = z.string();

const periodSchema = z.object({ from: instant, to: instant, label: z.string() });

const previousSchema = outcomeCountsSchema.extend({ ...ratesShape, failures: countSchema }).nullable();

const domainStatSchema = outcomeCountsSchema.extend({
  ...ratesShape,
  domain: z.string(),
  provider: z.string().nullable().describe('the provider that answered most for this domain'),
  failures: countSchema.describe('deferred + bounced + expired recipients'),
  previous: previousSchema,
});
export type DomainStat = z.infer<typeof domainStatSchema>;

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
    rejected: countSchema.describe('reject lines of this cause (this server refusing a client)'),
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
    previousTotals: outcomeCountsSchema.nullable(),
    previousRates: ratesSchema.nullable(),
    days: z.array(seriesPointSchema).describe('failures per local day'),
    domains: z.array(domainStatSchema).describe('every domain with any event, most failures first'),
    providers: z.array(providerStatSchema),
    causes: z.array(causeStatSchema).describe('every failure cause, most events first'),
    domainCauses: z.array(domainCauseSchema),
    codes: z.array(codeStatSchema).describe('failure events by code, most first'),
    changes: z.array(changeSchema).describe('domains with the largest change in failures'),
    newProblems: z.array(newProblemSchema),
    hardBounces: z.array(hardBounceSchema),
    hardBouncesTruncated: z.boolean(),
    expiredMessages: z.array(expiredMessageSchema),
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
