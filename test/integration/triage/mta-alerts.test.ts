// Alerts on the MTA itself: a listing found on a stub resolver raised and resolved, fatal lines and disk warnings,
// a growing queue read from recorded outputs, and a domain that stopped using TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../../server/alerts/engine.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { createMtaMonitor } from '../../../server/mta/monitor.js';
import type { StoreReader } from '../../../db/store/reader.js';
import type { TriageFacts } from '../../../db/store/triage.js';
import { recordingNotify, testConfig } from '../../unit/ops/helpers.js';
import { startStubDns, type StubDns } from '../../helpers/stub-dns.js';

const T = Date.UTC(2026, 10, 23, 12);
const HOUR = 3_600_000;
const noReader = {} as StoreReader;

function engineFor(
  monitor: NonNullable<Parameters<typeof createAlertEngine>[0]['monitor']> | null,
  now: () => number,
) {
  const rec = recordingNotify();
  const engine = createAlertEngine({
    config: testConfig(),
    bus: createEventBus(),
    now,
    log: silentLogger(),
    notify: rec.notify,
    monitor,
  });
  return engine;
}

const facts = (over: Partial<TriageFacts>): TriageFacts => ({
  warnings: [],
  sessions: [],
  senders: [],
  ...over,
});
const batch = (at: number, triage: TriageFacts) => ({
  attempts: [],
  rejects: [],
  linesRead: 1,
  unparsed: 0,
  newestTs: at,
  triage,
});

describe('the blocklist alert on a stub resolver', () => {
  let dns: StubDns;
  beforeAll(async () => {
    dns = await startStubDns();
  });
  afterAll(() => dns.close());

  it('raises when our IP is listed, naming the list and its delisting page, and resolves when it is not', async () => {
    const config = testConfig({
      blocklists: {
        enabled: true,
        ips: ['192.0.2.25'],
        servers: [dns.address],
        lists: [{ zone: 'zen.test', delistUrl: 'https://delist.example/', codes: { '127.0.0.2': 'SBL' } }],
      },
    });
    const monitor = createMtaMonitor({ config, reader: noReader, log: silentLogger(), now: () => T });
    const engine = engineFor(monitor, () => T);
    dns.setAnswers({ '25.2.0.192.zen.test': ['127.0.0.2'] });
    await monitor.checkBlocklists();
    const opened = engine.evaluate().opened;
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ rule: 'ip-listed', subject: 'IP 192.0.2.25 on zen.test' });
    expect(opened[0]?.summary).toContain('https://delist.example/');
    expect(opened[0]?.evidence.delistUrl).toBe('https://delist.example/');
    dns.setAnswers({ '25.2.0.192.zen.test': ['127.255.255.254'] });
    await monitor.checkBlocklists();
    expect(monitor.blocklists().results[0]?.status).toBe('config-error');
    expect(engine.evaluate().resolved.map((a) => a.rule)).toEqual(['ip-listed']);
  });
});

describe('alerts on warnings, the queue and TLS', () => {
  it('fire on fatal lines and on disk-space warnings', () => {
    const engine = engineFor(null, () => T);
    const w = (severity: 'warning' | 'fatal', topic: string, example: string) => ({
      hour: T - HOUR,
      severity,
      topic,
      shape: example,
      example,
      count: 2,
      first: T - 600_000,
      last: T - 300_000,
    });
    engine.ingest(
      batch(
        T - 300_000,
        facts({
          warnings: [
            w('fatal', 'other', 'bind 0.0.0.0 port 25: Address already in use'),
            w('warning', 'disk', 'No space left on device'),
          ],
        }),
      ),
    );
    expect(
      engine
        .evaluate()
        .opened.map((a) => a.rule)
        .sort(),
    ).toEqual(['disk-space', 'mta-fatal']);
  });

  it('fires when the queue read from recorded outputs grew', async () => {
    let t = T;
    let output = '';
    const line = (i: number) =>
      JSON.stringify({
        queue_name: 'deferred',
        queue_id: `Q${i}`,
        arrival_time: T / 1000 - 60,
        message_size: 100,
        recipients: [{ address: `a${i}@slow.example` }],
      });
    const monitor = createMtaMonitor({
      config: testConfig({ queue: { enabled: true } }),
      reader: noReader,
      log: silentLogger(),
      now: () => t,
      run: () => Promise.resolve(output),
    });
    output = Array.from({ length: 400 }, (_, i) => line(i)).join('\n');
    await monitor.readQueue();
    t += 30 * 60_000;
    output = Array.from({ length: 1_000 }, (_, i) => line(i)).join('\n');
    await monitor.readQueue();
    const opened = engineFor(monitor, () => t).evaluate().opened;
    expect(opened).toMatchObject([{ rule: 'queue-growth' }]);
    expect(opened[0]?.evidence.domains).toEqual([{ domain: 'slow.example', count: 1_000 }]);
  });

  it('fires when a domain that used TLS gets mail without it', () => {
    const engine = engineFor(null, () => T);
    engine.ingest(
      batch(
        T - 5 * HOUR,
        facts({ sessions: [{ hour: T - 5 * HOUR, event: 'tls-domain', key: 'bank.example', count: 20 }] }),
      ),
    );
    engine.ingest(
      batch(
        T - 10 * 60_000,
        facts({
          sessions: [
            { hour: T - HOUR, event: 'plain-domain', key: 'bank.example', count: 4 },
            { hour: T - HOUR, event: 'plain-domain', key: 'never-tls.example', count: 9 },
          ],
        }),
      ),
    );
    expect(engine.evaluate().opened.map((a) => a.subject)).toEqual(['domain bank.example']);
  });
});
