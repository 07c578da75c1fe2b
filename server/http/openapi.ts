/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. */

import { CAUSES } from '../../classify/types.js';
import { TRACE_FIELDS } from '../../db/queries/trace.js';
import { MAX_SPAN, RANGE_PRESETS } from './params.js';
import { TARGET_SORTS } from './stats.js';

type Schema = Record<string, unknown>;

const int: Schema = { type: 'integer', minimum: 0 };
const num: Schema = { type: 'number' };
const str: Schema = { type: 'string' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const obj = (properties: Record<string, Schema>): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const query = (name: string, description: string, schema: Schema, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
const path = (name: string, description: string, schema: Schema) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

const time: Schema = { type: 'string', description: 'unix milliseconds or ISO 8601 date-time' };
const rangeParams = [
  query('range', 'Preset ending now; excludes from/to.', { enum: Object.keys(RANGE_PRESETS) }),
  query('from', 'Start (inclusive); default 24 hours before `to`.', time),
  query('to', 'End (exclusive); default now.', time),
  query('host', 'Only events logged by this host.', {
    type: 'string',
    maxLength: 255,
    pattern: '^[\\w.:-]+$',
  }),
];
const limit = (max: number, def: number, name = 'limit') =>
  query(name, `At most ${max}.`, { type: 'integer', minimum: 1, maximum: max, default: def });

const errorResponses = {
  '400': { description: 'Invalid parameter', content: { 'application/json': { schema: ref('Error') } } },
  '401': {
    description: 'Credentials required (when configured)',
    content: { 'application/json': { schema: ref('Error') } },
  },
  '429': { description: 'Rate limited', content: { 'application/json': { schema: ref('Error') } } },
};
const ok = (description: string, schema: Schema) => ({
  '200': { description, content: { 'application/json': { schema } } },
  ...errorResponses,
});
const op = (summary: string, parameters: unknown[], responses: unknown, description?: string) => ({
  get: { summary, ...(description ? { description } : {}), parameters, responses },
});

const counts = obj({ sent: int, deferred: int, bounced: int, expired: int, rejected: int });
const rates = obj({
  bounceRate: { ...nullable(num), description: 'bounced / (sent + bounced)' },
  deferralRate: { ...nullable(num), description: 'deferred / (sent + deferred + bounced)' },
});
const range = obj({ from: int, to: int, host: nullable(str) });
const breakdown = arr(
  obj({
    key: str,
    title: { ...nullable(str), description: "a cause's title or a code's meaning; null for a domain" },
    count: int,
    temporary: int,
    permanent: int,
  }),
);
const traceEvent = obj({
  kind: { enum: ['attempt', 'reject'] },
  ts: int,
  program: str,
  recipient: nullable(str),
  outcome: str,
  class: str,
  cause: nullable(str),
  replyCode: nullable(int),
  enhancedStatus: nullable(str),
  dsn: nullable(str),
  stage: nullable(str),
  relayHost: nullable(str),
  relayIp: nullable(str),
  clientHost: nullable(str),
  clientIp: nullable(str),
  helo: nullable(str),
  delay: nullable(num),
  diagnostic: str,
  classConflict: nullable(str),
});

const schemas: Record<string, Schema> = {
  Error: obj({ error: obj({ code: { type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' }, message: str }) }),
  Range: range,
  OutcomeCounts: counts,
  Rates: rates,
  Summary: obj({
    range: ref('Range'),
    previous: obj({ from: int, to: int }),
    counts: ref('OutcomeCounts'),
    previousCounts: ref('OutcomeCounts'),
    rates: ref('Rates'),
    previousRates: ref('Rates'),
    change: {
      type: 'object',
      description:
        'Counts: relative change (0.25 = +25%, null when the previous period had none). Rates: change in points.',
      additionalProperties: nullable(num),
    },
    temporary: int,
    permanent: int,
  }),
  Series: obj({
    range: ref('Range'),
    step: { type: 'integer', description: 'bucket width in ms (minute, 5 minutes, hour, day or week)' },
    buckets: arr(int),
    outcomes: obj({
      sent: arr(int),
      deferred: arr(int),
      bounced: arr(int),
      expired: arr(int),
      rejected: arr(int),
    }),
    classes: obj({ temporary: arr(int), permanent: arr(int) }),
  }),
  Causes: obj({
    range: ref('Range'),
    causes: arr(
      obj({
        cause: { enum: [...CAUSES] },
        title: str,
        action: str,
        temporary: int,
        permanent: int,
        rejected: int,
        total: int,
        codes: arr(obj({ code: str, count: int })),
      }),
    ),
  }),
  Targets: obj({
    range: ref('Range'),
    sort: { enum: [...TARGET_SORTS] },
    rows: arr({
      allOf: [
        ref('OutcomeCounts'),
        ref('Rates'),
        obj({ key: str, name: nullable(str), total: int, failures: int, topCause: nullable(str) }),
      ],
    }),
  }),
  Codes: obj({
    range: ref('Range'),
    codes: arr(obj({ code: str, count: int, temporary: int, permanent: int, meaning: nullable(str) })),
  }),
  CauseInfo: obj({ cause: str, title: str, meaning: str, action: str }),
  CodeExplanation: obj({
    code: str,
    kind: { enum: ['basic', 'enhanced', 'combined', 'provider'] },
    class: nullable({ enum: ['success', 'temporary', 'permanent'] }),
    title: str,
    meaning: str,
    actions: arr(str),
    causes: arr(obj({ cause: str, title: str })),
    notes: arr(str),
    source: str,
    providerNotes: arr(obj({ provider: str, label: str, meaning: str, action: str })),
  }),
  Detail: obj({
    kind: { enum: ['domain', 'provider', 'cause', 'code'] },
    key: str,
    range: ref('Range'),
    cause: nullable(ref('CauseInfo')),
    code: nullable(ref('CodeExplanation')),
    provider: nullable(obj({ id: str, name: str, notes: arr(str) })),
    counts: ref('OutcomeCounts'),
    rates: ref('Rates'),
    series: ref('Series'),
    causes: breakdown,
    codes: breakdown,
    domains: breakdown,
    sampled: int,
    samples: arr(
      obj({
        pattern: str,
        example: str,
        count: int,
        firstTs: int,
        lastTs: int,
        codes: arr(str),
        classes: arr(str),
      }),
    ),
    addresses: arr(
      obj({
        address: str,
        count: int,
        lastTs: int,
        lastCause: nullable(str),
        lastOutcome: str,
        hardBounce: { type: 'boolean' },
      }),
    ),
  }),
  TraceEvent: traceEvent,
  Trace: obj({
    query: obj({ q: str, by: str }),
    messages: arr(
      obj({
        host: str,
        queueId: str,
        mta: nullable(str),
        sender: nullable(str),
        messageId: nullable(str),
        size: nullable(int),
        clientHost: nullable(str),
        clientIp: nullable(str),
        notificationOf: nullable(str),
        firstTs: int,
        lastTs: int,
        expiredAt: nullable(int),
        closedAt: nullable(int),
        recipients: arr(
          obj({
            recipient: str,
            finalOutcome: str,
            deferrals: int,
            firstAttemptTs: nullable(int),
            finalTs: nullable(int),
            lastCause: nullable(str),
          }),
        ),
        events: arr(ref('TraceEvent')),
      }),
    ),
    rejects: arr(ref('TraceEvent')),
  }),
  Unparsed: obj({
    linesRead: { ...int, description: 'lines read from logs in all' },
    unparsed: { ...int, description: 'lines read but not understood, in all' },
    counts: arr(obj({ program: str, count: int })),
    total: int,
    samples: arr(obj({ program: str, shape: str, reason: str, line: str, ts: nullable(int), count: int })),
  }),
  Health: obj({
    ok: { type: 'boolean' },
    now: int,
    schemaVersion: int,
    newestAttemptTs: nullable(int),
    newestRejectTs: nullable(int),
    lineStats: { type: 'object', additionalProperties: int },
    sources: arr(
      obj({
        path: str,
        offset: int,
        size: nullable(int),
        lines: int,
        complete: { type: 'boolean' },
        updatedAt: int,
      }),
    ),
  }),
};

const detailPath = (kind: string, key: Schema, description: string) =>
  op(
    `Drill-down for one ${kind}`,
    [path('key', description, key), ...rangeParams, limit(100, 20, 'samples'), limit(500, 50, 'addresses')],
    ok(
      `The ${kind}'s counts, chart series, breakdowns, grouped reply texts and affected addresses`,
      ref('Detail'),
    ),
    'Reply texts and addresses are drawn from the newest 1,000 failures in the range.',
  );

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'bouncewatch API',
    version: '1',
    description: `Delivery outcomes, failure causes and message traces from Postfix and Exim logs. Every time range is at most ${MAX_SPAN / 86_400_000} days. Errors answer {error: {code, message}} with a stable kebab-case code. Charts and totals read per-minute, per-hour and per-day rollups.`,
  },
  servers: [{ url: '/api/v1' }],
  components: {
    schemas,
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } },
  },
  security: [{}, { bearer: [] }, { basic: [] }],
  paths: {
    '/health': op('Health of the server and the store', [], ok('Store health', ref('Health'))),
    '/summary': op(
      'Counts per outcome, rates, and change against the previous period of equal length',
      rangeParams,
      ok('Summary', ref('Summary')),
    ),
    '/series': op(
      'Chart series by outcome and class',
      rangeParams,
      ok('Dense series', ref('Series')),
      'Bucket width: minute up to 3 hours, 5 minutes up to 12 hours, hour up to 8 days, day up to 120 days, else week.',
    ),
    '/causes': op(
      'Top failure causes with class split, codes and action',
      [...rangeParams, limit(100, 10)],
      ok('Causes', ref('Causes')),
    ),
    '/domains': op(
      'Recipient domains ranked by failures (or another sort)',
      [
        ...rangeParams,
        limit(200, 10),
        query('sort', 'Ranking.', { enum: [...TARGET_SORTS], default: 'failures' }),
      ],
      ok('Domains', ref('Targets')),
    ),
    '/providers': op(
      'Receiving providers ranked by failures (or another sort)',
      [
        ...rangeParams,
        limit(200, 10),
        query('sort', 'Ranking.', { enum: [...TARGET_SORTS], default: 'failures' }),
      ],
      ok('Providers', ref('Targets')),
    ),
    '/codes': op('Top failure codes', [...rangeParams, limit(100, 10)], ok('Codes', ref('Codes'))),
    '/hosts': op(
      'Hosts seen in the range (for the host filter)',
      rangeParams,
      ok('Hosts', obj({ hosts: arr(str) })),
    ),
    '/domains/{key}': detailPath('domain', { type: 'string', maxLength: 255 }, 'Recipient domain'),
    '/providers/{key}': detailPath(
      'provider',
      { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
      'Provider id',
    ),
    '/causes/{key}': detailPath('cause', { enum: [...CAUSES] }, 'Cause id'),
    '/codes/{key}': detailPath(
      'code',
      { type: 'string', pattern: '^(?:[245]\\d\\d|[245]\\.\\d{1,3}\\.\\d{1,3})$' },
      'Enhanced status (matched as logged, else dsn=) or a basic code (only events without an enhanced status)',
    ),
    '/trace': op(
      'Message trace: every attempt and reject of matching messages, in order',
      [
        query(
          'q',
          'Address, queue id or Message-ID.',
          { type: 'string', minLength: 1, maxLength: 320 },
          true,
        ),
        query('by', 'Field to search; auto guesses from the text.', {
          enum: ['auto', ...TRACE_FIELDS],
          default: 'auto',
        }),
        rangeParams[3],
        limit(50, 20),
      ],
      ok('Messages, newest first', ref('Trace')),
    ),
    '/explain': op(
      'Explain a reply code, an enhanced status, or both',
      [query('code', 'e.g. 550, 4.7.1, 550 5.7.26, S3150', { type: 'string', maxLength: 16 }, true)],
      {
        ...ok('Explanation', ref('CodeExplanation')),
        '404': { description: 'Not a known code', content: { 'application/json': { schema: ref('Error') } } },
      },
    ),
    '/reference/causes': op(
      'Every cause with its meaning and action',
      [],
      ok('Causes', obj({ causes: arr(ref('CauseInfo')) })),
    ),
    '/unparsed': op(
      'Lines read but not understood',
      [
        query('program', 'Only this program.', { type: 'string', maxLength: 100 }),
        limit(500, 50),
        query('offset', 'Skip this many samples.', {
          type: 'integer',
          minimum: 0,
          maximum: 1_000_000,
          default: 0,
        }),
      ],
      ok('Counts and samples', ref('Unparsed')),
    ),
    '/events': op('Live updates (server-sent events)', [], {
      '200': {
        description:
          'text/event-stream; one `batch` event per stored ingest batch: {attempts, rejects, newestTs, hosts}',
        content: { 'text/event-stream': { schema: str } },
      },
    }),
    '/reports': op(
      'Weekly report (served when the reports module is installed)',
      [
        query('week', 'ISO week, e.g. 2026-W47.', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }),
        query('format', 'html or json.', { enum: ['html', 'json'] }),
      ],
      {
        '200': {
          description: 'The report',
          content: { 'text/html': { schema: str }, 'application/json': { schema: { type: 'object' } } },
        },
        ...errorResponses,
      },
    ),
    '/openapi.json': op('This document', [], {
      '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
    }),
  },
} as const;

export function openApiDocument(): typeof DOCUMENT {
  return DOCUMENT;
}
