/** What delivery and message lines tell the flow decision: hops, waits, local deliveries, forwarding, SASL, filters. */

import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const H = 'Nov 28 10:00:00 gw1';
const T = '2026-11-28 10:00:00';
const ID = '1tA2bC-000123-Xy';
const parse = (line: string) => parseLine(line, ctx);
const D = 'delay=2.1, delays=0.1/0/0.2/1.8';

describe('hops: hand-overs to a local service that queues the message again', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'amavis on 127.0.0.1:10024 re-queueing through 10025',
      `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.com>, relay=127.0.0.1[127.0.0.1]:10024, ${D}, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 38B0910650A)`,
      { queuedAs: '38B0910650A', relayIp: '127.0.0.1', port: 10024, transport: 'smtp' },
    ],
    [
      'amavis naming its own id first',
      `${H} postfix/smtp-amavis[1]: 4A1B2C3D5E: to=<u@example.com>, relay=localhost[::1]:10024, ${D}, dsn=2.0.0, status=sent (250 2.0.0 Ok, id=04213-12, from MTA([::1]:10025): 250 2.0.0 Ok: queued as 5F4E3D2C1B)`,
      { queuedAs: '5F4E3D2C1B', relayHost: 'localhost', relayIp: '::1' },
    ],
    [
      'a filter answering with a long queue id',
      `${H} postfix/lmtp[1]: 4A1B2C3D5E: to=<u@example.com>, relay=localhost[127.0.0.1]:10026, ${D}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4bXyZ1kLmN2pQrSz)`,
      { queuedAs: '4bXyZ1kLmN2pQrSz', localDelivery: false },
    ],
    [
      'Exim through a filter that re-injects into Exim',
      `${T} ${ID} => u@example.com R=amavis T=amavis_smtp H=127.0.0.1 [127.0.0.1]:10024 C="250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 OK id=1tA2bD-000124-Zz"`,
      { queuedAs: '1tA2bD-000124-Zz', mta: 'exim' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'delivery', outcome: 'sent', flow: 'hop', ...want });
  });

  it.each([
    [
      'a remote server naming its queue id',
      `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.com>, relay=mx.example.com[198.51.100.2]:25, ${D}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9C8B7A6D5E)`,
      '9C8B7A6D5E',
    ],
    [
      'a local LMTP store that queues nothing',
      `${H} postfix/lmtp[1]: 4A1B2C3D5E: to=<u@example.com>, relay=127.0.0.1[127.0.0.1]:24, ${D}, dsn=2.0.0, status=sent (250 2.0.0 <u@example.com> Yf2kABc Saved)`,
      null,
    ],
    [
      'a filter that is down',
      `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.com>, relay=none, ${D}, dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]:10024: Connection refused)`,
      null,
    ],
    [
      'Exim to a remote Exim',
      `${T} ${ID} => u@example.com R=dnslookup T=remote_smtp H=mx.example.com [198.51.100.2] C="250 OK id=1tA2bE-000125-Ab"`,
      '1tA2bE-000125-Ab',
    ],
  ])('not a hop: %s', (_name, line, queuedAs) => {
    const r = parse(line);
    expect(r).toMatchObject({ kind: 'delivery', queuedAs });
    expect(r).not.toHaveProperty('flow');
  });
});

describe('Exim waits, cutthrough and discards', () => {
  it.each([
    `${T} ${ID} == u@example.com routing defer (-51): retry time not reached`,
    `${T} ${ID} == u@example.com R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host`,
    `${T} ${ID} == u@example.com R=dnslookup T=remote_smtp defer (-54): retry time not reached for any host for 'example.com'`,
    `${T} ${ID} == u@example.org R=localuser T=local_delivery defer (-53): Retry time not yet reached`,
  ])('a wait: %s', (line) => {
    expect(parse(line)).toMatchObject({ kind: 'delivery', outcome: 'wait', queueId: ID });
  });

  it('a bounce after retries is a bounce, not a wait', () => {
    const line = `${T} ${ID} ** u@example.com R=dnslookup T=remote_smtp: all hosts for 'example.com' have been failing for a long time (and retry time not reached)`;
    expect(parse(line)).toMatchObject({ outcome: 'bounced' });
  });

  it('a cutthrough delivery is sent', () => {
    const line = `${T} ${ID} >> u@example.com P=<s@example.org> R=dnslookup T=remote_smtp H=mx.example.com [198.51.100.2] C="250 2.0.0 Ok: queued as 9C8B7A6D5E"`;
    expect(parse(line)).toMatchObject({
      kind: 'delivery',
      outcome: 'sent',
      recipient: 'u@example.com',
      sender: 's@example.org',
      relayIp: '198.51.100.2',
      queuedAs: '9C8B7A6D5E',
      localDelivery: false,
    });
  });

  const discards: [string, string, Record<string, unknown>][] = [
    [
      'a :blackhole: router',
      `${T} ${ID} => :blackhole: <spam@example.org> R=blackhole_router`,
      {
        recipient: 'spam@example.org',
        recipientDomain: 'example.org',
        origRecipient: null,
        router: 'blackhole_router',
      },
    ],
    [
      'an ACL discard',
      `${T} ${ID} => blackhole (DATA ACL discarded recipients)`,
      { recipient: '', recipientDomain: '', diagnostic: 'DATA ACL discarded recipients' },
    ],
    [
      "a filter's discard",
      `${T} ${ID} => discarded <u@example.org> R=userforward`,
      { recipient: 'u@example.org', diagnostic: 'discarded' },
    ],
  ];
  it.each(discards)('discarded: %s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'delivery', outcome: 'discarded', queueId: ID, ...want });
  });
});

describe('local mailbox deliveries', () => {
  it.each([
    [
      'Postfix local',
      `${H} postfix/local[1]: 4A1B2C3D5E: to=<u@example.org>, orig_to=<alias@example.org>, relay=local, ${D}, dsn=2.0.0, status=sent (delivered to mailbox)`,
    ],
    [
      'Postfix local to a command',
      `${H} postfix/local[1]: 4A1B2C3D5E: to=<u@example.org>, relay=local, ${D}, dsn=2.0.0, status=sent (delivered to command: /usr/bin/procmail)`,
    ],
    [
      'Postfix virtual',
      `${H} postfix/virtual[1]: 4A1B2C3D5E: to=<u@example.org>, relay=virtual, ${D}, dsn=2.0.0, status=sent (delivered to maildir)`,
    ],
    [
      'Postfix LMTP on a unix socket',
      `${H} postfix/lmtp[1]: 4A1B2C3D5E: to=<u@example.org>, relay=gw1.example.org[private/dovecot-lmtp], ${D}, dsn=2.0.0, status=sent (250 2.0.0 <u@example.org> nB4cQ Saved)`,
    ],
    [
      'Postfix smtp on a unix socket',
      `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.org>, relay=gw1.example.org[/var/run/store.sock], ${D}, dsn=2.0.0, status=sent (250 Ok)`,
    ],
    ['Exim appendfile', `${T} ${ID} => u <u@example.org> R=localuser T=local_delivery`],
    ['Exim maildir', `${T} ${ID} => u@example.org R=virtual_user T=maildir_home`],
    ['Exim pipe', `${T} ${ID} => |/usr/bin/procmail <u@example.org> R=userforward T=address_pipe`],
  ])('%s', (_name, line) => {
    expect(parse(line)).toMatchObject({ kind: 'delivery', outcome: 'sent', localDelivery: true });
  });

  it.each([
    [
      'Postfix smtp to a remote host',
      `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.com>, relay=mx.example.com[198.51.100.2]:25, ${D}, dsn=2.0.0, status=sent (250 Ok)`,
    ],
    [
      'Postfix pipe (a filter or a program)',
      `${H} postfix/pipe[1]: 4A1B2C3D5E: to=<u@example.com>, relay=spamfilter, ${D}, dsn=2.0.0, status=sent (delivered via spamfilter service)`,
    ],
    [
      'Postfix local failure',
      `${H} postfix/local[1]: 4A1B2C3D5E: to=<x@example.org>, relay=local, ${D}, dsn=5.1.1, status=bounced (unknown user: "x")`,
    ],
    [
      'Exim remote',
      `${T} ${ID} => u@example.com R=dnslookup T=remote_smtp H=mx.example.com [198.51.100.2] C="250 OK"`,
    ],
    [
      'Exim failure with a transport but no host',
      `${T} ${ID} ** u@example.com R=dnslookup T=remote_smtp: all relevant MX records point to non-existent hosts`,
    ],
  ])('not local: %s', (_name, line) => {
    expect(parse(line)).toMatchObject({ kind: 'delivery', localDelivery: false });
  });

  it('keeps the original recipient of a forward', () => {
    expect(
      parse(
        `${T} ${ID} => someone@example.net <alias@example.org> R=forwarder T=remote_smtp H=mx.example.net [198.51.100.3]`,
      ),
    ).toMatchObject({
      recipient: 'someone@example.net',
      origRecipient: 'alias@example.org',
      router: 'forwarder',
      transport: 'remote_smtp',
    });
  });
});

describe('accepted messages: client, SASL, filters, notifications', () => {
  it('Postfix smtpd client with SASL', () => {
    expect(
      parse(
        `${H} postfix/submission/smtpd[1]: 4A1B2C3D5E: client=laptop.example.net[192.0.2.44], sasl_method=PLAIN, sasl_username=alice@example.org`,
      ),
    ).toMatchObject({
      kind: 'message',
      event: 'client',
      clientIp: '192.0.2.44',
      saslMethod: 'PLAIN',
      saslUser: 'alice@example.org',
      origQueueId: null,
    });
  });

  it('Postfix smtpd client re-injected by a filter (XFORWARD)', () => {
    expect(
      parse(
        `${H} postfix/smtpd[1]: 38B0910650A: client=mail.example.net[198.51.100.9], orig_queue_id=4A1B2C3D5E, orig_client=localhost[127.0.0.1]`,
      ),
    ).toMatchObject({
      clientHost: 'mail.example.net',
      clientIp: '198.51.100.9',
      origQueueId: '4A1B2C3D5E',
      origClientHost: 'localhost',
      origClientIp: '127.0.0.1',
      saslUser: null,
    });
  });

  it('Exim arrival with an authenticator', () => {
    expect(
      parse(
        `${T} ${ID} <= alice@example.org H=laptop.example.net (laptop) [192.0.2.44]:51000 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 A=dovecot_plain:alice@example.org S=1834 id=m1@example.org`,
      ),
    ).toMatchObject({
      kind: 'message',
      event: 'received',
      clientIp: '192.0.2.44',
      protocol: 'esmtpsa',
      saslMethod: 'dovecot_plain',
      saslUser: 'alice@example.org',
    });
  });

  it('Exim arrival authenticated without an id logged', () => {
    expect(parse(`${T} ${ID} <= bob@example.org H=(pc) [192.0.2.45] P=esmtpa A=login S=900`)).toMatchObject({
      saslMethod: 'login',
      saslUser: null,
    });
  });

  it('Exim notification from <> for a local message', () => {
    expect(parse(`${T} 1tA2bF-000126-Cd <= <> R=${ID} U=Debian-exim P=local S=2300`)).toMatchObject({
      sender: '',
      bounceOf: ID,
      protocol: 'local',
      clientIp: null,
    });
  });
});

describe('Postfix lines that are not attempts: suspended destinations and filter discards', () => {
  it.each([
    `${H} postfix/error[1]: 4A1B2C3D5E: to=<u@example.net>, relay=none, delay=0.02, delays=0.01/0.01/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mx.example.net[192.0.2.7]:25: No route to host)`,
    `${H} postfix/qmgr[1]: 4A1B2C3D5E: to=<u@example.net>, relay=none, delay=6349, delays=6349/0.1/0/0, dsn=4.4.2, status=deferred (delivery temporarily suspended: lost connection with mx.example.net[192.0.2.7] while sending RCPT TO)`,
    `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.net>, relay=none, delay=120, delays=0.05/120/0.05/0, dsn=4.4.3, status=deferred (Delivery temporarily suspended: Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again)`,
  ])('a wait, keeping the reason it repeats: %s', (line) => {
    const r = parse(line);
    expect(r).toMatchObject({ kind: 'delivery', outcome: 'wait', recipientDomain: 'example.net' });
    expect((r as { diagnostic: string }).diagnostic).toMatch(/^delivery temporarily suspended: \S/i);
  });

  it('a deferral that names a suspension elsewhere in its text is still an attempt', () => {
    const line = `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.net>, relay=mx.example.net[192.0.2.7]:25, ${D}, dsn=4.7.0, status=deferred (host mx.example.net[192.0.2.7] said: 421 4.7.0 account delivery temporarily suspended (in reply to RCPT TO command))`;
    expect(parse(line)).toMatchObject({ outcome: 'deferred' });
  });

  it.each([
    [
      'amavis, a virus',
      '250 2.7.0 Ok, discarded, id=01626-01 - INFECTED: Eicar-Test-Signature',
      '127.0.0.1[127.0.0.1]:10024',
    ],
    [
      'amavis, banned content',
      '250 2.7.1 Ok, discarded, id=30481-07 - BANNED: .exe,lib.exe',
      'localhost[::1]:10024',
    ],
    ['an older amavis, spam', '250 2.7.0 Ok, discarded, id=8813-02 - spam', '127.0.0.2[127.0.0.2]:10024'],
  ])("a loopback filter's discard: %s", (_name, reply, relay) => {
    const line = `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.org>, relay=${relay}, ${D}, dsn=2.7.0, status=sent (${reply})`;
    expect(parse(line)).toMatchObject({ kind: 'delivery', outcome: 'discarded', recipient: 'u@example.org' });
  });

  it('a remote server that says "discarded" delivered as far as we can tell', () => {
    const line = `${H} postfix/smtp[1]: 4A1B2C3D5E: to=<u@example.org>, relay=mx.example.org[198.51.100.2]:25, ${D}, dsn=2.7.0, status=sent (250 2.7.0 Ok, discarded, id=1)`;
    expect(parse(line)).toMatchObject({ outcome: 'sent' });
  });
});
