/** Request parameters shared by the routes: moments, ranges, host filter, limits and offsets, as query strings. */

import { z } from 'zod';

const DAY = 86_400_000;
/** The longest range any endpoint accepts: years of history are read from the day rollups, in week-long bars. */
export const MAX_SPAN_YEARS = 20;
export const MAX_SPAN = Math.round(MAX_SPAN_YEARS * 365.25) * DAY;
export const RANGE_PRESETS = { '1h': 3_600_000, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** A moment: unix milliseconds, or an ISO 8601 date-time with an offset or Z. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const timeSchema = z
  .string()
  .max(40)
  .refine((v) => /^\d{1,15}$/.test(v) || (ISO.test(v) && !Number.isNaN(Date.parse(v))), {
    error: 'expected unix milliseconds or an ISO 8601 date-time',
  })
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v)))
  .describe('unix milliseconds or an ISO 8601 date-time');

/** Host names as logged: printable, no spaces, bounded. */
export const hostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\w.:-]+$/, 'expected a host name (letters, digits, . _ : -)')
  .describe('only events logged by this host');

export const rangeShape = {
  range: z
    .enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]])
    .optional()
    .describe('a preset ending now; excludes from and to'),
  from: timeSchema.optional().describe('start (inclusive); default 24 hours before `to`'),
  to: timeSchema.optional().describe('end (exclusive); default now'),
  host: hostSchema.optional(),
};

/** A whole number from 1 to `max` as a query string, `fallback` when absent. */
export const limitSchema = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((v) => v ?? fallback)
    .describe(`at most ${max}; default ${fallback}`);

export const offsetSchema = z
  .string()
  .regex(/^\d{1,7}$/, 'expected a whole number')
  .transform(Number)
  .pipe(z.number().int().min(0).max(1_000_000))
  .optional()
  .transform((v) => v ?? 0)
  .describe('skip this many; default 0');

/** A query that takes no parameters (an unknown one is a 400, never ignored). */
export const noQuery = z.strictObject({});
