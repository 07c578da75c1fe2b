// Strangers at the door: DNS rebinding (Host), password guessing, floods, held streams, other methods, the source map.
import { readFileSync } from 'node:fs';
import { get as httpGet, type ClientRequest } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../server/http/contract/common.js';
import { createStreamLimit } from '../../../server/http/stream-limit.js';
import { createLogger } from '../../../server/log.js';
import { startTestServer, type TestServer } from './helpers.js';
import { waitFor } from '../../e2e/follow/helpers.js';

const codeOf = (body: unknown) => (body as ApiError).error.code;
const TOKEN = 'a-very-long-secret-token-1234';
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('Host check (DNS rebinding)', () => {
  let local: TestServer;
  let listed: TestServer;
  let wide: TestServer;
  let wideListed: TestServer;
  beforeAll(async () => {
    local = await startTestServer();
    listed = await startTestServer({ config: { allowedHosts: ['dash.example.org', '.corp.example'] } });
    wide = await startTestServer({ config: { bind: '0.0.0.0', auth: { token: TOKEN } } });
    wideListed = await startTestServer({
      config: { bind: '0.0.0.0', auth: { token: TOKEN }, allowedHosts: ['dash.example.org'] },
    });
  });
  afterAll(async () => {
    for (const s of [local, listed, wide, wideListed]) await s.close();
  });

  it("on loopback, a stranger's name gets 421 and no addresses", async () => {
    for (const path of ['/api/v1/domains', '/', '/metrics', '/api/v1/events']) {
      const r = await local.request(path, { headers: { host: 'attacker.example:8550' } });
      expect(r.status, path).toBe(421);
      expect(codeOf(r.body)).toBe('unknown-host');
    }
  });

  it('on loopback, loopback names are served', async () => {
    for (const host of [
      'localhost:8550',
      'LOCALHOST',
      'app.localhost:8550',
      '127.0.0.1:8550',
      '127.3.4.5',
      '[::1]:8550',
    ]) {
      expect((await local.request('/api/v1/hosts', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('/healthz answers whatever the Host', async () => {
    expect((await local.request('/healthz', { headers: { host: 'attacker.example' } })).status).toBe(200);
  });

  it('allowedHosts adds names, and a leading dot adds a domain with its subdomains', async () => {
    const status = async (host: string) =>
      (await listed.request('/api/v1/hosts', { headers: { host } })).status;
    expect(await status('dash.example.org')).toBe(200);
    expect(await status('Dash.Example.Org.:443')).toBe(200);
    expect(await status('corp.example')).toBe(200);
    expect(await status('a.b.corp.example')).toBe(200);
    expect(await status('localhost')).toBe(200);
    expect(await status('evilcorp.example')).toBe(421);
    expect(await status('dash.example.org.evil.example')).toBe(421);
  });

  it('beyond loopback with credentials: any Host, unless allowedHosts is set', async () => {
    const headers = { ...bearer, host: 'mail-stats.example.net' };
    expect((await wide.request('/api/v1/hosts', { headers })).status).toBe(200);
    expect((await wideListed.request('/api/v1/hosts', { headers })).status).toBe(421);
    expect(
      (await wideListed.request('/api/v1/hosts', { headers: { ...bearer, host: 'dash.example.org' } }))
        .status,
    ).toBe(200);
  });
});

describe('failed logins', () => {
  let s: TestServer;
  let logged = '';
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged += chunk.toString('utf8');
        cb();
      },
    });
    s = await startTestServer({
      config: { bind: '0.0.0.0', auth: { token: TOKEN }, trustedProxies: ['127.0.0.1'] },
      log: createLogger({ level: 'info', destination }),
    });
  });
  afterAll(() => s.close());
  const from = (client: string, authorization?: string) => ({
    headers: { 'x-forwarded-for': client, ...(authorization ? { authorization } : {}) },
  });

  it('are free five times, then the client must wait, with 429 and Retry-After, even with the right token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await s.request('/api/v1/hosts', from('203.0.113.7', `Bearer guess-${i}`))).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    const throttled = await s.request('/api/v1/hosts', from('203.0.113.7', `Bearer ${TOKEN}`));
    expect(throttled.status).toBe(429);
    expect(codeOf(throttled.body)).toBe('login-throttled');
    expect(throttled.headers['retry-after']).toBe('1');
    // Another client is not held back by this one's guesses.
    expect((await s.request('/api/v1/hosts', from('203.0.113.8', `Bearer ${TOKEN}`))).status).toBe(200);
  });

  it('asking without credentials is not a failed login (a browser does that before its login prompt)', async () => {
    for (let i = 0; i < 10; i++) expect((await s.request('/', from('203.0.113.9'))).status).toBe(401);
    expect((await s.request('/', from('203.0.113.9', `Bearer ${TOKEN}`))).status).toBe(200);
  });

  it('are logged with the client address', () => {
    const entries = logged
      .split('\n')
      .filter((l) => l.includes('login-failed'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toHaveLength(6);
    expect(entries[0]).toMatchObject({ event: 'login-failed', client: '203.0.113.7', msg: 'failed login' });
  });

  it('are found by the fail2ban filter that docs/deploy.md gives', () => {
    const docs = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');
    const failregex = /^failregex = (.+)$/m.exec(docs)?.[1];
    expect(failregex).toBeDefined();
    // fail2ban's <HOST> matches an address; the rest of the filter is a literal part of the line.
    const re = new RegExp(failregex!.replace('<HOST>', '(?<host>[0-9A-Fa-f.:]+)'));
    const lines = logged.split('\n').filter((l) => l.includes('login-failed'));
    expect(lines.map((l) => re.exec(l)?.groups?.['host'])).toEqual(Array(6).fill('203.0.113.7'));
  });
});

describe('limits', () => {
  it('every route but /healthz shares the rate limit, /metrics and /api/v1/alerts included', async () => {
    const s = await startTestServer({ rateLimit: { windowMs: 60_000, limit: 4 } });
    try {
      for (let i = 0; i < 10; i++) expect((await s.get('/healthz')).status).toBe(200);
      const statuses = [];
      for (const path of ['/metrics', '/api/v1/alerts', '/', '/api/v1/alerts', '/metrics', '/healthz']) {
        statuses.push((await s.get(path)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 200]);
      const limited = await s.request('/api/v1/alerts');
      expect(codeOf(limited.body)).toBe('rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });

  it("a trusted proxy's X-Forwarded-For names the client; nobody else's is believed", async () => {
    const trusting = await startTestServer({
      config: { trustedProxies: ['127.0.0.0/8'] },
      rateLimit: { windowMs: 60_000, limit: 2 },
    });
    const plain = await startTestServer({ rateLimit: { windowMs: 60_000, limit: 2 } });
    try {
      const via = (s: TestServer, xff: string) =>
        s.request('/api/v1/hosts', { headers: { 'x-forwarded-for': xff } }).then((r) => r.status);
      expect([await via(trusting, '198.51.100.1'), await via(trusting, '198.51.100.1')]).toEqual([200, 200]);
      expect(await via(trusting, '198.51.100.1')).toBe(429);
      expect(await via(trusting, '198.51.100.2')).toBe(200);
      // A client's own X-Forwarded-For is to the left of what the proxy adds: the proxy's word counts.
      expect(await via(trusting, '198.51.100.2, 198.51.100.1')).toBe(429);
      expect([await via(plain, '198.51.100.1'), await via(plain, '198.51.100.2')]).toEqual([200, 200]);
      expect(await via(plain, '198.51.100.3')).toBe(429);
    } finally {
      await trusting.close();
      await plain.close();
    }
  });

  it('live streams are capped per client (429) and in total (503), and a closed one frees its slot', async () => {
    const streams = createStreamLimit({ perClient: 2, total: 3 });
    const s = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] }, streams });
    const held: ClientRequest[] = [];
    const open = (client: string) =>
      new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
        const req = httpGet(`${s.url}/api/v1/events`, { headers: { 'x-forwarded-for': client } }, (res) => {
          if (res.statusCode === 200) held.push(req);
          else res.resume();
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      });
    try {
      expect((await open('198.51.100.1')).status).toBe(200);
      expect((await open('198.51.100.1')).status).toBe(200);
      expect(await open('198.51.100.1')).toEqual({ status: 429, retryAfter: '30' });
      expect((await open('198.51.100.2')).status).toBe(200);
      expect(await open('198.51.100.3')).toEqual({ status: 503, retryAfter: '30' });
      expect(streams.open()).toBe(3);
      held.shift()!.destroy();
      await waitFor(() => streams.open() === 2, 5_000, 'the server to see the stream close');
      expect((await open('198.51.100.3')).status).toBe(200);
    } finally {
      for (const r of held) r.destroy();
      await s.close();
    }
  });
});

describe('methods and files', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      webFiles: { 'app.js': 'export {};', 'app.js.map': '{"sources":["secret.ts"]}' },
    });
  });
  afterAll(() => s.close());

  it('another method on a known path is a 405 with Allow', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/summary'],
      ['DELETE', '/api/v1/alerts'],
      ['PUT', '/api/v1/domains/gmail.com'],
      ['POST', '/metrics'],
      ['POST', '/'],
      ['PATCH', '/app.js'],
    ] as const) {
      const r = await s.request(path, { method });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers['allow']).toBe('GET, HEAD');
      expect(codeOf(r.body)).toBe('method-not-allowed');
    }
    expect((await s.request('/api/v1/nope', { method: 'POST' })).status).toBe(404);
    expect((await s.request('/api/v1/summary', { method: 'HEAD' })).status).toBe(200);
  });

  it('the source map is not served', async () => {
    expect((await s.get('/app.js')).status).toBe(200);
    const map = await s.get('/app.js.map');
    expect(map.status).toBe(404);
    expect(map.text).not.toContain('secret.ts');
  });
});
