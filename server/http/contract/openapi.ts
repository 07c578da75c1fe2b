/** The OpenAPI 3.1 document, derived from the contract's routes and schemas (served at /api/v1/openapi.json). */

import { z } from 'zod';
import { alertRoutes } from './alerts.js';
import { detailRoutes } from './detail.js';
import { healthRoutes } from './health.js';
import { liveRoutes } from './live.js';
import { flowRoutes } from './flows.js';
import { overviewRoutes } from './overview.js';
import { MAX_SPAN_YEARS, noQuery } from './params.js';
import { referenceRoutes } from './reference.js';
import { reportRoutes } from './report.js';
import { defineRoute, json, type Answer, type RouteContract } from './route.js';
import { traceRoutes } from './trace.js';
import { triageRoutes } from './triage.js';
import { delayRoutes } from './delays.js';
import { unparsedRoutes } from './unparsed.js';

type JsonSchema = Record<string, unknown>;

const openApiSchema = z
  .looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({}),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument' });

export const documentRoute = defineRoute({
  path: '/api/v1/openapi.json',
  summary: 'This document',
  query: noQuery,
  responses: { 200: json('OpenAPI 3.1', openApiSchema) },
});

/** Every route the app serves, in the order the document lists them. */
export const ROUTES: readonly RouteContract[] = [
  healthRoutes.probe,
  healthRoutes.health,
  healthRoutes.metrics,
  ...Object.values(overviewRoutes),
  ...Object.values(flowRoutes),
  ...Object.values(detailRoutes),
  ...Object.values(traceRoutes),
  ...Object.values(referenceRoutes),
  ...Object.values(unparsedRoutes),
  ...Object.values(liveRoutes),
  ...Object.values(reportRoutes),
  ...Object.values(alertRoutes),
  ...Object.values(triageRoutes),
  ...Object.values(delayRoutes),
  documentRoute,
];

const COMPONENTS = '#/components/schemas/';
const ref = (id: string): JsonSchema => ({ $ref: `${COMPONENTS}${id}` });

/** The component name of a registered schema (every JSON answer is one). */
function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id !== 'string') throw new Error('a JSON answer of the contract has no component name');
  return id;
}

/** A query or path parameter's schema as the client writes it (strings in, before any transform). */
function parameterSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out['$schema'];
  return out;
}

function parameters(route: RouteContract): JsonSchema[] {
  const list: JsonSchema[] = [];
  const add = (where: 'query' | 'path', object: z.ZodType | undefined) => {
    if (!(object instanceof z.ZodObject)) return;
    const shape: Record<string, z.ZodType> = object.shape;
    for (const [name, field] of Object.entries(shape)) {
      const schema = parameterSchema(field);
      const description = schema['description'];
      delete schema['description'];
      list.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        ...(typeof description === 'string' ? { description } : {}),
        schema,
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  return list;
}

const ERROR = { 'application/json': { schema: ref('Error') } };
const errorAnswer = (description: string) => ({ description, content: ERROR });

function answer(a: Answer): JsonSchema {
  const content: Record<string, JsonSchema> = {};
  for (const [type, schema] of Object.entries(a.content)) {
    content[type] = {
      schema:
        schema === null
          ? type === 'application/json'
            ? ref('Error')
            : { type: 'string' }
          : ref(idOf(schema)),
    };
  }
  return { description: a.description, content };
}

function operation(route: RouteContract): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, a] of Object.entries(route.responses)) responses[status] = answer(a);
  responses['400'] ??= errorAnswer('A parameter is missing, unknown or invalid');
  if (!route.open) {
    responses['401'] ??= errorAnswer('Credentials required (when configured)');
    responses['421'] ??= errorAnswer(
      'The Host header names none of the names this server answers to (loopback names and allowedHosts)',
    );
    responses['429'] ??= errorAnswer(
      'Too many requests, or too many failed logins from this client; Retry-After says when to try again',
    );
    responses['503'] ??= errorAnswer(
      'The server is answering as many requests as it can hold; Retry-After says when to try again',
    );
  }
  responses['500'] ??= errorAnswer('Internal error (details in the server log)');
  return {
    get: {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.open ? { security: [] } : {}),
      parameters: parameters(route),
      responses,
    },
  };
}

/** `/api/v1/domains/:key` as OpenAPI writes it: `/api/v1/domains/{key}`. */
const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

function build(): JsonSchema {
  const components = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'output',
    uri: (id) => `${COMPONENTS}${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(components.schemas)) {
    delete schema['$schema'];
    delete schema['$id'];
    delete schema['id'];
  }
  const paths: Record<string, JsonSchema> = {};
  for (const route of ROUTES) paths[openApiPath(route.path)] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'bouncewatch API',
      version: '1',
      description: `Delivery outcomes, failure causes and message traces from Postfix and Exim logs. Every time range is at most ${MAX_SPAN_YEARS} years. Errors answer {error: {code, message}} with a stable kebab-case code. Every path answers GET and HEAD only: another method gets 405 (method-not-allowed) with an Allow header. Charts and totals read per-minute, per-hour and per-day rollups.`,
    },
    servers: [{ url: '/' }],
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        basic: { type: 'http', scheme: 'basic' },
      },
    },
    security: [{}, { bearer: [] }, { basic: [] }],
    paths,
  };
}

let document: JsonSchema | null = null;

/** Built once, on first use. */
export function openApiDocument(): JsonSchema {
  document ??= build();
  return document;
}
