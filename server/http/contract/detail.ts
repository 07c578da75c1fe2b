/** Drill-down: one domain, provider, cause or code, with its chart, breakdowns, reply texts and addresses. */

import { z } from 'zod';
import type { DetailKind } from '../../../db/store/reader.js';
import {
  classNameSchema,
  countSchema,
  outcomeCountsSchema,
  rangeInfoSchema,
  ratesSchema,
  tsSchema,
} from './common.js';
import { seriesSchema } from './overview.js';
import { limitSchema, rangeShape } from './params.js';
import { causeInfoSchema, codeExplanationSchema, providerInfoSchema } from './reference.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

/** What a drill-down can be about. */
export const DETAIL_KINDS = ['domain', 'provider', 'cause', 'code'] as const satisfies readonly DetailKind[];
export type { DetailKind };

const breakdownRowSchema = z.object({
  key: z.string(),
  title: z
    .string()
    .nullable()
    .describe("what the key means: a cause's title or a code's meaning; null for a domain"),
  count: countSchema,
  temporary: countSchema,
  permanent: countSchema,
  help: z
    .string()
    .nullable()
    .describe("on a provider's page, the provider's help page that fits this cause; null elsewhere"),
});
export type BreakdownRow = z.infer<typeof breakdownRowSchema>;

const diagnosticGroupSchema = z.object({
  pattern: z
    .string()
    .describe('the reply text with addresses, ids and numbers masked: what the group shares'),
  example: z.string().describe('one real text of the group, as logged'),
  count: countSchema,
  firstTs: tsSchema,
  lastTs: tsSchema,
  codes: z.array(z.string()),
  classes: z.array(classNameSchema),
});
export type DiagnosticGroup = z.infer<typeof diagnosticGroupSchema>;

const affectedAddressSchema = z.object({
  address: z.string(),
  count: countSchema,
  lastTs: tsSchema,
  lastCause: z.string().nullable(),
  lastCauseTitle: z.string().nullable().describe("the last cause's title"),
  lastOutcome: z.string(),
  hardBounce: z.boolean(),
});
export type AffectedAddress = z.infer<typeof affectedAddressSchema>;

const detailSchema = component(
  'Detail',
  z.object({
    kind: z.enum(DETAIL_KINDS),
    key: z.string(),
    range: rangeInfoSchema,
    cause: causeInfoSchema.nullable(),
    code: codeExplanationSchema.nullable(),
    provider: providerInfoSchema.nullable(),
    counts: outcomeCountsSchema,
    rates: ratesSchema,
    series: seriesSchema,
    causes: z.array(breakdownRowSchema),
    codes: z.array(breakdownRowSchema),
    domains: z.array(breakdownRowSchema),
    sampled: countSchema.describe(
      'how many of the newest failures the samples and addresses were drawn from',
    ),
    samples: z.array(diagnosticGroupSchema),
    addresses: z.array(affectedAddressSchema),
  }),
);
export type DetailResponse = z.infer<typeof detailSchema>;

/** Keys as they may appear in a URL; anything else is a 400 before a query sees it. */
const KEY_SCHEMAS: Record<DetailKind, z.ZodType<string, string>> = {
  domain: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\s\p{Cc}]+$/u, 'expected a domain name')
    .transform((d) => d.toLowerCase())
    .describe('recipient domain'),
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a provider id (lower-case letters, digits, -)')
    .describe('provider id'),
  // The service answers an id the classifier does not know with the list of those it does.
  cause: z
    .string()
    .regex(/^[a-z]+(?:-[a-z]+)*$/, 'expected a cause id such as recipient-unknown')
    .describe('cause id (GET /api/v1/reference/causes lists them)'),
  code: z
    .string()
    .regex(/^(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})$/, 'expected a reply code such as 550 or 5.7.1')
    .describe(
      'enhanced status (matched as logged, else dsn=) or a basic code (only events without an enhanced status)',
    ),
};

const detailQuery = z.strictObject({
  ...rangeShape,
  samples: limitSchema(100, 20),
  addresses: limitSchema(500, 50),
});

const PATHS: Record<DetailKind, string> = {
  domain: 'domains',
  provider: 'providers',
  cause: 'causes',
  code: 'codes',
};

const detailRoute = (kind: DetailKind) =>
  defineRoute({
    path: `/api/v1/${PATHS[kind]}/:key`,
    summary: `Drill-down for one ${kind}`,
    description: 'Reply texts and addresses are drawn from the newest 1,000 failures in the range.',
    query: detailQuery,
    params: z.strictObject({ key: KEY_SCHEMAS[kind] }),
    responses: {
      200: json(
        `The ${kind}'s counts, chart, breakdowns, grouped reply texts and affected addresses`,
        detailSchema,
      ),
    },
  });

export const detailRoutes: Record<DetailKind, ReturnType<typeof detailRoute>> = {
  domain: detailRoute('domain'),
  provider: detailRoute('provider'),
  cause: detailRoute('cause'),
  code: detailRoute('code'),
};
