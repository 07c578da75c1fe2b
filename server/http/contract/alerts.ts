/** Alerts: the open ones and those resolved recently, each with the evidence that raised it. */

import { z } from 'zod';
import { tsSchema } from './common.js';
import { component } from './registry.js';
import { defineRoute, json } from './route.js';

export const ALERT_RULES = [
  'bounce-spike',
  'reputation-blocklist',
  'authentication',
  'deferral-backlog',
  'expiries',
  'inactivity',
  'sender-spike',
  'mta-fatal',
  'disk-space',
  'queue-growth',
  'ip-listed',
  'tls-stopped',
  'host-silent',
  'log-lost',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
const alertSeveritySchema = z.enum(['warning', 'critical']);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

export const alertEvidenceSchema = component(
  'AlertEvidence',
  z.object({
    window: z.object({ from: tsSchema, to: tsSchema }),
    counts: z.record(z.string(), z.number()),
    causes: z.array(z.object({ cause: z.string(), count: z.number(), action: z.string().nullable() })),
    examples: z.array(
      z.object({
        ts: tsSchema,
        domain: z.string().nullable(),
        provider: z.string().nullable(),
        code: z.string().nullable(),
        diagnostic: z.string(),
      }),
    ),
    blocklists: z.array(z.string()).optional().describe('blocklists named in the replies'),
    codes: z.array(z.string()).optional().describe('codes named in the replies'),
    domains: z
      .array(z.object({ domain: z.string(), count: z.number() }))
      .optional()
      .describe('the busiest domains behind the alert'),
    senders: z
      .array(z.object({ sender: z.string(), clientIps: z.array(z.string()), count: z.number() }))
      .optional()
      .describe('the submitters (SASL user, else sender address) behind the alert'),
    delistUrl: z.string().optional().describe('where to ask the list for removal'),
    action: z.string(),
  }),
  'What an alert shows as proof: counts, the replies behind it, and what to do.',
);
export type AlertEvidence = z.infer<typeof alertEvidenceSchema>;

const alertItemSchema = component(
  'Alert',
  z.object({
    id: z.number().int(),
    key: z.string(),
    rule: z.string(),
    subject: z.string(),
    severity: alertSeveritySchema,
    state: z.enum(['open', 'resolved']),
    summary: z.string(),
    evidence: alertEvidenceSchema,
    openedAt: tsSchema,
    updatedAt: tsSchema,
    resolvedAt: tsSchema.nullable(),
    notifiedAt: tsSchema.nullable(),
  }),
);
export type AlertItem = z.infer<typeof alertItemSchema>;

const alertsSchema = component(
  'Alerts',
  z.object({ now: tsSchema, open: z.array(alertItemSchema), recent: z.array(alertItemSchema) }),
);
export type AlertsResponse = z.infer<typeof alertsSchema>;

const whole = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback)
    .describe(`${min} to ${max}; default ${fallback}`);

const alertsQuery = z.strictObject({
  state: z.enum(['open', 'resolved', 'all']).default('all').describe('which lists to fill'),
  hours: whole(1, 2_160, 168).describe(
    'how far back "recent" reaches, in hours (up to 90 days; default 168)',
  ),
  limit: whole(1, 500, 100),
});

export const alertRoutes = {
  alerts: defineRoute({
    path: '/api/v1/alerts',
    summary: 'Open alerts and those resolved recently, with their evidence',
    query: alertsQuery,
    responses: { 200: json('Alerts, newest first', alertsSchema) },
  }),
};
