/** Shapes shared by many answers: errors, ranges, outcome counts, rates and changes. */

import { z } from 'zod';
import { component } from './registry.js';

const count = z.number().int().min(0);
export const countSchema = count;
/** Unix milliseconds. */
export const tsSchema = z.number().int();

/** @public Exported so the value counts as used: component() registers it in the OpenAPI document. */
export const errorSchema = component(
  'Error',
  z.object({
    error: z.object({
      code: z.string().regex(/^[a-z]+(-[a-z]+)*$/),
      message: z.string(),
    }),
  }),
  'Every error: a stable kebab-case code and a message for people.',
);
export type ApiError = z.infer<typeof errorSchema>;

/** Outcomes the dashboard, the reports, the alerts and the metrics count, in the order they show them. */
export const OUTCOMES = ['sent', 'deferred', 'bounced', 'expired', 'rejected'] as const;

export const classNameSchema = z.enum(['success', 'temporary', 'permanent']);
export type ClassName = z.infer<typeof classNameSchema>;

export const rangeInfoSchema = component(
  'Range',
  z.object({ from: tsSchema, to: tsSchema, host: z.string().nullable() }),
  'The absolute range answered: [from, to) in unix ms, and the host filter.',
);
export type RangeInfo = z.infer<typeof rangeInfoSchema>;

export const outcomeCountsSchema = component(
  'OutcomeCounts',
  z.object({
    sent: count,
    deferred: count,
    bounced: count,
    expired: count.describe('recipients still undelivered when their message expired'),
    rejected: count,
  }),
);
export type OutcomeCounts = z.infer<typeof outcomeCountsSchema>;

const rateShape = {
  bounceRate: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe(
      '(bounced + expired recipients) / (sent + bounced + expired recipients), over recipients everywhere; null over nothing',
    ),
  deferralRate: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('deferred / (sent + deferred + bounced); null over nothing'),
};
export const ratesSchema = component('Rates', z.object(rateShape));
export type Rates = z.infer<typeof ratesSchema>;
/** The rate fields, for shapes that carry them beside their own. */
export const ratesShape = rateShape;

const relative = z.number().nullable();
export const changeSchema = component(
  'Change',
  z.object({
    sent: relative,
    deferred: relative,
    bounced: relative,
    expired: relative,
    rejected: relative,
    bounceRate: relative,
    deferralRate: relative,
  }),
  'Counts: relative change against the previous period (0.25 = +25%; null when it had none). Rates: change in points.',
);
export type Change = z.infer<typeof changeSchema>;

export const codeCountSchema = z.object({ code: z.string(), count: count });
