// Every route of the real app, called on a database with real data (and its error answers), checked against
// the OpenAPI document the app serves: a route or an answer the document does not describe fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteAlertWriter } from '../../../db/sqlite/alert-writer.js';
import type { Db } from '../../../db/sqlite/open.js';
import { createServer, type Server as Backend } from '../../../server/compose.js';
import { parseConfig } from '../../../server/config.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { FIXTURE_NOW, fixtureDatabase } from '../report/fixture-db.js';
import { rawRequest } from './helpers.js';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface OpenApi {
  paths: Record<string, { get: Operation }>;
}

const TOKEN = 'contract-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

let dir: string;
let db: Db;
let clock = FIXTURE_NOW;
const servers: Server[] = [];
const backends: Backend[] = [];
let base: string;
let limitedBase: string;
let doc: OpenApi;
let ajv: Ajv2020;
const exercised = new Set<string>();

async function start(rateLimit: { windowMs: number; limit: number }): Promise<string> {
  const backend = createServer({
    db,
    bus: createEventBus(),
    config: parseConfig({ auth: { token: TOKEN }, health: { ingestStaleSeconds: 60 } }),
    log: silentLogger(),
    webRoot: dir,
    now: () => clock,
    following: true,
    timeZone: 'UTC',
    rateLimit,
  });
  await backend.start();
  const server = backend.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  backends.push(backend);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-contract-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bouncewatch</title>');
  db = fixtureDatabase(join(dir, 'test.db')).db;
  // One open and one resolved alert, stored as the engine stores them.
  const alerts = createSqliteAlertWriter(db);
  const evidence = {
    window: { from: FIXTURE_NOW - 3_600_000, to: FIXTURE_NOW },
    counts: { bounced: 40, sent: 60 },
    causes: [{ cause: 'recipient-unknown', count: 40, action: 'Remove the addresses.' }],
    examples: [
      { ts: FIXTURE_NOW, domain: 'example.net', provider: null, code: '5.1.1', diagnostic: '550 5.1.1 no' },
    ],
    codes: ['5.1.1'],
    action: 'Check the list that fed this send.',
  };
  const alert = {
    rule: 'bounce-spike',
    subject: 'domain example.net',
    severity: 'critical' as const,
    evidence,
  };
  await alerts.insert({
    ...alert,
    key: 'bounce-spike:domain:example.net',
    summary: 'open',
    openedAt: FIXTURE_NOW - 60_000,
  });
  const resolved = await alerts.insert({
    ...alert,
    key: 'expiries',
    summary: 'resolved',
    openedAt: FIXTURE_NOW - 7_200_000,
  });
  await alerts.resolve(resolved, FIXTURE_NOW - 3_600_000);

  base = await start({ windowMs: 60_000, limit: 100_000 });
  limitedBase = await start({ windowMs: 60_000, limit: 1 });
  const res = await fetch(`${base}/api/v1/openapi.json`, { headers: auth });
  doc = (await res.json()) as OpenApi;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'api');
});

afterAll(async () => {
  for (const b of backends) b.stop();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The documented path that `path` (no query) is an instance of, or null. */
function documented(path: string): string | null {
  for (const template of Object.keys(doc.paths)) {
    const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
    if (re.test(path)) return template;
  }
  return null;
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(template: string, status: string, type: string): ValidateFunction {
  const id = `${template} ${status} ${type}`;
  let v = validators.get(id);
  if (!v) {
    const pointer = ['paths', template, 'get', 'responses', status, 'content', type, 'schema']
      .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    v = ajv.getSchema(`api#/${pointer}`);
    if (!v) throw new Error(`no schema at ${id}`);
    validators.set(id, v);
  }
  return v;
}

/** Calls one route and checks the answer against the document; returns status and body. */
async function call(
  url: string,
  options: { base?: string; headers?: Record<string, string>; stream?: boolean } = {},
): Promise<{ status: number; body: unknown; type: string }> {
  const path = new URL(url, 'http://x').pathname;
  const template = documented(path);
  expect(template, `${path} is not in the OpenAPI document`).not.toBeNull();
  exercised.add(template!);
  const controller = new AbortController();
  const res = await fetch(`${options.base ?? base}${url}`, {
    headers: options.headers ?? auth,
    signal: controller.signal,
  });
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const operation = doc.paths[template!]!.get;
  const answer = operation.responses[String(res.status)];
  expect(answer, `${url}: status ${res.status} is not documented`).toBeDefined();
  expect(Object.keys(answer!.content ?? {}), `${url}: ${type} is not documented for ${res.status}`).toContain(
    type,
  );
  if (options.stream) {
    controller.abort();
    return { status: res.status, body: null, type };
  }
  const text = await res.text();
  if (type !== 'application/json') return { status: res.status, body: text, type };
  const body: unknown = JSON.parse(text);
  const validate = validatorFor(template!, String(res.status), type);
  expect(validate(body) ? [] : validate.errors, `${url} (${res.status}) does not match the document`).toEqual(
    [],
  );
  return { status: res.status, body, type };
}

const week = 'from=2026-11-16T00:00:00Z&to=2026-11-23T00:00:00Z';

describe('the API answers as its OpenAPI document says', () => {
  it('overview routes, on a week of real data', async () => {
    for (const path of [
      'summary',
      'series',
      'causes',
      'domains',
      'providers',
      'codes',
      'hosts',
      'host-table',
      'span',
    ]) {
      const r = await call(path === 'span' ? '/api/v1/span' : `/api/v1/${path}?${week}`);
      expect(r.status).toBe(200);
    }
    // Years of history in one chart: four-week bars from the day rollups.
    const years = (await call('/api/v1/series?from=2020-01-01T00:00:00Z&to=2026-12-01T00:00:00Z')).body;
    expect((years as { step: number }).step).toBe(28 * 86_400_000);
    const top = (await call(`/api/v1/domains?${week}&sort=bounceRate&limit=3`)).body as { rows: unknown[] };
    expect(top.rows.length).toBeGreaterThan(0);
    expect((await call('/api/v1/summary?range=30d')).status).toBe(200);
    const flows = (await call(`/api/v1/flows?${week}`)).body as { ownDomains: unknown[] };
    expect(Array.isArray(flows.ownDomains)).toBe(true);
    const inbound = (await call(`/api/v1/inbound?${week}&limit=5`)).body as { causes: { cause: string }[] };
    for (const c of inbound.causes) expect(c.cause).not.toBe('reputation-blocklist');
  });

  it('drill-downs for a domain, a provider, a cause and a code', async () => {
    for (const path of [
      'domains/outlook.com',
      'providers/microsoft',
      'causes/reputation-blocklist',
      'codes/5.1.1',
      'codes/550',
    ]) {
      const r = await call(`/api/v1/${path}?${week}`);
      expect(r.status).toBe(200);
      expect((r.body as { sampled: number }).sampled).toBeGreaterThanOrEqual(0);
    }
  });

  it('trace, reference, unparsed, reports and alerts', async () => {
    const trace = (await call('/api/v1/trace?q=old1@yahoo.com')).body as { messages: unknown[] };
    expect(trace.messages.length).toBeGreaterThan(0);
    expect((await call('/api/v1/trace?q=9C1E22A0B3&by=queue-id')).status).toBe(200);
    expect((await call('/api/v1/explain?code=5.7.26')).status).toBe(200);
    expect((await call('/api/v1/reference/causes')).status).toBe(200);
    expect((await call('/api/v1/unparsed?limit=5')).status).toBe(200);
    expect((await call('/api/v1/server?range=7d')).status).toBe(200);
    for (const by of ['submitter', 'domain', 'ip']) {
      expect((await call(`/api/v1/senders?range=7d&by=${by}`)).status).toBe(200);
    }
    expect((await call('/api/v1/delays?range=7d&by=provider')).status).toBe(200);
    expect((await call('/api/v1/delays?range=30d&by=domain&key=gmail.com')).status).toBe(200);
    const report = await call('/api/v1/reports?week=2026-W47');
    expect((report.body as { label: string }).label).toBe('2026-W47');
    for (const format of ['html', 'md', 'csv']) {
      expect((await call(`/api/v1/reports?week=2026-W47&format=${format}`)).status).toBe(200);
    }
    expect((await call('/api/v1/reports/weeks')).status).toBe(200);
    const alerts = (await call('/api/v1/alerts')).body as { open: unknown[]; recent: unknown[] };
    expect([alerts.open.length, alerts.recent.length]).toEqual([1, 1]);
    expect((await call('/api/v1/openapi.json')).status).toBe(200);
    expect((await call('/api/v1/events', { stream: true })).type).toBe('text/event-stream');
  });

  it('health, probes and metrics', async () => {
    const health = (await call('/api/v1/health')).body as { ok: boolean; schemaVersion: number };
    expect(health.ok).toBe(true);
    expect((await call('/healthz', { headers: {} })).status).toBe(200);
    expect((await call('/metrics')).type).toBe('text/plain');
  });

  it('error answers: bad and unknown parameters, unknown codes, credentials, rate limit, a stale ingest', async () => {
    expect((await call('/api/v1/summary?range=2h')).status).toBe(400);
    expect((await call('/api/v1/summary?from=2000&to=1000')).status).toBe(400);
    expect((await call('/api/v1/domains?colour=red')).status).toBe(400);
    expect((await call('/api/v1/causes/not-a-cause')).status).toBe(400);
    expect((await call('/api/v1/codes/9.9.9')).status).toBe(400);
    expect((await call('/api/v1/trace')).status).toBe(400);
    expect((await call('/api/v1/alerts?limit=0')).status).toBe(400);
    expect((await call('/api/v1/senders?by=recipient')).status).toBe(400);
    expect((await call('/api/v1/delays?by=sender')).status).toBe(400);
    expect((await call('/api/v1/reports?week=2026-W99')).status).toBe(400);
    expect((await call('/api/v1/reports/weeks?x=1')).status).toBe(400);
    expect((await call('/healthz?x=1', { headers: {} })).status).toBe(400);
    expect((await call('/api/v1/explain?code=299')).status).toBe(404);
    expect((await call('/api/v1/summary', { headers: {} })).status).toBe(401);
    expect((await call('/metrics', { headers: {} })).status).toBe(401);
    expect((await call('/api/v1/hosts', { base: limitedBase })).status).toBe(200);
    expect((await call('/api/v1/hosts', { base: limitedBase })).status).toBe(429);
    clock += 61_000; // no batch or heartbeat for longer than ingestStaleSeconds
    expect((await call('/healthz', { headers: {} })).status).toBe(503);
    const health = (await call('/api/v1/health')).body as { ok: boolean; status: string };
    expect(health).toMatchObject({ ok: false, status: 'fail' });
    clock = FIXTURE_NOW;
  });

  it("a stranger's Host is a 421, another method a 405, both in the error envelope", async () => {
    const misdirected = await rawRequest(base, '/api/v1/hosts', {
      headers: { ...auth, host: 'attacker.example' },
    });
    expect(misdirected.status).toBe(421);
    const validate = validatorFor('/api/v1/hosts', '421', 'application/json');
    expect(validate(misdirected.body) ? [] : validate.errors).toEqual([]);
    const wrongMethod = await rawRequest(base, '/api/v1/hosts', { method: 'POST', headers: auth });
    expect(wrongMethod.status).toBe(405);
    const envelope = validatorFor('/api/v1/hosts', '400', 'application/json');
    expect(envelope(wrongMethod.body) ? [] : envelope.errors).toEqual([]);
  });

  it('a store that fails is a 500 in the same envelope, and a failing probe', async () => {
    db.close();
    // A range nothing was memoised for, so the store is asked.
    const r = await call('/api/v1/summary?from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z');
    expect(r).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect((await call('/healthz', { headers: {} })).status).toBe(503);
  });

  it('every documented route was called', () => {
    expect([...exercised].sort()).toEqual(Object.keys(doc.paths).sort());
  });
});
