// Strangers in numbers: bursts of requests and held event streams against the built server, /healthz under 100 ms throughout.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDatabase, serve, startProber, type Served } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-faults-http-'));
let db: string;
let served: Served | undefined;
const server = (): Served => {
  if (!served) throw new Error('the server is not started');
  return served;
};
// No pooling limit: each burst really opens its connections at once.
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

beforeAll(() => {
  db = generatedDatabase(dir);
});
afterAll(async () => {
  await served?.stop();
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** One request as `client` (through the trusted proxy header); resolves with its status, or 0 when the connection failed. */
function ask(path: string, client: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${server().base}${path}`,
      { agent, headers: { 'x-forwarded-for': client } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(30_000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

const PATHS = [
  '/api/v1/summary?range=7d',
  '/api/v1/series?range=7d',
  '/api/v1/causes?range=7d',
  '/api/v1/domains?range=7d',
  '/api/v1/providers?range=24h',
  '/api/v1/unparsed',
  '/api/v1/alerts',
  '/metrics',
  '/',
  '/api/v1/domains/gmail.com?range=7d',
];

describe('the built server under load', () => {
  beforeAll(async () => {
    served = await serve(db);
    // Each query's first call compiles and reads cold pages: that is start-up, not load, so it is done first.
    for (const path of [...PATHS, ...PATHS]) await ask(path, '192.0.2.1');
  });

  it('2,000 requests in bursts: every one answered 200 or 429, one client held to its limit, /healthz fast', async () => {
    const prober = startProber(server().base, 'http: 2,000 requests in bursts', server().child.pid);
    await prober.probing;
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    let loudOk = 0;
    // 40 bursts of 50 at once: half from one loud client, half from 50 others.
    for (let burst = 0; burst < 40; burst++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const loud = burst % 2 === 0;
          const client = loud ? '198.51.100.1' : `198.51.100.${10 + (i % 50)}`;
          return ask(PATHS[i % PATHS.length]!, client).then((s) => {
            if (loud && s === 200) loudOk++;
            return s;
          });
        }),
      );
      answers.forEach(count);
    }
    const probe = await prober.stop();
    expect(Object.fromEntries(statuses), 'only 200 and 429').toEqual(
      Object.fromEntries([...statuses].filter(([s]) => s === 200 || s === 429)),
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(2_000);
    // The loud client sent 1,000 in a minute: all of them fit its 1,200, and the others were never held back.
    expect(loudOk).toBe(1_000);
    expect(statuses.get(200)).toBe(2_000);
    expect(probe.probes).toBeGreaterThan(5);
    expect(probe.why, 'failed /healthz probes').toEqual([]);
    expect(
      probe.slow,
      `/healthz probes of 100 ms or more, of ${probe.probes}: ${JSON.stringify(probe.slowWhy)}`,
    ).toEqual([]);

    // Past its limit the loud client gets 429; the others still get answers.
    const more = await Promise.all(Array.from({ length: 300 }, () => ask('/api/v1/alerts', '198.51.100.1')));
    expect(more.filter((s) => s === 429).length).toBeGreaterThanOrEqual(100);
    expect(await ask('/api/v1/summary?range=24h', '198.51.100.99')).toBe(200);
    expect(await ask('/healthz', '198.51.100.1')).toBe(200);
  });

  it('2,000 event streams held: the caps refuse the rest, memory stays small, /healthz fast', async () => {
    const rssBefore = server().rss();
    const prober = startProber(server().base, 'http: 2,000 event streams', server().child.pid);
    await prober.probing;
    const held: ClientRequest[] = [];
    const open = (client: string) =>
      new Promise<number>((resolve) => {
        const req = request(
          `${server().base}/api/v1/events`,
          { agent, headers: { 'x-forwarded-for': client } },
          (res) => {
            if (res.statusCode === 200) held.push(req);
            else res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', () => resolve(req.destroyed ? -1 : 0));
        req.end();
      });
    const statuses: number[] = [];
    try {
      // 15 from one client, then 1,985 from as many others, 100 at a time.
      statuses.push(...(await Promise.all(Array.from({ length: 15 }, () => open('203.0.113.1')))));
      for (let i = 0; i < 1_985; i += 100) {
        const batch = Array.from({ length: Math.min(100, 1_985 - i) }, (_, j) => {
          const n = i + j;
          return open(`10.${(n >> 8) & 255}.${n & 255}.1`);
        });
        statuses.push(...(await Promise.all(batch)));
      }
      const by = (s: number) => statuses.filter((x) => x === s).length;
      expect(statuses).toHaveLength(2_000);
      expect({ ok: by(200), perClient: by(429), total: by(503) }).toEqual({
        ok: 200,
        perClient: 5,
        total: 1_795,
      });
      const grown = server().rss() - rssBefore;
      expect(grown, `the server grew by ${Math.round(grown / 2 ** 20)} MiB`).toBeLessThan(48 * 2 ** 20);
      // While the streams are held the API still answers.
      expect(await ask('/api/v1/summary?range=24h', '203.0.113.200')).toBe(200);
    } finally {
      for (const r of held) r.destroy();
    }
    const probe = await prober.stop();
    expect(probe.why, 'failed /healthz probes').toEqual([]);
    expect(
      probe.slow,
      `/healthz probes of 100 ms or more, of ${probe.probes}: ${JSON.stringify(probe.slowWhy)}`,
    ).toEqual([]);

    // Closed streams give their slots back: a new one is accepted once the server has seen them go.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await open('203.0.113.250');
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
    for (const r of held) r.destroy();
  });
});
