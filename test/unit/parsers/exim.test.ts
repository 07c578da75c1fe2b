import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const T = '2026-11-28 10:00:00';
const ID = '1tX9aB-0004Qz-7K';
const LONG = '16VDhn-000000001bo-D342';

describe('Exim delivery records', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      '=> with a confirmation',
      `${T} ${ID} => user@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 OK 1234 - accepted"`,
      {
        outcome: 'sent',
        recipient: 'user@example.com',
        recipientDomain: 'example.com',
        relayHost: 'mx.example.com',
        relayIp: '192.0.2.2',
        port: 25,
        replyCode: 250,
        enhancedStatus: '2.0.0',
        transport: 'remote_smtp',
      },
    ],
    [
      '=> with the return path logged',
      `${T} ${ID} => u@example.com P=<s@example.org> R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]`,
      { outcome: 'sent', sender: 's@example.org' },
    ],
    [
      '-> additional address, 23-character id',
      `${T} ${LONG} -> ok2@example.com R=r0 T=t2`,
      { queueId: LONG, outcome: 'sent', recipient: 'ok2@example.com' },
    ],
    [
      '=> to a file through a redirection: the intermediate (in parentheses) is not the recipient',
      `${T} ${ID} => /dev/null (list@lists.example) <owner@example.org> R=aliases T=**bypassed**`,
      { recipient: 'owner@example.org', recipientDomain: 'example.org' },
    ],
    [
      '=> to an autoreply whose text lists addresses: the address in brackets counts',
      `${T} ${ID} => >a@example.net,b@example.net, ... <user@example.org> R=vacation T=autoreply`,
      { recipient: 'user@example.org', recipientDomain: 'example.org' },
    ],
    [
      '=> to a local part: the address in brackets counts',
      `${T} ${ID} => CALLER <caller@host.example> R=localuser T=local_delivery`,
      { recipient: 'caller@host.example', origRecipient: 'CALLER', recipientDomain: 'host.example' },
    ],
    [
      '=> to a pipe',
      `${T} ${ID} => |/usr/bin/procmail <u@example.org> R=userforward T=address_pipe`,
      { recipient: 'u@example.org', origRecipient: '|/usr/bin/procmail' },
    ],
    [
      '** with a remote RCPT error',
      `${T} ${ID} ** userz@example.com R=all T=smtp H=mx.example.com [192.0.2.3] X=TLS1.2:ECDHE:256 CV=yes: SMTP error from remote mail server after RCPT TO:<userz@example.com>: 550 5.1.1 <userz@example.com>: Recipient address rejected: User unknown`,
      {
        outcome: 'bounced',
        stage: 'rcpt',
        replyCode: 550,
        enhancedStatus: '5.1.1',
        relayIp: '192.0.2.3',
        diagnostic: '550 5.1.1 <userz@example.com>: Recipient address rejected: User unknown',
      },
    ],
    [
      '** with the older remote mailer wording',
      `${T} ${ID} ** ace400@pb.example R=dnslookup T=smtp H=mail.pb.example [192.0.2.4]: SMTP error from remote mailer after RCPT TO:<ace400@pb.example>: 553 5.3.0 <ace400@pb.example>... Addressee unknown`,
      { outcome: 'bounced', stage: 'rcpt', replyCode: 553, enhancedStatus: '5.3.0' },
    ],
    [
      '** routing failure',
      `${T} ${ID} ** jim@trek99.example <jim@trek99.example>: unknown mail domain`,
      {
        outcome: 'bounced',
        recipient: 'jim@trek99.example',
        diagnostic: 'unknown mail domain',
        replyCode: null,
      },
    ],
    [
      '** with a reason and no fields',
      `${T} ${ID} ** badport@example.org mua_wrapper forced failure for deferred delivery`,
      {
        outcome: 'bounced',
        recipient: 'badport@example.org',
        diagnostic: 'mua_wrapper forced failure for deferred delivery',
      },
    ],
    [
      '** LMTP error with a multi-line reply written with \\n',
      `${T} ${ID} ** u@example.org F=<s@example.org> R=smartuser T=lmtp H=127.0.0.1 [127.0.0.1]: LMTP error after DATA: 550-I don't like this user\\n550 Bad user`,
      {
        outcome: 'bounced',
        stage: 'data',
        replyCode: 550,
        diagnostic: "550 I don't like this user Bad user",
        sender: 's@example.org',
      },
    ],
    [
      '** retry timeout',
      `${T} ${ID} ** b@known.example: retry timeout exceeded`,
      { outcome: 'bounced', recipient: 'b@known.example', diagnostic: 'retry timeout exceeded' },
    ],
    [
      '== defer (-44) with a remote reply',
      `${T} ${ID} == userx@example.com R=all T=smtp defer (-44) H=mx.example.com [192.0.2.5]: SMTP error from remote mail server after RCPT TO:<userx@example.com>: 452 4.2.2 Mailbox full`,
      { outcome: 'deferred', stage: 'rcpt', replyCode: 452, enhancedStatus: '4.2.2' },
    ],
    [
      '== defer (111) connection refused',
      `${T} ${ID} == x@example.net R=dnslookup T=smtp defer (111): Connection refused`,
      { outcome: 'deferred', diagnostic: 'Connection refused', stage: 'connect', replyCode: null },
    ],
    [
      'through syslog',
      `Nov 28 10:00:00 mx exim[1234]: ${ID} => u@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]`,
      { host: 'mx', program: 'exim', pid: 1234, outcome: 'sent', relayIp: '192.0.2.2' },
    ],
    [
      "through syslog with Exim's own time stamp (syslog_timestamp)",
      `Nov 28 10:00:00 mx exim[1234]: 2026-11-28 10:00:00 ${ID} ** u@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]: SMTP error from remote mail server after RCPT TO:<u@example.com>: 550 5.1.1 unknown`,
      {
        host: 'mx',
        pid: 1234,
        outcome: 'bounced',
        queueId: ID,
        replyCode: 550,
        ts: '2026-11-28T10:00:00.000Z',
      },
    ],
    [
      'through syslog with a zoned Exim time stamp and pid',
      `Nov 28 10:00:00 mx exim4[1234]: 2026-11-28 11:00:00.123 +0100 [1234] ${LONG} => u@example.com R=r T=t`,
      { program: 'exim4', outcome: 'sent', queueId: LONG },
    ],
    [
      'mainlog with subseconds, zone and pid',
      `2026-11-28 11:00:00.250 +0100 [4321] ${ID} == u@example.com R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host`,
      { ts: '2026-11-28T10:00:00.250Z', pid: 4321, outcome: 'wait' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parseLine(line, ctx)).toMatchObject({
      kind: 'delivery',
      mta: 'exim',
      queueId: expect.any(String) as string,
      ...want,
    });
  });
});

describe('Exim queue time (QT=) as the delivery delay', () => {
  const delayOf = (tail: string) => {
    const r = parseLine(
      `${T} ${ID} => u@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]${tail}`,
      ctx,
    );
    return r.kind === 'delivery' ? r.delay : undefined;
  };
  it('reads whole units and millisecond seconds after the confirmation', () => {
    expect(delayOf(' C="250 OK" QT=1d2h3m4s DT=2s')).toBe(93_784);
    expect(delayOf(' C="250 OK" QT=0.214s DT=0.1s')).toBe(0.214);
    expect(delayOf(' QT=3m')).toBe(180);
    expect(delayOf(' C="250 OK"')).toBeNull();
  });
  it('never takes a QT= a remote server wrote into its reply', () => {
    expect(delayOf(' C="250 OK QT=9d"')).toBeNull();
    expect(delayOf(' C="250 OK QT=9d" QT=5s')).toBe(5);
    expect(delayOf(' C="250 OK" QT=12x')).toBeNull();
  });
  it('is read for delivered mail only', () => {
    const r = parseLine(`${T} ${ID} ** u@example.com R=dnslookup T=remote_smtp QT=5s: 550 no such user`, ctx);
    expect(r.kind === 'delivery' ? r.delay : undefined).toBeNull();
  });
});

describe('Exim message and reject lines', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      '<= arrival',
      `${T} ${ID} <= s@example.org H=c.example.org (helo.example.org) [192.0.2.20]:5000 P=esmtps S=1795 id=abc@example.org`,
      {
        kind: 'message',
        event: 'received',
        sender: 's@example.org',
        size: 1795,
        messageId: 'abc@example.org',
        clientHost: 'c.example.org',
        clientIp: '192.0.2.20',
      },
    ],
    [
      '<= bounce with R=',
      `${T} ${LONG} <= <> R=${ID} U=Debian-exim P=local S=2120`,
      { kind: 'message', event: 'received', sender: '', bounceOf: ID, size: 2120 },
    ],
    ['Completed', `${T} ${ID} Completed QT=1s`, { kind: 'message', event: 'completed' }],
    ['*** Frozen', `${T} ${ID} *** Frozen (delivery error message)`, { kind: 'message', event: 'frozen' }],
    ['Message is frozen', `${T} ${ID} Message is frozen`, { kind: 'message', event: 'frozen' }],
    ['frozen by an ACL', `${T} ${ID} frozen by ACL`, { kind: 'message', event: 'frozen' }],
    ['unfrozen by the admin', `${T} ${ID} Unfrozen by forced delivery`, { kind: 'message', event: 'other' }],
    [
      'rejected RCPT',
      `${T} H=c.example.net [192.0.2.30]:35328 X=TLS1.2:ECDHE:256 CV=no F=<a@example.net> rejected RCPT <b@example.com>: No Such User Here`,
      {
        kind: 'reject',
        queueId: null,
        clientHost: 'c.example.net',
        clientIp: '192.0.2.30',
        sender: 'a@example.net',
        recipient: 'b@example.com',
        stage: 'rcpt',
        diagnostic: 'No Such User Here',
      },
    ],
    [
      'rejected RCPT with a helo only and a bare address',
      `${T} H=([192.0.2.95]) [192.0.2.95]:52391 I=[198.51.100.4]:25 F=x@example.net rejected RCPT some@example.com: rejected found in dnsbl zen.example`,
      {
        kind: 'reject',
        clientHost: null,
        helo: '[192.0.2.95]',
        clientIp: '192.0.2.95',
        recipient: 'some@example.com',
        sender: 'x@example.net',
      },
    ],
    [
      'rejected after DATA with an id',
      `${T} ${ID} H=c.example.net [192.0.2.31] F=<a@example.net> rejected after DATA: message contains malware`,
      { kind: 'reject', queueId: ID, stage: 'end-of-data', recipient: null },
    ],
    [
      'temporarily rejected connection',
      `${T} H=c.example.net [192.0.2.32]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited"`,
      { kind: 'reject', action: 'temporarily-rejected', stage: 'connect' },
    ],
    ['*> suppressed delivery', `${T} ${ID} *> u@example.com R=r T=t`, { kind: 'ignored' }],
    ['queue run note', `${T} Start queue run: pid=788`, { kind: 'ignored' }],
    ['unknown flag', `${T} ${ID} =< x@example.com`, { kind: 'unparsed', mta: 'exim' }],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parseLine(line, ctx)).toMatchObject({ mta: 'exim', ...want });
  });
});

describe('brief parsing (ingest)', () => {
  it('gives ignored lines bare, and every other line in full', () => {
    const note = `${T} ${ID} H=mx.example.com [192.0.2.2]: Connection timed out`;
    expect(parseLine(note, ctx)).toMatchObject({ kind: 'ignored', queueId: ID, remoteIp: '192.0.2.2' });
    const brief = parseLine(note, { ...ctx, brief: true });
    expect(brief).toMatchObject({ kind: 'ignored', mta: 'exim' });
    expect(brief).not.toHaveProperty('queueId');
    expect(brief).not.toHaveProperty('remoteIp');
    const bounce = `${T} ${ID} ** u@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]: SMTP error from remote mail server after RCPT TO:<u@example.com>: 550 5.1.1 User unknown`;
    expect(parseLine(bounce, { ...ctx, brief: true })).toEqual(parseLine(bounce, ctx));
  });
});
