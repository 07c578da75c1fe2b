import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { ATTEMPT_NOTICE } from '../../../db/store/stored-rows.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { HOUR, T0, attempt, batchOf, reject, spread } from '../../unit/ops/helpers.js';
import { labelValues, parseMetrics, startStack, type Stack } from './helpers.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const A = 'bouncewatch_delivery_attempts_total';

async function scrape(s: Stack) {
  const res = await s.get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

describe('GET /metrics', () => {
  it('counts attempts by outcome, class and cause, rejects, lines and lag from the batches on the bus', async () => {
    stack = await startStack({ config: { metrics: { topProviders: 2 } } });
    const ts = T0 - 30_000;
    stack.bus.emitBatch(
      batchOf(
        [
          ...spread(3, ts - 60_000, ts, {
            outcome: 'bounced',
            cause: 'recipient-unknown',
            provider: 'google',
          }),
          ...spread(2, ts - 60_000, ts, { outcome: 'deferred', cause: 'greylisted', provider: 'microsoft' }),
          ...spread(5, ts - 60_000, ts, { provider: 'google' }),
          attempt({ ts, provider: 'yahoo' }),
          attempt({ ts, provider: null }),
        ],
        [reject({ ts: ts - 1 }), reject({ ts: ts - 2 }), reject({ ts: ts - 3, cause: null })],
        40,
      ),
    );
    stack.bus.emitBatch({
      ...batchOf([attempt({ ts: ts - 5_000, outcome: 'bounced', cause: 'recipient-unknown' })]),
      unparsed: 3,
    });
    const m = await scrape(stack);
    expect(m.get(`${A}{cause="recipient-unknown",class="permanent",outcome="bounced"}`)).toBe(4);
    expect(m.get(`${A}{cause="greylisted",class="temporary",outcome="deferred"}`)).toBe(2);
    expect(m.get(`${A}{cause="none",class="success",outcome="sent"}`)).toBe(7);
    expect(m.get('bouncewatch_rejects_total{cause="policy"}')).toBe(2);
    expect(m.get('bouncewatch_rejects_total{cause="none"}')).toBe(1);
    expect(m.get('bouncewatch_lines_read_total')).toBe(41);
    expect(m.get('bouncewatch_lines_unparsed_total')).toBe(3);
    expect(m.get('bouncewatch_batches_total')).toBe(2);
    expect(m.get('bouncewatch_ingest_lag_seconds')).toBe(30);
    expect(m.get('bouncewatch_database_size_bytes{file="main"}')).toBeGreaterThan(0);
    expect(m.has('bouncewatch_database_size_bytes{file="wal"}')).toBe(true);
    expect(m.has('process_resident_memory_bytes')).toBe(true);
    // two provider slots (google, microsoft by arrival); yahoo is "other", no provider is "unknown"
    const P = 'bouncewatch_provider_attempts_total';
    expect(labelValues(m, P, 'provider')).toEqual(['google', 'microsoft', 'other', 'unknown']);
    expect(m.get(`${P}{outcome="sent",provider="google"}`)).toBe(5);
    expect(m.get(`${P}{outcome="sent",provider="other"}`)).toBe(1);
    expect(m.get(`${P}{outcome="sent",provider="unknown"}`)).toBe(1);
    expect(m.get(`${P}{outcome="bounced",provider="unknown"}`)).toBe(1);
    // Delivery delay of the delivered only, under the same provider labels (histogram_quantile gives p50 and p95).
    const D = 'bouncewatch_delivery_delay_seconds';
    expect(m.get(`${D}_count{provider="google"}`)).toBe(5);
    expect(m.get(`${D}_bucket{le="1",provider="google"}`)).toBe(5);
    expect(m.get(`${D}_bucket{le="0.5",provider="google"}`)).toBe(0);
    expect(m.get(`${D}_count{provider="unknown"}`)).toBe(1);
    expect(m.has(`${D}_count{provider="microsoft"}`)).toBe(false);

    stack.clock.advance(90_000);
    expect((await scrape(stack)).get('bouncewatch_ingest_lag_seconds')).toBe(120);
  });

  it('counts deliveries by flow: our own domains inbound, the bounces we send apart, our own faults as local', async () => {
    stack = await startStack({ config: { ownDomains: ['example.org'] } });
    const ts = T0 - 30_000;
    stack.bus.emitBatch(
      batchOf([
        attempt({ ts, recipientDomain: 'example.org' }),
        attempt({ ts, recipientDomain: 'example.org', outcome: 'bounced', cause: 'recipient-unknown' }),
        attempt({ ts, recipientDomain: 'example.com' }),
        attempt({ ts, recipientDomain: 'example.com', outcome: 'deferred', cause: 'local-dns' }),
        attempt({ ts, recipientDomain: 'example.net', flags: ATTEMPT_NOTICE }),
      ]),
    );
    const m = await scrape(stack);
    const F = 'bouncewatch_flow_deliveries_total';
    expect(m.get(`${F}{flow="inbound",outcome="sent"}`)).toBe(1);
    expect(m.get(`${F}{flow="inbound",outcome="bounced"}`)).toBe(1);
    expect(m.get(`${F}{flow="outbound",outcome="sent"}`)).toBe(1);
    expect(m.get(`${F}{flow="outbound",outcome="deferred"}`)).toBe(1);
    expect(m.get(`${F}{flow="notification",outcome="sent"}`)).toBe(1);
    expect(m.get('bouncewatch_local_failures_total{cause="local-dns"}')).toBe(1);
  });

  it('gives the provider slots to the busiest providers of the last week first', async () => {
    stack = await startStack({
      config: { metrics: { topProviders: 1 } },
      db: (dir) => {
        const db = openDatabase({ file: join(dir, 'seeded.db') });
        createBatchWriter(db).write({
          ...emptyBatch(),
          attempts: [
            ...spread(50, T0 - 48 * HOUR, T0 - 24 * HOUR, { provider: 'yahoo' }),
            ...spread(5, T0 - 48 * HOUR, T0 - 24 * HOUR, { provider: 'google' }),
          ],
        });
        return db;
      },
    });
    stack.bus.emitBatch(
      batchOf([attempt({ ts: T0, provider: 'google' }), attempt({ ts: T0, provider: 'yahoo' })]),
    );
    const m = await scrape(stack);
    expect(labelValues(m, 'bouncewatch_provider_attempts_total', 'provider')).toEqual(['other', 'yahoo']);
  });

  it('reads NaN, not 0, for the lag before anything was ingested', async () => {
    stack = await startStack();
    const m = await scrape(stack);
    expect(m.get('bouncewatch_ingest_lag_seconds')).toBeNaN();
    expect(m.get('bouncewatch_last_batch_timestamp_seconds')).toBeNaN();
    stack.bus.emitBatch(batchOf([attempt({ ts: T0 - 4_000 })]));
    const after = await scrape(stack);
    expect(after.get('bouncewatch_ingest_lag_seconds')).toBe(4);
    expect(after.get('bouncewatch_last_batch_timestamp_seconds')).toBe(T0 / 1000);
  });

  it('shows the alerts open by rule', async () => {
    stack = await startStack();
    stack.ops.alerts.ingest(batchOf(spread(100, T0 - 5 * HOUR, T0 - 3 * HOUR)));
    stack.ops.alerts.evaluate();
    const m = await scrape(stack);
    expect(m.get('bouncewatch_alerts_open{rule="inactivity"}')).toBe(1);
  });
});

// Lines written for this test in the shape Postfix logs them.
const LOG = [
  'Nov 23 11:58:01 mx1 postfix/smtp[2101]: 4F1A2B3C4D: to=<ann@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK 1700000000 x1si123456.1 - gsmtp)',
  'Nov 23 11:58:02 mx1 postfix/smtp[2102]: 5A1B2C3D4E: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=0.8, delays=0.1/0/0.3/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E7D)',
  'Nov 23 11:58:03 mx1 postfix/smtp[2103]: 6B1C2D3E4F: to=<nobody@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.10] said: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))',
  'Nov 23 11:58:04 mx1 postfix/smtp[2104]: 7C1D2E3F4A: to=<ghost@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.10] said: 550 5.1.1 <ghost@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))',
  'Nov 23 11:58:05 mx1 postfix/smtp[2105]: 8D1E2F3A4B: to=<carol@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=5.7.1, status=bounced (host mx.example.net[198.51.100.20] said: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.5 (in reply to RCPT TO command))',
  'Nov 23 11:58:06 mx1 postfix/smtp[2106]: 9E1F2A3B4C: to=<dave@example.com>, relay=mx.example.com[198.51.100.30]:25, delay=300, delays=0.1/0/0.3/0.1, dsn=4.2.0, status=deferred (host mx.example.com[198.51.100.30] said: 450 4.2.0 <dave@example.com>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.com.html (in reply to RCPT TO command))',
  'Nov 23 11:58:07 mx1 postfix/pickup[2000]: some line postfix writes that nobody parses',
];

describe('GET /metrics after ingesting log lines', () => {
  it('finds the expected counts by cause', async () => {
    stack = await startStack();
    const file = join(stack.dir, 'mail.log');
    writeFileSync(file, `${LOG.join('\n')}\n`);
    const ingest = createIngest({
      store: createSqliteWriter(stack.db, { now: stack.clock.now }),
      log: silentLogger(),
      bus: stack.bus,
      now: stack.clock.now,
    });
    await ingest.ingestFiles([file], { year: 2026 });
    const m = await scrape(stack);
    expect(m.get(`${A}{cause="none",class="success",outcome="sent"}`)).toBe(2);
    expect(m.get(`${A}{cause="recipient-unknown",class="permanent",outcome="bounced"}`)).toBe(2);
    expect(m.get(`${A}{cause="reputation-blocklist",class="permanent",outcome="bounced"}`)).toBe(1);
    expect(m.get(`${A}{cause="greylisted",class="temporary",outcome="deferred"}`)).toBe(1);
    expect(m.get('bouncewatch_lines_read_total')).toBe(LOG.length);
    const total = [...m].filter(([k]) => k.startsWith(`${A}{`)).reduce((n, [, v]) => n + v, 0);
    expect(total).toBe(6);
  });
});
