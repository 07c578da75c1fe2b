import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_INFO, explain, providerHelp, type Cause } from '../../../classify/index.js';
import type { DetailResponse } from '../../../server/http/contract/detail.js';
import { diagnosticPattern } from '../../../server/services/reply-groups.js';
import { attempt, HOUR, MINUTE, NOW, reject, startTestServer, type TestServer } from './helpers.js';

const blocked = (ts: number, who: string, ip: string) =>
  attempt({
    ts,
    recipient: `${who}@outlook.com`,
    relayHost: 'outlook-com.olc.protection.outlook.com',
    provider: 'microsoft',
    outcome: 'bounced',
    class: 'permanent',
    cause: 'reputation-blocklist',
    replyCode: 550,
    enhancedStatus: '5.7.1',
    dsn: '5.7.1',
    stage: 'rcpt',
    diagnostic: `550 5.7.1 Unfortunately, messages from [${ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). [AM${who.length}PR07MB${ts % 9999}.eurprd07.prod.outlook.com]`,
  });

describe('drill-down endpoints', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    s.write(
      [
        blocked(NOW - 3 * HOUR, 'anna', '192.0.2.10'),
        blocked(NOW - 2 * HOUR, 'ben', '192.0.2.11'),
        blocked(NOW - HOUR, 'anna', '192.0.2.10'),
        attempt({ ts: NOW - HOUR, recipient: 'carla@outlook.com', provider: 'microsoft' }),
        attempt({
          ts: NOW - 30 * MINUTE,
          recipient: 'dmitri@outlook.com',
          provider: 'microsoft',
          outcome: 'deferred',
          class: 'temporary',
          cause: 'rate-limited',
          replyCode: 451,
          enhancedStatus: '4.7.500',
          dsn: '4.7.500',
          diagnostic: '451 4.7.500 Server busy. Please try again later from [192.0.2.10]. (S77719)',
        }),
        attempt({
          ts: NOW - 20 * MINUTE,
          recipient: 'eva@nohost.example',
          provider: null,
          outcome: 'bounced',
          class: 'permanent',
          cause: 'domain-invalid',
          hardBounce: true,
          replyCode: null,
          enhancedStatus: null,
          dsn: '5.4.4',
          diagnostic:
            'Host or domain name not found. Name service error for name=nohost.example type=A: Host not found',
        }),
        attempt({
          ts: NOW - 10 * MINUTE,
          recipient: 'farid@other.example',
          provider: null,
          outcome: 'bounced',
          class: 'permanent',
          cause: 'policy',
          replyCode: 550,
          enhancedStatus: null,
          dsn: null,
          diagnostic: '550 Message refused by local policy',
        }),
      ],
      [
        reject({
          ts: NOW - 50 * MINUTE,
          cause: 'reputation-blocklist',
          recipientDomain: 'sender.example',
          enhancedStatus: '5.7.1',
          replyCode: 554,
          diagnostic:
            '554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org',
        }),
      ],
    );
  });
  afterAll(() => s.close());

  it('domain: counts, own series, reply texts grouped across addresses and ids, affected addresses', async () => {
    const r = await s.get('/api/v1/domains/Outlook.com?range=24h');
    expect(r.status).toBe(200);
    const d = r.body as DetailResponse;
    expect(d.key).toBe('outlook.com');
    expect(d.counts).toMatchObject({ sent: 1, deferred: 1, bounced: 3 });
    expect(d.series.classes.permanent.reduce((a, b) => a + b, 0)).toBe(3);
    expect(d.series.classes.temporary.reduce((a, b) => a + b, 0)).toBe(1);
    expect(d.sampled).toBe(4);
    // The three block-list replies differ in the IP and the server id: one group.
    expect(d.samples[0]).toMatchObject({ count: 3, codes: ['5.7.1'], classes: ['permanent'] });
    expect(d.samples[0]!.example).toContain('(S3150)');
    expect(d.samples[0]!.pattern).toContain('[<ip>]');
    expect(d.samples[0]!.pattern).toContain('5.7.1');
    expect(d.samples).toHaveLength(2);
    expect(d.addresses[0]).toMatchObject({
      address: 'anna@outlook.com',
      count: 2,
      lastCause: 'reputation-blocklist',
      lastCauseTitle: CAUSE_INFO['reputation-blocklist'].title,
      lastOutcome: 'bounced',
    });
    expect(d.addresses.map((a) => a.address)).not.toContain('carla@outlook.com');
    expect(d.causes.map((c) => c.key)).toEqual(['reputation-blocklist', 'rate-limited']);
    expect(d.codes.map((c) => c.key)).toEqual(['5.7.1', '4.7.500']);
    // Each row says what its key means: a cause by its title, a code by its meaning.
    expect(d.causes.map((c) => c.title)).toEqual([
      CAUSE_INFO['reputation-blocklist'].title,
      CAUSE_INFO['rate-limited'].title,
    ]);
    expect(d.codes.map((c) => c.title)).toEqual([
      explain('5.7.1')!.title,
      'Provider-specific code (4.7.500-699)',
    ]);
    expect(d.domains.every((r) => r.title === null)).toBe(true);
    expect(d.cause).toBeNull();
  });

  it('provider: names the provider and lists its domains', async () => {
    const d = (await s.get('/api/v1/providers/microsoft?range=24h')).body as DetailResponse;
    expect(d.provider?.name).toMatch(/Microsoft/);
    expect(d.domains).toEqual([
      { key: 'outlook.com', title: null, count: 4, temporary: 1, permanent: 3, help: null },
    ]);
    expect(d.samples.reduce((n, g) => n + g.count, 0)).toBe(4);
    // Each cause names Microsoft's page for it (as `classify` does), never one help page for all.
    expect(d.causes.length).toBeGreaterThan(0);
    for (const c of d.causes) expect(c.help).toBe(providerHelp('microsoft', c.key as Cause));
    expect(d.causes.some((c) => c.help !== null)).toBe(true);
  });

  it('cause: meaning and action from the classifier, rejects included in texts', async () => {
    const d = (await s.get('/api/v1/causes/reputation-blocklist?range=24h')).body as DetailResponse;
    expect(d.cause).toEqual({
      cause: 'reputation-blocklist',
      title: CAUSE_INFO['reputation-blocklist'].title,
      meaning: CAUSE_INFO['reputation-blocklist'].meaning,
      action: CAUSE_INFO['reputation-blocklist'].action,
    });
    expect(d.counts).toMatchObject({ bounced: 3, rejected: 1 });
    expect(d.sampled).toBe(4);
    expect(d.samples.map((g) => g.count).sort()).toEqual([1, 3]);
  });

  it('code: enhanced statuses match dsn= when the text has none; basic codes match events without one', async () => {
    const enh = (await s.get('/api/v1/codes/5.4.4?range=24h')).body as DetailResponse;
    expect(enh.counts.bounced).toBe(1);
    expect(enh.addresses[0]!.address).toBe('eva@nohost.example');
    expect(enh.addresses[0]!.hardBounce).toBe(true);
    expect(enh.code?.code).toBe('5.4.4');
    expect(enh.code?.actions.length).toBeGreaterThan(0);
    const basic = (await s.get('/api/v1/codes/550?range=24h')).body as DetailResponse;
    expect(basic.counts.bounced).toBe(1);
    expect(basic.samples[0]!.example).toBe('550 Message refused by local policy');
  });

  it('time range and host narrow the drill-down', async () => {
    const d = (await s.get(`/api/v1/domains/outlook.com?from=${NOW - 90 * MINUTE}&to=${NOW}`))
      .body as DetailResponse;
    expect(d.counts).toMatchObject({ sent: 1, deferred: 1, bounced: 1 });
    expect(d.sampled).toBe(2);
    const other = (await s.get('/api/v1/domains/outlook.com?range=24h&host=mx9.example'))
      .body as DetailResponse;
    expect(other.counts.bounced).toBe(0);
    expect(other.samples).toEqual([]);
  });

  it('limits samples and addresses', async () => {
    const d = (await s.get('/api/v1/domains/outlook.com?range=24h&samples=1&addresses=1'))
      .body as DetailResponse;
    expect(d.samples).toHaveLength(1);
    expect(d.addresses).toHaveLength(1);
  });
});

describe('reply text patterns', () => {
  it('mask addresses, ips, ids and numbers but keep the codes', () => {
    expect(diagnosticPattern('450 4.2.0 <a.b@x.example>: Greylisted, please come back in 483 seconds')).toBe(
      '450 4.2.0 <address>: Greylisted, please come back in <n> seconds',
    );
    expect(diagnosticPattern('421-4.7.28 [192.0.2.10] rate limited. d2e1a72fcc-9b1a3f - gsmtp')).toBe(
      '421-4.7.28 [<ip>] rate limited. <id> - gsmtp',
    );
    expect(diagnosticPattern('host mx.example[2001:db8::1] said: 550 5.1.1 user unknown')).toBe(
      'host mx.example[<ip>] said: 550 5.1.1 user unknown',
    );
  });
});
