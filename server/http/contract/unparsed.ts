/** Lines read but not understood: per-program counts and a sample of each distinct shape. */

import { z } from 'zod';
import { countSchema, tsSchema } from './common.js';
import { limitSchema, offsetSchema } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

const unparsedSchema = component(
  'Unparsed',
  z.object({
    linesRead: countSchema.describe('lines read from logs in all'),
    unparsed: countSchema.describe('lines read but not understood, in all'),
    counts: z.array(z.object({ program: z.string(), count: countSchema })),
    total: countSchema.describe('samples that match the filter'),
    samples: z.array(
      z.object({
        program: z.string(),
        shape: z.string(),
        reason: z.string(),
        line: z.string(),
        ts: tsSchema.nullable(),
        count: countSchema,
      }),
    ),
  }),
);
export type UnparsedResponse = z.infer<typeof unparsedSchema>;

const unparsedQuery = z.strictObject({
  program: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w./-]+$/, 'expected a program name such as postfix/smtp')
    .optional()
    .describe('only this program'),
  limit: limitSchema(500, 50),
  offset: offsetSchema,
});

export const unparsedRoutes = {
  unparsed: defineRoute({
    path: '/api/v1/unparsed',
    summary: 'Lines read but not understood',
    query: unparsedQuery,
    responses: { 200: json('Counts and samples, most frequent shape first', unparsedSchema) },
  }),
};
