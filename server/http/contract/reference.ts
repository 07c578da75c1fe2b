/** The knowledge base over HTTP: what a reply code means, and every cause with its meaning and action. */

import { z } from 'zod';
import { classNameSchema } from './common.js';
import { noQuery } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

export const causeInfoSchema = component(
  'CauseInfo',
  z.object({ cause: z.string(), title: z.string(), meaning: z.string(), action: z.string() }),
);
export type CauseInfoBody = z.infer<typeof causeInfoSchema>;

export const codeExplanationSchema = component(
  'CodeExplanation',
  z.object({
    code: z
      .string()
      .describe('the code as understood: 550, 5.7.26, X.7.26, 550 5.7.1, or a provider code such as S3150'),
    kind: z.enum(['basic', 'enhanced', 'combined', 'provider']),
    class: classNameSchema.nullable().describe('null for an X. form, whose class is not given'),
    title: z.string(),
    meaning: z.string(),
    actions: z.array(z.string()).describe('what to do, most specific first'),
    causes: z
      .array(z.object({ cause: z.string(), title: z.string() }))
      .describe('causes this code usually means, most likely first'),
    notes: z.array(z.string()).describe('class and subject notes'),
    source: z.string().describe('where the definition comes from (RFC 5321, RFC 3463, customary ...)'),
    providerNotes: z
      .array(
        z.object({
          provider: z.string(),
          label: z.string(),
          meaning: z.string(),
          action: z.string(),
          cause: z
            .object({ cause: z.string(), title: z.string() })
            .nullable()
            .describe('the cause the classifier gives this use of the code'),
          source: z.string().describe("the provider's page this use is documented on"),
        }),
      )
      .describe('how large providers use the same code, from the provider catalogue'),
  }),
);
export type CodeExplanation = z.infer<typeof codeExplanationSchema>;

export const providerInfoSchema = component(
  'ProviderInfo',
  z.object({
    id: z.string(),
    name: z.string(),
    url: z.string().nullable().describe("the provider's postmaster or sender help page"),
  }),
);
export type ProviderInfoBody = z.infer<typeof providerInfoSchema>;

const causesReferenceSchema = component('CausesReference', z.object({ causes: z.array(causeInfoSchema) }));
export type CausesReferenceResponse = z.infer<typeof causesReferenceSchema>;

const explainQuery = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1, 'enter a reply code such as 550 or 5.7.1')
    .max(16)
    .regex(
      /^(?:[2-5]\d\d|[245x]\.\d{1,3}\.\d{1,3}|[2-5]\d\d[ -]+[245x]\.\d{1,3}\.\d{1,3}|[a-z]{1,4}\d{2,6})$/i,
      'expected a basic code (550), an enhanced status (5.7.1), both (550 5.7.1) or a provider code (S3150)',
    )
    .describe('e.g. 550, 4.7.1, 550 5.7.26, S3150'),
});

export const referenceRoutes = {
  explain: defineRoute({
    path: '/api/v1/explain',
    summary: 'Explain a reply code, an enhanced status, both, or a provider code',
    query: explainQuery,
    responses: {
      200: json('Explanation', codeExplanationSchema),
      404: { description: 'Not a known code', content: { 'application/json': null } },
    },
  }),
  causes: defineRoute({
    path: '/api/v1/reference/causes',
    summary: 'Every cause with its meaning and action',
    query: noQuery,
    responses: { 200: json('Causes', causesReferenceSchema) },
  }),
};
