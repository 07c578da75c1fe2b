/** Delivery delay per recipient domain or provider: median and p95 of the time from arrival to delivery, with trend. */

import { z } from 'zod';
import { countSchema, rangeInfoSchema, tsSchema } from './common.js';
import { limitSchema, rangeShape } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

const seconds = z
  .number()
  .min(0)
  .nullable()
  .describe('seconds, read from log-scale buckets (within about 10%); null when nothing was delivered');

const delayFiguresSchema = component(
  'DelayFigures',
  z.object({
    delivered: countSchema.describe('delivered recipients whose delay the log gave'),
    p50: seconds,
    p95: seconds,
  }),
);

const delayRowSchema = component(
  'DelayRow',
  z.object({
    key: z.string().describe("the recipient domain or provider id ('' for mail no provider was named for)"),
    ...delayFiguresSchema.shape,
    previous: delayFiguresSchema.describe('the same figures over the range of equal length before'),
  }),
);

const delaysSchema = component(
  'Delays',
  z.object({
    range: rangeInfoSchema,
    by: z.enum(['domain', 'provider']),
    key: z.string().nullable().describe('the one domain or provider asked for, or null for the busiest'),
    overall: delayRowSchema.describe("every delivery of the range (or of the key's), key ''"),
    rows: z.array(delayRowSchema).describe('the busiest domains or providers, most delivered first'),
    series: z.object({
      step: z.number().int().positive().describe('ms per point'),
      points: z.array(z.object({ t: tsSchema, ...delayFiguresSchema.shape })),
    }),
  }),
);
export type DelaysResponse = z.infer<typeof delaysSchema>;

/** The report's delivery delay: every delivery, and the busiest domains and providers, each with the period before. */
export const reportDelaysSchema = component(
  'ReportDelays',
  z.object({
    overall: delayRowSchema,
    domains: z
      .array(delayRowSchema)
      .describe('the busiest recipient domains (at most 20), most delivered first'),
    providers: z.array(delayRowSchema).describe('the busiest providers (at most 20), most delivered first'),
  }),
);
export type ReportDelays = z.infer<typeof reportDelaysSchema>;
export type DelayFigures = z.infer<typeof delayFiguresSchema>;

export const delayRoutes = {
  delays: defineRoute({
    path: '/api/v1/delays',
    summary:
      'Delivery delay (median and p95 of Postfix delay= and Exim QT=) per domain or provider, with trend',
    query: z.strictObject({
      ...rangeShape,
      by: z.enum(['domain', 'provider']).default('domain').describe('how to group'),
      key: z.string().min(1).max(255).optional().describe('only this domain or provider id'),
      limit: limitSchema(200, 20),
    }),
    responses: { 200: json('Delays, busiest first', delaysSchema) },
  }),
};
