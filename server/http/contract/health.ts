/** How the server itself is doing: one health model for probes (/healthz) and the dashboard, and the metrics. */

import { z } from 'zod';
import { countSchema, tsSchema } from './common.js';
import { noQuery } from './params.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

const healthSchema = component(
  'Health',
  z.object({
    status: z.enum(['ok', 'fail']),
    ok: z
      .boolean()
      .describe(
        'status is ok: ingest alive (when following), the database takes writes, and a fleet\u2019s agents report',
      ),
    now: tsSchema,
    checks: z.object({
      ingest: z.object({
        ok: z.boolean(),
        following: z.boolean().describe('whether this process reads logs (run, follow); serve does not'),
        lastSeenAt: z.string().nullable().describe('when ingest last stored a batch or said it was alive'),
        ageSeconds: z.number().int().min(0).nullable(),
        staleAfterSeconds: z.number().int().min(0),
        error: z
          .string()
          .optional()
          .describe(
            'why the last round of following failed (a full disk, a damaged database), until one succeeds',
          ),
      }),
      database: z.object({ ok: z.boolean(), error: z.string().optional() }),
      agents: z
        .object({
          ok: z.boolean().describe('every agent reported within staleAfterSeconds'),
          staleAfterSeconds: z.number().int().min(0),
          hosts: z.array(
            z.object({
              host: z.string(),
              ok: z.boolean(),
              reportedAt: tsSchema,
              ageSeconds: z
                .number()
                .int()
                .min(0)
                .describe('since its last report: it grows while the agent cannot reach the store'),
              lagBytes: countSchema.describe('bytes of its logs not read yet'),
              lagSeconds: z
                .number()
                .int()
                .min(0)
                .nullable()
                .describe('now minus the time of the newest line it stored'),
              waitedSince: tsSchema.nullable().describe('start of the last time it waited for the store'),
              waitedSeconds: z.number().int().min(0),
            }),
          ),
        })
        .optional()
        .describe('the agents of a fleet (a PostgreSQL store), each by its last report of itself'),
      indexes: z
        .object({ ok: z.boolean(), missing: countSchema })
        .describe(
          'indexes an interrupted bulk import set aside: until the next writer (or serve) builds them, reports and drill-downs are slow; not a failure',
        ),
    }),
    schemaVersion: z.number().int().nullable().describe('null when the database cannot be read'),
    newestAttemptTs: tsSchema.nullable(),
    newestRejectTs: tsSchema.nullable(),
    lineStats: z.record(z.string(), countSchema),
    sources: z.array(
      z.object({
        path: z.string(),
        offset: countSchema,
        size: countSchema.nullable(),
        lines: countSchema,
        complete: z.boolean(),
        updatedAt: tsSchema,
      }),
    ),
    indexesMissing: countSchema,
  }),
);
export type HealthResponse = z.infer<typeof healthSchema>;

export const healthRoutes = {
  probe: defineRoute({
    path: '/healthz',
    summary: 'Health for probes: 200 when ok, 503 when a check fails',
    description: 'Open without credentials and never rate limited, so a probe can always ask.',
    query: noQuery,
    open: true,
    responses: {
      200: json('Every check passes', healthSchema),
      503: json('A check fails', healthSchema),
    },
  }),
  health: defineRoute({
    path: '/api/v1/health',
    summary: 'Health for the dashboard: the same model as /healthz, always 200',
    query: noQuery,
    responses: { 200: json('Health', healthSchema) },
  }),
  metrics: defineRoute({
    path: '/metrics',
    summary: 'Prometheus metrics (when metrics are enabled)',
    query: noQuery,
    responses: {
      200: { description: 'Prometheus text exposition format', content: { 'text/plain': null } },
      404: {
        description: 'Metrics are disabled in the configuration',
        content: { 'application/json': null },
      },
    },
  }),
};
