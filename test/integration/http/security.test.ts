import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSES } from '../../../classify/types.js';
import type { ApiError } from '../../../server/http/contract/common.js';
import type { LiveBatchEvent } from '../../../server/http/contract/live.js';
import type { CodeExplanation } from '../../../server/http/contract/reference.js';
import { attempt, NOW, startTestServer, type TestServer } from './helpers.js';

const errorOf = (body: unknown) => (body as ApiError).error;

describe('validation and errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const cases: [string, string, RegExp][] = [
    ['/api/v1/summary?range=2h', 'invalid-parameter', /^range:/],
    ['/api/v1/summary?from=yesterday', 'invalid-parameter', /^from: expected unix milliseconds/],
    ['/api/v1/summary?from=2000&to=1000', 'invalid-range', /before/],
    ['/api/v1/summary?from=0&to=999999999999', 'invalid-range', /20 years/],
    ['/api/v1/summary?range=24h&from=0', 'invalid-range', /either range or from\/to/],
    ['/api/v1/summary?range=24h&colour=red', 'unknown-parameter', /colour/],
    ['/api/v1/summary?range=24h&range=7d', 'invalid-parameter', /^range:/],
    ['/api/v1/summary?host=bad%20host', 'invalid-parameter', /^host:/],
    ['/api/v1/causes?limit=0', 'invalid-parameter', /^limit:/],
    ['/api/v1/causes?limit=101', 'invalid-parameter', /^limit:/],
    ['/api/v1/domains?sort=name', 'invalid-parameter', /^sort:/],
    ['/api/v1/causes/not-a-cause', 'invalid-parameter', /^key: expected one of/],
    ['/api/v1/codes/9.9.9', 'invalid-parameter', /^key: expected a reply code/],
    ['/api/v1/providers/Google!', 'invalid-parameter', /^key:/],
    ['/api/v1/domains/a%20b', 'invalid-parameter', /^key: expected a domain/],
    ['/api/v1/domains/a%0Ab', 'invalid-parameter', /^key: expected a domain/],
    ['/api/v1/trace', 'invalid-parameter', /^q: is required/],
    ['/api/v1/trace?q=a%20b', 'invalid-parameter', /^q:/],
    ['/api/v1/trace?q=x&by=subject', 'invalid-parameter', /^by:/],
    ['/api/v1/explain?code=hello', 'invalid-parameter', /^code:/],
    ['/api/v1/unparsed?offset=-1', 'invalid-parameter', /^offset:/],
  ];
  for (const [path, code, message] of cases) {
    it(`400 ${code} for ${path}`, async () => {
      const r = await s.get(path);
      expect(r.status).toBe(400);
      expect(errorOf(r.body).code).toBe(code);
      expect(errorOf(r.body).message).toMatch(message);
      expect(r.text).not.toMatch(/at .*\.(ts|js):\d+/);
    });
  }

  it('unknown endpoints answer 404 in the same envelope', async () => {
    const r = await s.get('/api/v1/nope');
    expect(r.status).toBe(404);
    expect(errorOf(r.body)).toEqual({ code: 'not-found', message: 'no such endpoint: GET /nope' });
  });

  it('explains codes from the classifier knowledge base; unknown codes are 404', async () => {
    const r = await s.get('/api/v1/explain?code=5.7.26');
    expect(r.status).toBe(200);
    const e = r.body as CodeExplanation;
    expect(e).toMatchObject({ code: '5.7.26', kind: 'enhanced', class: 'permanent' });
    expect(e.actions.length).toBeGreaterThan(0);
    expect((await s.get('/api/v1/explain?code=550%205.1.1')).status).toBe(200);
    expect(((await s.get('/api/v1/explain?code=S3150')).body as CodeExplanation).kind).toBe('provider');
    const unknown = await s.get('/api/v1/explain?code=299');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toBe('unknown-code');
  });

  it('lists every cause with meaning and action', async () => {
    const r = await s.get('/api/v1/reference/causes');
    const causes = (r.body as { causes: { cause: string; action: string }[] }).causes;
    // The design's causes: the remote ones and this server's own (local-*).
    expect(causes.map((c) => c.cause)).toEqual([...CAUSES]);
    expect(causes.every((c) => c.action.length > 0)).toBe(true);
  });

  it('serves an OpenAPI document naming every endpoint', async () => {
    const r = await s.get('/api/v1/openapi.json');
    const doc = r.body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/api/v1/summary',
      '/api/v1/series',
      '/api/v1/causes',
      '/api/v1/domains',
      '/api/v1/providers',
      '/api/v1/codes',
      '/api/v1/hosts',
      '/api/v1/domains/{key}',
      '/api/v1/providers/{key}',
      '/api/v1/causes/{key}',
      '/api/v1/codes/{key}',
      '/api/v1/trace',
      '/api/v1/explain',
      '/api/v1/reference/causes',
      '/api/v1/unparsed',
      '/api/v1/health',
      '/api/v1/events',
      '/api/v1/alerts',
      '/api/v1/reports',
      '/api/v1/reports/weeks',
      '/healthz',
      '/metrics',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });

  it('sends a strict CSP and the other helmet headers on pages and API', async () => {
    for (const path of ['/', '/api/v1/health']) {
      const r = await s.get(path);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('streams a server-sent event for each stored batch', async () => {
    const a = attempt({ ts: NOW, host: 'mx7.sender.example' });
    let contentType = '';
    const text = await new Promise<string>((resolve, reject) => {
      const req = httpGet(`${s.url}/api/v1/events`, (res) => {
        contentType = String(res.headers['content-type']);
        let buf = '';
        let emitted = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          if (!emitted && buf.includes('retry:')) {
            emitted = true;
            s.write([a]);
            s.bus.emitBatch({ attempts: [a], rejects: [], linesRead: 1, unparsed: 0, newestTs: NOW });
          }
          if (/event: batch\ndata: .*\n\n/.test(buf)) {
            req.destroy();
            resolve(buf);
          }
        });
      });
      req.on('error', reject);
    });
    expect(contentType).toMatch(/^text\/event-stream/);
    const data = /event: batch\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data) as LiveBatchEvent).toEqual({
      attempts: 1,
      rejects: 0,
      newestTs: NOW,
      hosts: ['mx7.sender.example'],
    });
  });
});

describe('credentials', () => {
  let s: TestServer;
  const token = 'a-very-long-secret-token-1234';
  beforeAll(async () => {
    s = await startTestServer({
      config: { bind: '0.0.0.0', auth: { token, user: 'admin', password: 'correct horse' } },
    });
  });
  afterAll(() => s.close());
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('refuses API and pages without credentials, with a Basic challenge', async () => {
    for (const path of ['/api/v1/summary', '/', '/app.js']) {
      const r = await s.get(path);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="bouncewatch"/);
      expect(errorOf(r.body).code).toBe('unauthorized');
    }
  });

  it('accepts the bearer token, basic user and password, and the token as a basic password', async () => {
    expect((await s.get('/api/v1/summary', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await s.get('/api/v1/summary', { authorization: basic('admin', 'correct horse') })).status).toBe(
      200,
    );
    expect((await s.get('/', { authorization: basic('anyone', token) })).status).toBe(200);
  });

  it('rejects wrong secrets', async () => {
    for (const authorization of [
      `Bearer ${token}x`,
      basic('admin', 'wrong'),
      basic('root', 'correct horse'),
      'Bearer',
      'Digest abc',
    ]) {
      expect((await s.get('/api/v1/summary', { authorization })).status).toBe(401);
    }
  });
});

describe('rate limit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ rateLimit: { windowMs: 60_000, limit: 3 } });
  });
  afterAll(() => s.close());

  it('answers 429 in the error envelope once the limit is used up', async () => {
    const statuses: number[] = [];
    let last: unknown = null;
    for (let i = 0; i < 5; i++) {
      const r = await s.get('/api/v1/health');
      statuses.push(r.status);
      last = r.body;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(errorOf(last).code).toBe('rate-limited');
  });
});
