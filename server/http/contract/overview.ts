/** The overview's answers: summary, chart series, top causes, domains, providers and codes, hosts. */

import { z } from 'zod';
import {
  changeSchema,
  codeCountSchema,
  countSchema,
  outcomeCountsSchema,
  rangeInfoSchema,
  ratesSchema,
  ratesShape,
  tsSchema,
} from './common.js';
import { limitSchema, noQuery, rangeShape } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

const rangeQuery = z.strictObject(rangeShape);
const listQuery = z.strictObject({ ...rangeShape, limit: limitSchema(100, 10) });

const TARGET_SORTS = [
  'failures',
  'bounced',
  'deferred',
  'rejected',
  'bounceRate',
  'deferralRate',
  'total',
] as const;
export type TargetSort = (typeof TARGET_SORTS)[number];

const targetQuery = z.strictObject({
  ...rangeShape,
  limit: limitSchema(200, 10),
  sort: z.enum(TARGET_SORTS).optional().default('failures').describe('ranking; default failures'),
});

const summarySchema = component(
  'Summary',
  z.object({
    range: rangeInfoSchema,
    previous: z.object({ from: tsSchema, to: tsSchema }),
    counts: outcomeCountsSchema,
    previousCounts: outcomeCountsSchema,
    rates: ratesSchema,
    previousRates: ratesSchema,
    change: changeSchema,
    temporary: countSchema.describe('failed deliveries by class: deferrals and 4xx'),
    permanent: countSchema.describe('failed deliveries by class: bounces and 5xx'),
  }),
);
export type SummaryResponse = z.infer<typeof summarySchema>;

const column = z.array(countSchema);
export const seriesSchema = component(
  'Series',
  z.object({
    range: rangeInfoSchema,
    step: z
      .number()
      .int()
      .positive()
      .describe(
        'bucket width in ms: minute up to 3 hours, 5 minutes up to 12 hours, hour up to 8 days, day up to 120 days, week (from Monday) up to 3 years, else four weeks',
      ),
    buckets: z.array(tsSchema).describe('start of each bucket'),
    outcomes: z.object({
      sent: column,
      deferred: column,
      bounced: column,
      expired: column,
      rejected: column,
    }),
    classes: z
      .object({ temporary: column, permanent: column })
      .describe('failed delivery attempts by class (rejects are inbound and not in these)'),
  }),
);
export type SeriesResponse = z.infer<typeof seriesSchema>;

const causeRowSchema = z.object({
  cause: z.string().describe('a cause id (outbound or inbound)'),
  title: z.string(),
  action: z.string(),
  temporary: countSchema,
  permanent: countSchema,
  rejected: countSchema,
  total: countSchema,
  codes: z.array(codeCountSchema).describe('the five most frequent codes'),
});
export type CauseRow = z.infer<typeof causeRowSchema>;

const causesSchema = component(
  'Causes',
  z.object({ range: rangeInfoSchema, causes: z.array(causeRowSchema) }),
);
export type CausesResponse = z.infer<typeof causesSchema>;

const targetRowSchema = outcomeCountsSchema.extend({
  ...ratesShape,
  key: z.string().describe('domain name or provider id'),
  name: z.string().nullable().describe("the provider's display name; null for a domain"),
  total: countSchema,
  failures: countSchema.describe('deferred + bounced + expired (rejects are inbound and not counted)'),
  topCause: z.string().nullable(),
});
export type TargetRow = z.infer<typeof targetRowSchema>;

const targetsSchema = component(
  'Targets',
  z.object({ range: rangeInfoSchema, sort: z.enum(TARGET_SORTS), rows: z.array(targetRowSchema) }),
);
export type TargetsResponse = z.infer<typeof targetsSchema>;

const codeRowSchema = codeCountSchema.extend({
  temporary: countSchema,
  permanent: countSchema,
  meaning: z.string().nullable(),
});
export type CodeRow = z.infer<typeof codeRowSchema>;

const codesSchema = component('Codes', z.object({ range: rangeInfoSchema, codes: z.array(codeRowSchema) }));
export type CodesResponse = z.infer<typeof codesSchema>;

const dataSpanSchema = component(
  'DataSpan',
  z.object({
    span: z
      .object({ from: tsSchema, to: tsSchema })
      .nullable()
      .describe('the hours the stored counts cover, [from, to); null when nothing is stored'),
    newestTs: tsSchema.nullable().describe('the newest stored delivery attempt or reject'),
  }),
  'Where the stored data is, so a view of an empty range can offer to go there.',
);
export type DataSpanResponse = z.infer<typeof dataSpanSchema>;

const hostsSchema = component('Hosts', z.object({ hosts: z.array(z.string()) }));
export type HostsResponse = z.infer<typeof hostsSchema>;

const hostRowSchema = outcomeCountsSchema.extend({
  ...ratesShape,
  host: z.string(),
  total: countSchema,
  failures: countSchema.describe('deferred + bounced + expired'),
  silentSince: tsSchema
    .nullable()
    .describe('the host stopped delivering (an open host-silent alert): its last delivery; else null'),
});
export type HostRow = z.infer<typeof hostRowSchema>;

const hostTableSchema = component(
  'HostTable',
  z.object({ range: rangeInfoSchema, rows: z.array(hostRowSchema) }),
  'Each host of the store with its counts in the range, and whether it stopped sending.',
);
export type HostTableResponse = z.infer<typeof hostTableSchema>;

export const overviewRoutes = {
  summary: defineRoute({
    path: '/api/v1/summary',
    summary: 'Counts per outcome, rates, and change against the previous period of equal length',
    query: rangeQuery,
    responses: { 200: json('Summary', summarySchema) },
  }),
  series: defineRoute({
    path: '/api/v1/series',
    summary: 'Chart series by outcome and class',
    query: rangeQuery,
    responses: {
      200: json('Dense series: every bucket of the range, zero where nothing happened', seriesSchema),
    },
  }),
  causes: defineRoute({
    path: '/api/v1/causes',
    summary: 'Top failure causes with class split, codes and action',
    query: listQuery,
    responses: { 200: json('Causes, most failures first', causesSchema) },
  }),
  domains: defineRoute({
    path: '/api/v1/domains',
    summary: 'Recipient domains ranked by failures (or another sort)',
    query: targetQuery,
    responses: { 200: json('Domains', targetsSchema) },
  }),
  providers: defineRoute({
    path: '/api/v1/providers',
    summary: 'Receiving providers ranked by failures (or another sort)',
    query: targetQuery,
    responses: { 200: json('Providers', targetsSchema) },
  }),
  codes: defineRoute({
    path: '/api/v1/codes',
    summary: 'Top failure codes',
    query: listQuery,
    responses: { 200: json('Codes, most failures first', codesSchema) },
  }),
  span: defineRoute({
    path: '/api/v1/span',
    summary: 'The time span the stored data covers (all hosts)',
    query: noQuery,
    responses: { 200: json('The span, or nulls on an empty store', dataSpanSchema) },
  }),
  hostTable: defineRoute({
    path: '/api/v1/host-table',
    summary: 'Per-host counts and rates, busiest first, and the hosts that stopped sending',
    query: rangeQuery,
    responses: { 200: json('Hosts with their counts', hostTableSchema) },
  }),
  hosts: defineRoute({
    path: '/api/v1/hosts',
    summary: 'Hosts seen in the range (for the host filter)',
    query: rangeQuery,
    responses: { 200: json('Hosts', hostsSchema) },
  }),
};
