// Delivery delay per domain and provider: histograms written with the rollups, median and p95 read from them through
// the API against exact figures, the previous period and the trend, and migrations 0015-0016's count of older rows.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delayHistograms } from '../../../db/sqlite/read/delays.js';
import type { DelaysResponse } from '../../../server/http/contract/delays.js';
import { attempt, DAY, HOUR, NOW, startTestServer, type TestServer } from './helpers.js';

/** The exact nearest-rank quantile, which the histogram's answer must be within a bucket's width of. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}
const near = (got: number | null, want: number) => {
  expect(got).not.toBeNull();
  // Four buckets per octave: the middle of a bucket is within 2^(1/8) of any value in it.
  expect(got! / want).toBeGreaterThan(0.9);
  expect(got! / want).toBeLessThan(1.1);
};

describe('GET /api/v1/delays', () => {
  let s: TestServer;
  const slow: number[] = [];
  const fast: number[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    const rows = [];
    for (let i = 0; i < 200; i++) {
      const d = 0.5 + (i % 40) * 0.7 + (i % 7 === 0 ? 600 : 0);
      slow.push(d);
      rows.push(
        attempt({
          ts: NOW - 2 * HOUR - i * 1_000,
          recipientDomain: 'slow.example',
          provider: 'yahoo',
          delay: d,
        }),
      );
      const f = 0.2 + (i % 10) * 0.05;
      fast.push(f);
      rows.push(attempt({ ts: NOW - 3 * HOUR - i * 1_000, recipientDomain: 'gmail.com', delay: f }));
    }
    // The day before: slow.example was fast then.
    for (let i = 0; i < 50; i++)
      rows.push(
        attempt({ ts: NOW - DAY - 2 * HOUR, recipientDomain: 'slow.example', provider: 'yahoo', delay: 1 }),
      );
    // Not deliveries of a user's mail, or without a delay: not counted.
    rows.push(
      attempt({
        ts: NOW - HOUR,
        recipientDomain: 'slow.example',
        outcome: 'deferred',
        class: 'temporary',
        delay: 9_000,
      }),
    );
    rows.push(attempt({ ts: NOW - HOUR, recipientDomain: 'slow.example', delay: 9_000, flags: 1 }));
    rows.push(attempt({ ts: NOW - HOUR, recipientDomain: 'slow.example', delay: null }));
    s.write(rows);
  });
  afterAll(() => s.close());

  it('gives each domain its median and p95 within a bucket of the exact ones, busiest first, with the day before', async () => {
    const res = await s.get('/api/v1/delays?range=24h&by=domain');
    expect(res.status).toBe(200);
    const body = res.body as DelaysResponse;
    expect(body.rows.map((r) => [r.key, r.delivered])).toEqual([
      ['gmail.com', 200],
      ['slow.example', 200],
    ]);
    const slowRow = body.rows.find((r) => r.key === 'slow.example')!;
    near(slowRow.p50, exact(slow, 0.5));
    near(slowRow.p95, exact(slow, 0.95));
    expect(slowRow.previous.delivered).toBe(50);
    near(slowRow.previous.p50, 1);
    near(slowRow.previous.p95, 1);
    const fastRow = body.rows.find((r) => r.key === 'gmail.com')!;
    near(fastRow.p50, exact(fast, 0.5));
    near(fastRow.p95, exact(fast, 0.95));
    expect(body.overall.delivered).toBe(400);
    near(body.overall.p95, exact([...slow, ...fast], 0.95));
    // Hourly points over 24 hours: the two hours that delivered.
    expect(body.series.step).toBe(HOUR);
    expect(body.series.points.map((p) => p.delivered)).toEqual([200, 200]);
  });

  it('groups by provider, and answers one key with its own trend', async () => {
    const byProvider = (await s.get('/api/v1/delays?range=7d&by=provider')).body as DelaysResponse;
    expect(byProvider.rows.map((r) => [r.key, r.delivered])).toEqual([
      ['yahoo', 250],
      ['google', 200],
    ]);
    const one = (await s.get('/api/v1/delays?range=7d&by=domain&key=slow.example')).body as DelaysResponse;
    expect(one.key).toBe('slow.example');
    expect(one.overall.delivered).toBe(250);
    expect(one.series.step).toBe(DAY);
    expect(one.series.points.map((p) => p.delivered)).toEqual([50, 200]);
    // Points are whole steps from the range's first hour.
    const start = one.range.from - (one.range.from % HOUR);
    expect(one.series.points.map((p) => (p.t - start) % DAY)).toEqual([0, 0]);
    const none = (await s.get('/api/v1/delays?range=7d&by=domain&key=nobody.example')).body as DelaysResponse;
    expect([none.rows, none.overall.delivered, none.overall.p50]).toEqual([[], 0, null]);
  });

  it('says what is wrong with a bad parameter', async () => {
    const res = await s.get('/api/v1/delays?by=sender');
    expect(res.status).toBe(400);
    expect(res.text).toContain('by');
  });

  it('migrations 0015 and 0016 count the delays of rows stored before them the same as ingest does', () => {
    const range = { from: NOW - 7 * DAY, to: NOW };
    const written = delayHistograms(s.db, range, { by: 'domain' });
    const migration = (name: string) =>
      readFileSync(new URL(`../../../db/sqlite/migrations/${name}.sql`, import.meta.url), 'utf8');
    // 0015 counts stored rows into a row per bucket; 0016 packs those rows into one per hour, host, domain and provider.
    s.db.exec('DROP TABLE delay_hours');
    s.db.exec(migration('0015_delay_hours'));
    s.db.exec(migration('0016_delay_cells'));
    expect(delayHistograms(s.db, range, { by: 'domain' })).toEqual(written);
  });
});
