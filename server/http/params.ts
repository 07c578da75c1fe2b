/** Query-string validation shared by the routes: time ranges, host filter, limits, and one error per bad field. */

import { z } from 'zod';
import { httpError } from './errors.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The longest range any endpoint accepts (rollups are kept for ever, but a chart of years is not a tool). */
export const MAX_SPAN = 400 * DAY;
export const RANGE_PRESETS = { '1h': 3_600_000, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** A moment: unix milliseconds, or an ISO 8601 date-time with an offset or Z. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const timeSchema = z
  .string()
  .max(40)
  .refine((v) => /^\d{1,15}$/.test(v) || (ISO.test(v) && !Number.isNaN(Date.parse(v))), {
    error: 'expected unix milliseconds or an ISO 8601 date-time',
  })
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v)));

/** Host names as logged: printable, no spaces, bounded. */
export const hostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\w.:-]+$/, 'expected a host name (letters, digits, . _ : -)');

export const rangeShape = {
  range: z.enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]]).optional(),
  from: timeSchema.optional(),
  to: timeSchema.optional(),
  host: hostSchema.optional(),
};

export const limitSchema = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((v) => v ?? fallback);

export const offsetSchema = z
  .string()
  .regex(/^\d{1,7}$/, 'expected a whole number')
  .transform(Number)
  .pipe(z.number().int().min(0).max(1_000_000))
  .optional()
  .transform((v) => v ?? 0);

export interface ResolvedRange {
  from: number;
  to: number;
  host: string | null;
}

/** Turns preset or from/to into an absolute range: `to` defaults to now, `from` to 24 hours before `to`. */
export function resolveRange(
  q: {
    range?: RangePreset | undefined;
    from?: number | undefined;
    to?: number | undefined;
    host?: string | undefined;
  },
  now: number,
): ResolvedRange {
  if (q.range && (q.from !== undefined || q.to !== undefined)) {
    throw httpError(400, 'invalid-range', 'give either range or from/to, not both');
  }
  const to = q.to ?? now;
  const from = q.range ? to - RANGE_PRESETS[q.range] : (q.from ?? to - DAY);
  if (to <= from) throw httpError(400, 'invalid-range', 'from must be before to');
  if (to - from < MINUTE) throw httpError(400, 'invalid-range', 'the range must be at least one minute long');
  if (to - from > MAX_SPAN) throw httpError(400, 'invalid-range', 'the range must be at most 400 days long');
  return { from, to, host: q.host ?? null };
}

/** Validates `input` (a query object or route params) against a strict schema; a 400 names the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw httpError(400, 'invalid-parameter', 'invalid request');
  if (issue.code === 'unrecognized_keys') {
    throw httpError(400, 'unknown-parameter', `unknown parameter: ${issue.keys.join(', ')}`);
  }
  const field = issue.path.map(String).join('.') || 'request';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw httpError(400, 'invalid-parameter', `${field}: ${message}`);
}
