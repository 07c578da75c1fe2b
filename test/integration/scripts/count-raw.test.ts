/** The independent counter (scripts/count-raw.mjs) on the fixture logs, against figures counted by hand. */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/count-raw.mjs', import.meta.url));
const logs = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));

interface Counted {
  totals: Record<string, number>;
  flows: Record<string, unknown>;
  notificationDeliveries: Record<string, number>;
  ownDomains: { domain: string; why: string }[];
  domains: { domain: string; direction: string }[];
}

function count(...args: string[]): Counted {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Counted;
}

const outcomes = (sent: number, deferred: number, bounced: number, expired: number) => ({
  sent,
  deferred,
  bounced,
  expired,
});
const own = (c: Counted) => c.ownDomains.map((d) => d.domain);
const domain = (c: Counted, name: string) => c.domains.find((d) => d.domain === name);

describe('count-raw', () => {
  it('an MX that refuses spam: rejects inbound, notes, discards and probes apart, backscatter as notifications', () => {
    const c = count(`${logs}mx-refuses-spam/mail.log`);
    expect(c.totals).toEqual({ sent: 7, deferred: 3, bounced: 3, expired: 0, rejected: 10 });
    expect(c.flows).toEqual({
      outbound: outcomes(0, 0, 0, 0),
      inbound: outcomes(7, 1, 2, 0),
      hops: 0,
      waits: 0,
      discarded: 2,
      probes: 3,
      notes: 3,
      notifications: 2,
    });
    expect(c.notificationDeliveries).toEqual(outcomes(0, 2, 1, 0));
    expect(c.ownDomains).toEqual([
      { domain: 'example.net', why: 'accepted from 3 outside clients' },
      { domain: 'example.org', why: 'delivered by lmtp' },
    ]);
    expect(domain(c, 'example.org')).toMatchObject({
      direction: 'inbound',
      sent: 4,
      bounced: 2,
      rejected: 8,
    });
    expect(domain(c, '')).toMatchObject({ rejected: 1 });
  });

  it('a gateway with a content filter: hand-overs are hops, a domain that always bounces has no sent', () => {
    const c = count(`${logs}gateway-content-filter/mail.log`);
    expect(c.totals).toEqual({ sent: 8, deferred: 3, bounced: 4, expired: 0, rejected: 2 });
    expect(c.flows).toMatchObject({
      outbound: outcomes(1, 3, 3, 0),
      inbound: outcomes(3, 0, 1, 0),
      hops: 8,
      notifications: 4,
    });
    expect(own(c)).toEqual(['example.com']);
    expect(domain(c, 'dead.example')).toEqual({
      domain: 'dead.example',
      direction: 'outbound',
      sent: 0,
      deferred: 2,
      bounced: 3,
      expired: 0,
      rejected: 0,
    });
  });

  it('an outbound relay: expired recipients per domain, relay clients never make a domain ours', () => {
    const c = count(`${logs}outbound-relay/mail.log`);
    expect(c.totals).toEqual({ sent: 19, deferred: 7, bounced: 2, expired: 2, rejected: 0 });
    expect(c.flows).toMatchObject({ outbound: outcomes(14, 7, 2, 2), inbound: outcomes(0, 0, 0, 0) });
    expect(c.flows).toMatchObject({ discarded: 1, notifications: 5 });
    expect(c.ownDomains).toEqual([{ domain: 'example.com', why: 'forwarded from alerts@example.com' }]);
    expect(domain(c, 'shop.example')).toMatchObject({ direction: 'outbound', sent: 3 });
    expect(domain(c, 'slow.example')).toMatchObject({ deferred: 3, sent: 1, expired: 1 });
  });

  it('an Exim host: waits, discards and the loopback filter apart, cutthrough sent, forwards outbound', () => {
    const c = count(`${logs}exim-host/mainlog`);
    expect(c.totals).toEqual({ sent: 13, deferred: 2, bounced: 2, expired: 0, rejected: 8 });
    expect(c.flows).toEqual({
      outbound: outcomes(4, 2, 2, 0),
      inbound: outcomes(7, 0, 0, 0),
      hops: 1,
      waits: 3,
      discarded: 3,
      probes: 0,
      notes: 0,
      notifications: 2,
    });
    expect(own(c)).toEqual(['example.com', 'example.org']);
    expect(domain(c, 'example.net')).toMatchObject({ direction: 'outbound', sent: 1 });
  });

  it("a server's own faults are deliveries like any other (their cause is the classifier's)", () => {
    const c = count(`${logs}local-faults/mail.log`);
    expect(c.totals).toEqual({ sent: 8, deferred: 6, bounced: 2, expired: 0, rejected: 2 });
    // The suspended destination's deferral was not tried: a wait.
    expect(c.flows).toMatchObject({
      outbound: outcomes(2, 4, 2, 0),
      inbound: outcomes(4, 2, 0, 0),
      waits: 1,
    });
    expect(own(c)).toEqual(['example.org', 'mail1.example.org']);
  });

  it('takes own domains from the command line, also to say "not ours"', () => {
    const c = count(
      '--own-domain',
      'Forged.Example',
      '--not-own-domain',
      'example.net',
      `${logs}mx-refuses-spam/mail.log`,
    );
    expect(c.ownDomains).toEqual([
      { domain: 'example.org', why: 'delivered by lmtp' },
      { domain: 'forged.example', why: 'named in the config' },
    ]);
    expect(c.flows).toMatchObject({ outbound: outcomes(3, 1, 0, 0), inbound: outcomes(4, 0, 2, 0) });
    expect(domain(c, 'forged.example')).toMatchObject({ direction: 'inbound', bounced: 1 });
  });

  it('counts several logs as one history, and refuses a bad flag with a usage line', () => {
    const one = count(`${logs}exim-host/mainlog`);
    const two = count(`${logs}exim-host/mainlog`, `${logs}outbound-relay/mail.log`);
    expect(two.totals['sent']).toBe(one.totals['sent']! + 19);
    const r = spawnSync(process.execPath, [script, '--bogus', 'x'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^count-raw: unknown option --bogus\nusage: /);
  });
});
