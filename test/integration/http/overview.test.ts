import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_INFO } from '../../../classify/index.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type {
  CausesResponse,
  DataSpanResponse,
  CodesResponse,
  HostsResponse,
  SeriesResponse,
  SummaryResponse,
  TargetsResponse,
} from '../../../server/http/contract/overview.js';
import { attempt, DAY, HOUR, MINUTE, NOW, reject, startTestServer, type TestServer } from './helpers.js';

const unknownUser = (ts: number, who: string) =>
  attempt({
    ts,
    recipient: `${who}@gmail.com`,
    outcome: 'bounced',
    class: 'permanent',
    cause: 'recipient-unknown',
    hardBounce: true,
    replyCode: 550,
    enhancedStatus: '5.1.1',
    dsn: '5.1.1',
    stage: 'rcpt',
    diagnostic: `550 5.1.1 <${who}@gmail.com>: The email account that you tried to reach does not exist. a1b2c3d4e5-${who}9z - gsmtp`,
  });
const rateLimited = (ts: number) =>
  attempt({
    ts,
    outcome: 'deferred',
    class: 'temporary',
    cause: 'rate-limited',
    replyCode: 421,
    enhancedStatus: '4.7.28',
    dsn: '4.7.28',
    diagnostic: '421 4.7.28 Our system has detected an unusual rate of unsolicited mail. - gsmtp',
  });

describe('overview endpoints', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    // Current day: 10 + 5 sent, 2 deferred, 3 bounced, 1 expired, 1 reject (one of them on another host).
    const cur = NOW - 2 * HOUR;
    s.write(
      [
        ...Array.from({ length: 10 }, (_, i) => attempt({ ts: cur + i * MINUTE })),
        ...Array.from({ length: 5 }, (_, i) =>
          attempt({
            ts: NOW - 20 * HOUR + i,
            recipientDomain: 'example.org',
            recipient: `a${i}@example.org`,
            provider: null,
          }),
        ),
        rateLimited(cur + 30 * MINUTE),
        rateLimited(NOW - 30 * MINUTE),
        unknownUser(cur + 40 * MINUTE, 'anna'),
        unknownUser(cur + 41 * MINUTE, 'ben'),
        unknownUser(NOW - 5 * MINUTE, 'carla'),
        attempt({
          ts: NOW - 10 * HOUR,
          host: 'mx2.sender.example',
          recipient: 'old@example.org',
          provider: null,
          outcome: 'expired',
          class: 'permanent',
          cause: 'expired',
          replyCode: null,
          enhancedStatus: null,
          dsn: '4.4.1',
          diagnostic: 'message expired: connection timed out',
        }),
      ],
      [reject({ ts: NOW - HOUR })],
    );
    // Previous day: 8 sent, 1 bounced.
    s.write([
      ...Array.from({ length: 8 }, (_, i) => attempt({ ts: NOW - DAY - 3 * HOUR + i * MINUTE })),
      unknownUser(NOW - DAY - HOUR, 'dmitri'),
    ]);
    // Outside both periods: must never count.
    s.write([attempt({ ts: NOW - 3 * DAY }), attempt({ ts: NOW + HOUR })]);
  });
  afterAll(() => s.close());

  it('summary counts each outcome and compares with the previous period of equal length', async () => {
    const r = await s.get('/api/v1/summary?range=24h');
    expect(r.status).toBe(200);
    const b = r.body as SummaryResponse;
    expect(b.counts).toEqual({ sent: 15, deferred: 2, bounced: 3, expired: 1, rejected: 1 });
    expect(b.previousCounts).toEqual({ sent: 8, deferred: 0, bounced: 1, expired: 0, rejected: 0 });
    expect(b.range).toEqual({ from: NOW - DAY, to: NOW, host: null });
    expect(b.previous).toEqual({ from: NOW - 2 * DAY, to: NOW - DAY });
    // (bounced + expired) / (sent + bounced + expired), as everywhere (design, Counting)
    expect(b.rates.bounceRate).toBeCloseTo(4 / 19);
    expect(b.rates.deferralRate).toBeCloseTo(2 / 20);
    expect(b.change.sent).toBeCloseTo(7 / 8);
    expect(b.change.bounced).toBeCloseTo(2);
    expect(b.change.deferred).toBeNull();
    expect(b.change.bounceRate).toBeCloseTo(4 / 19 - 1 / 9);
    expect(b.temporary).toBe(2);
    expect(b.permanent).toBe(4);
  });

  it('summary is exact to the minute for ranges that cut hours and days', async () => {
    const from = NOW - 2 * HOUR + 5 * MINUTE; // drops the first five sends of the current day
    const r = await s.get(`/api/v1/summary?from=${from}&to=${NOW}`);
    expect((r.body as SummaryResponse).counts.sent).toBe(5);
    const iso = await s.get(
      `/api/v1/summary?from=${new Date(NOW - DAY).toISOString()}&to=${new Date(NOW).toISOString()}`,
    );
    expect((iso.body as SummaryResponse).counts.sent).toBe(15);
  });

  it('filters by host everywhere', async () => {
    const r = await s.get('/api/v1/summary?range=24h&host=mx2.sender.example');
    expect((r.body as SummaryResponse).counts).toEqual({
      sent: 0,
      deferred: 0,
      bounced: 0,
      expired: 1,
      rejected: 0,
    });
    const hosts = await s.get('/api/v1/hosts?range=7d');
    expect((hosts.body as HostsResponse).hosts).toEqual(['mx1.sender.example', 'mx2.sender.example']);
    const causes = await s.get('/api/v1/causes?range=24h&host=mx2.sender.example');
    expect((causes.body as CausesResponse).causes.map((c) => c.cause)).toEqual(['expired']);
  });

  it('series buckets by minute, hour or day to suit the range, and sums to the summary', async () => {
    const hour = (await s.get('/api/v1/series?range=1h')).body as SeriesResponse;
    expect(hour.step).toBe(MINUTE);
    expect(hour.buckets.length).toBe(60);
    expect(hour.classes.temporary.reduce((a, b) => a + b, 0)).toBe(1);
    expect(hour.outcomes.bounced.reduce((a, b) => a + b, 0)).toBe(1);
    const day = (await s.get('/api/v1/series?range=24h')).body as SeriesResponse;
    expect(day.step).toBe(HOUR);
    // 12:30 to 12:30 covers 25 whole hour buckets (the first and last partly).
    expect(day.buckets.length).toBe(25);
    expect(day.buckets[0]).toBe(NOW - DAY - 30 * MINUTE);
    expect(day.outcomes.sent.reduce((a, b) => a + b, 0)).toBe(15);
    expect(day.outcomes.rejected.reduce((a, b) => a + b, 0)).toBe(1);
    expect(day.classes.permanent.reduce((a, b) => a + b, 0)).toBe(4);
    const month = (await s.get('/api/v1/series?range=30d')).body as SeriesResponse;
    expect(month.step).toBe(DAY);
    expect(month.buckets.length).toBeGreaterThanOrEqual(30);
    // Whole day buckets: today's bucket also holds the send logged an hour after "now"; three days ago counts.
    expect(month.outcomes.sent.reduce((a, b) => a + b, 0)).toBe(15 + 8 + 1 + 1);
    // Years of history: the day rollups in four-week bars that start on a Monday, summing to the same.
    const years = (await s.get(`/api/v1/series?from=${NOW - 5 * 365 * DAY}&to=${NOW + HOUR}`))
      .body as SeriesResponse;
    expect(years.step).toBe(28 * DAY);
    expect(years.buckets.length).toBeLessThan(70);
    expect(years.buckets.every((b) => new Date(b).getUTCDay() === 1 && b % DAY === 0)).toBe(true);
    expect(years.outcomes.sent.reduce((a, b) => a + b, 0)).toBe(15 + 8 + 1 + 1);
    const quarter = (await s.get(`/api/v1/series?from=${NOW - 200 * DAY}&to=${NOW}`)).body as SeriesResponse;
    expect(quarter.step).toBe(7 * DAY);
    expect(new Date(quarter.buckets[0]!).getUTCDay()).toBe(1);
  });

  it('span: where the stored data is, and nulls on an empty store', async () => {
    const b = (await s.get('/api/v1/span')).body as DataSpanResponse;
    expect(b.span).not.toBeNull();
    expect(b.span!.from % HOUR).toBe(0);
    expect(b.span!.from).toBeLessThanOrEqual(NOW - 3 * DAY);
    expect(b.span!.to).toBeGreaterThan(NOW);
    expect(b.newestTs).toBeGreaterThan(NOW - DAY);
  });

  it('top causes carry the class split, codes and the classifier action', async () => {
    const b = (await s.get('/api/v1/causes?range=24h')).body as CausesResponse;
    expect(b.causes.map((c) => c.cause)).toEqual(['recipient-unknown', 'rate-limited', 'expired']);
    const ru = b.causes[0]!;
    // The reject of that cause is inbound: it is not among our deliveries' failures.
    expect(ru).toMatchObject({ permanent: 3, temporary: 0, rejected: 0, total: 3 });
    expect(ru.codes).toEqual([{ code: '5.1.1', count: 3 }]);
    expect(ru.action).toBe(CAUSE_INFO['recipient-unknown'].action);
    expect(ru.title).toBe(CAUSE_INFO['recipient-unknown'].title);
    expect(b.causes[1]).toMatchObject({ temporary: 2, permanent: 0, codes: [{ code: '4.7.28', count: 2 }] });
    const limited = (await s.get('/api/v1/causes?range=24h&limit=1')).body as CausesResponse;
    expect(limited.causes).toHaveLength(1);
  });

  it('ranks recipient domains and providers by failures with rates; inbound rejects do not make a domain', async () => {
    const d = (await s.get('/api/v1/domains?range=24h')).body as TargetsResponse;
    expect(d.rows.map((r) => r.key)).toEqual(['gmail.com', 'example.org']);
    expect(d.rows[0]).toMatchObject({
      sent: 10,
      deferred: 2,
      bounced: 3,
      failures: 5,
      topCause: 'recipient-unknown',
    });
    expect(d.rows[0]!.bounceRate).toBeCloseTo(3 / 13);
    expect(d.rows[1]).toMatchObject({ sent: 5, expired: 1, failures: 1, topCause: 'expired' });
    const bySent = (await s.get('/api/v1/domains?range=24h&sort=bounceRate')).body as TargetsResponse;
    expect(bySent.rows[0]!.key).toBe('gmail.com');
    const p = (await s.get('/api/v1/providers?range=24h')).body as TargetsResponse;
    expect(p.rows).toHaveLength(1);
    expect(p.rows[0]).toMatchObject({ key: 'google', failures: 5 });
    expect(p.rows[0]!.name).toMatch(/Google/);
  });

  it('lists top codes with their meaning from the knowledge base', async () => {
    const b = (await s.get('/api/v1/codes?range=24h')).body as CodesResponse;
    expect(b.codes[0]).toMatchObject({ code: '5.1.1', count: 4, permanent: 4 });
    expect(b.codes[0]!.meaning).toEqual(expect.any(String));
    expect(b.codes.map((c) => c.code)).toContain('4.7.28');
  });
});

describe('memoised rollups', () => {
  it('a stored batch reaching back into a memoised past day is counted at once', async () => {
    const s = await startTestServer();
    try {
      s.write([attempt({ ts: NOW - 3 * DAY })]);
      const sent = async () =>
        ((await s.get('/api/v1/summary?range=7d')).body as SummaryResponse).counts.sent;
      expect(await sent()).toBe(1);
      const late = [attempt({ ts: NOW - 3 * DAY + HOUR }), attempt({ ts: NOW - 4 * DAY })];
      // Through the store's writer, as ingest writes: it forgets the memoised sums the batch reaches back into.
      await createSqliteWriter(s.db, { now: () => NOW }).write({ ...emptyBatch(), attempts: late });
      expect(await sent()).toBe(3);
      const series = (await s.get('/api/v1/series?range=7d')).body as SeriesResponse;
      expect(series.outcomes.sent.reduce((a, b) => a + b, 0)).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('a key counted in several segments of a range adds up the same from the memo', async () => {
    const s = await startTestServer();
    try {
      // One delivery to gmail.com in each segment of 7 days before NOW: the raw minutes at the start, the
      // hours to the first midnight, the whole days, the hours of today and its last minutes.
      const start = NOW - 7 * DAY;
      s.write(
        [start + 10 * MINUTE, start + 8 * HOUR, NOW - 3 * DAY, NOW - 2 * HOUR, NOW - 10 * MINUTE].map((ts) =>
          attempt({ ts, recipientDomain: 'gmail.com' }),
        ),
      );
      const gmail = async () =>
        ((await s.get('/api/v1/domains?range=7d')).body as TargetsResponse).rows.find(
          (r) => r.key === 'gmail.com',
        )?.sent;
      expect(await gmail()).toBe(5);
      expect(await gmail()).toBe(5);
      expect(await gmail()).toBe(5);
    } finally {
      await s.close();
    }
  });
});
