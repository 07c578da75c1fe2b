import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext, ParsedRecord } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const H = 'Nov 28 10:00:00 mx1';

function parse(line: string): ParsedRecord {
  return parseLine(line, ctx);
}

describe('Postfix delivery lines', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'smtp bounce with a remote reply',
      `${H} postfix/smtp[9890]: 5A1C93E07B24: to=<nobody@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.9, delays=0/0/1.5/0.37, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.10] said: 550 5.1.1 <nobody@example.com> User unknown (in reply to RCPT TO command))`,
      {
        kind: 'delivery',
        queueId: '5A1C93E07B24',
        recipient: 'nobody@example.com',
        recipientDomain: 'example.com',
        outcome: 'bounced',
        relayHost: 'mx.example.com',
        relayIp: '192.0.2.10',
        port: 25,
        stage: 'rcpt',
        replyCode: 550,
        enhancedStatus: '5.1.1',
        dsn: '5.1.1',
        diagnostic: '550 5.1.1 <nobody@example.com> User unknown',
        delay: 1.9,
        transport: 'smtp',
      },
    ],
    [
      'multi-line reply joined',
      `${H} postfix/smtp[1]: 0A1B2C3D4E: to=<a@gmail.example>, relay=gmail-smtp-in.l.google.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[192.0.2.1] said: 550-5.7.1 [198.51.100.1] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. 550 5.7.1 https://support.google.com/mail/?p=Unsolicited x - gsmtp (in reply to end of DATA command))`,
      {
        outcome: 'bounced',
        stage: 'end-of-data',
        replyCode: 550,
        enhancedStatus: '5.7.1',
        diagnostic:
          '550 5.7.1 [198.51.100.1] Our system has detected that this message is likely unsolicited mail. https://support.google.com/mail/?p=Unsolicited x - gsmtp',
      },
    ],
    [
      'deferral with a reply in MAIL FROM, multi-instance name',
      `${H} postfix-198.51.100.7/smtp[3022]: 7D20B4C1F9: to=<someone@aol.example>, relay=mx-aol.mail.gm0.yahoodns.net[192.0.2.44]:25, delay=18910, delays=18900/8.9/0.69/0.03, dsn=4.7.0, status=deferred (host mx-aol.mail.gm0.yahoodns.net[192.0.2.44] said: 421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred due to user complaints (in reply to MAIL FROM command))`,
      {
        program: 'postfix-198.51.100.7/smtp',
        outcome: 'deferred',
        stage: 'mail',
        replyCode: 421,
        enhancedStatus: '4.7.0',
        delay: 18910,
      },
    ],
    [
      'local cause: lost connection, error agent',
      `${H} postfix/error[9407]: 4dQrTz9KbLmNpXw2V: to=<user@example.net>, orig_to=<alias@example.org>, relay=none, delay=63495, delays=63350/144/0/0, dsn=4.4.2, status=deferred (delivery temporarily suspended: lost connection with mx7.example.net[192.0.2.22] while sending RCPT TO)`,
      {
        queueId: '4dQrTz9KbLmNpXw2V',
        origRecipient: 'alias@example.org',
        relayHost: 'mx7.example.net',
        relayIp: '192.0.2.22',
        stage: 'rcpt',
        replyCode: null,
        enhancedStatus: null,
        dsn: '4.4.2',
        transport: 'error',
        diagnostic:
          'delivery temporarily suspended: lost connection with mx7.example.net[192.0.2.22] while sending RCPT TO',
      },
    ],
    [
      'DNS failure bounce',
      `${H} postfix/smtp[10603]: B3F0718C2A55: to=<mail@e.example>, relay=none, delay=0.02, delays=0.01/0/0.01/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=e.example type=AAAA: Host not found)`,
      {
        outcome: 'bounced',
        relayHost: null,
        replyCode: null,
        dsn: '5.4.4',
        diagnostic:
          'Host or domain name not found. Name service error for name=e.example type=AAAA: Host not found',
      },
    ],
    [
      'connect refused, stage connect',
      `${H} postfix/smtp[1]: ABCDE12345: to=<x@example.org>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.5]:25: Connection refused)`,
      { stage: 'connect', replyCode: null, dsn: '4.4.1' },
    ],
    [
      'quoted local part',
      `${H} postfix/smtp[1]: ABCDE12345: to=<"john, doe"@example.org>, relay=mx.example.org[192.0.2.5]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 12345)`,
      {
        recipient: '"john, doe"@example.org',
        recipientDomain: 'example.org',
        outcome: 'sent',
        replyCode: 250,
        enhancedStatus: '2.0.0',
      },
    ],
    [
      'lmtp over a unix socket',
      `${H} postfix/lmtp[1]: ABCDE12345: to=<u@example.org>, relay=mail.example.org[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <u@example.org> abc Saved)`,
      { relayHost: 'mail.example.org', relayIp: null, transport: 'lmtp', outcome: 'sent' },
    ],
    [
      'local delivery with a bare recipient and uppercase domain',
      `${H} postfix/local[1]: 61D0C4A9E2: to=someone@Mail.Example.ORG, relay=local, delay=0.05, delays=0.02/0/0/0.02, dsn=5.1.1, status=bounced (unknown user: "someone")`,
      {
        recipient: 'someone@Mail.Example.ORG',
        recipientDomain: 'mail.example.org',
        relayHost: 'local',
        outcome: 'bounced',
        transport: 'local',
      },
    ],
    [
      'relay given as ip:port',
      `${H} postfix/smtp[1]: 0F7A2C91D4E3: to=a@example.org, relay=127.0.0.1:2525, delay=0.44, delays=0.13/0/0.02/0.29, dsn=2.0.0, status=sent (250 Ok)`,
      { relayHost: '127.0.0.1', relayIp: '127.0.0.1', port: 2525 },
    ],
    [
      'nested program name (submission)',
      `${H} postfix/submission/smtpd[1036]: DE81A2E2DA: reject: RCPT from unknown[2001:db8::15]: 550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual mailbox table; from=<s@example.net> to=<x@example.org> proto=ESMTP helo=<client>`,
      {
        kind: 'reject',
        program: 'postfix/submission/smtpd',
        queueId: 'DE81A2E2DA',
        clientHost: 'unknown',
        clientIp: '2001:db8::15',
        helo: 'client',
        sender: 's@example.net',
        recipient: 'x@example.org',
        stage: 'rcpt',
        replyCode: 550,
        enhancedStatus: '5.1.1',
      },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    const r = parse(line);
    expect(r).toMatchObject({ kind: 'delivery', mta: 'postfix', host: 'mx1', ...want });
  });

  it('an unknown status is unparsed with a reason', () => {
    const r = parse(`${H} postfix/smtp[1]: ABCDE12345: to=<x@example.org>, relay=none, status=weird (x)`);
    expect(r).toMatchObject({ kind: 'unparsed', reason: 'unknown status=weird' });
  });
});

describe('Postfix rejects', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'NOQUEUE RCPT reject',
      `${H} postfix/smtpd[1]: NOQUEUE: reject: RCPT from client.example.net[192.0.2.86]: 550 5.1.1 <t@example.com>: Recipient address rejected: User unknown in virtual mailbox table; from=<s@example.net> to=<t@example.com> proto=ESMTP helo=<example.net>`,
      {
        queueId: null,
        action: 'reject',
        clientHost: 'client.example.net',
        clientIp: '192.0.2.86',
        stage: 'rcpt',
        recipient: 't@example.com',
        recipientDomain: 'example.com',
        replyCode: 550,
        diagnostic:
          '550 5.1.1 <t@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
      },
    ],
    [
      'postscreen RBL reject with commas in the trailer',
      `${H} postfix/postscreen[1]: NOQUEUE: reject: RCPT from [192.0.2.233]:4984: 550 5.7.1 Service unavailable; client [192.0.2.233] blocked using zen.example; from=<a@example.net>, to=<b@example.com>, proto=ESMTP, helo=<example.net>`,
      {
        clientHost: null,
        clientIp: '192.0.2.233',
        sender: 'a@example.net',
        recipient: 'b@example.com',
        replyCode: 550,
        enhancedStatus: '5.7.1',
      },
    ],
    [
      'postscreen connect reject without a code',
      `${H} postfix/postscreen[1]: NOQUEUE: reject: CONNECT from [192.0.2.9]:5000: too many connections`,
      { stage: 'connect', clientIp: '192.0.2.9', replyCode: null, diagnostic: 'too many connections' },
    ],
    [
      'milter reject at end of message',
      `${H} postfix/cleanup[1]: 6B2D9F1: milter-reject: END-OF-MESSAGE from c.example.net[192.0.2.86]: 5.7.1 Blocked by SpamAssassin; from=<s@example.net> to=<t@example.com> proto=ESMTP helo=<example.net>`,
      {
        queueId: '6B2D9F1',
        action: 'milter-reject',
        stage: 'end-of-data',
        replyCode: null,
        enhancedStatus: '5.7.1',
      },
    ],
    [
      'cleanup header check reject',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: reject: header Subject: win money from c.example.net[192.0.2.3]; from=<s@example.net> to=<t@example.com> proto=ESMTP helo=<c>: 5.7.1 Spam not welcome`,
      {
        action: 'reject',
        stage: 'data',
        clientIp: '192.0.2.3',
        recipient: 't@example.com',
        enhancedStatus: '5.7.1',
      },
    ],
    [
      'proxy-reject',
      `${H} postfix/smtpd[1]: 5E3F8A0B1C: proxy-reject: END-OF-MESSAGE: 554 5.7.0 Reject, id=1-2 - spam; from=<s@example.net> to=<t@example.com> proto=SMTP helo=<c>`,
      { action: 'proxy-reject', stage: 'end-of-data', replyCode: 554, recipient: 't@example.com' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'reject', mta: 'postfix', ...want });
  });
});

describe('Postfix message, notification and note lines', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'qmgr queue active',
      `${H} postfix/qmgr[1]: 9E61C2D4B0: from=<s@example.com>, size=312343, nrcpt=2 (queue active)`,
      { kind: 'message', event: 'received', sender: 's@example.com', size: 312343, nrcpt: 2 },
    ],
    [
      'qmgr expired',
      `${H} postfix/qmgr[1]: 9E61C2D4B0: from=<s@example.com>, status=expired, returned to sender`,
      { kind: 'message', event: 'expired', status: 'expired', sender: 's@example.com' },
    ],
    [
      'qmgr force-expired',
      `${H} postfix/qmgr[1]: 9E61C2D4B0: from=<s@example.com>, status=force-expired, returned to sender`,
      { kind: 'message', event: 'expired', status: 'force-expired' },
    ],
    [
      'qmgr removed',
      `${H} postfix/qmgr[1]: 9E61C2D4B0: removed`,
      { kind: 'message', event: 'removed', queueId: '9E61C2D4B0' },
    ],
    [
      'cleanup message-id',
      `${H} postfix/cleanup[1]: 9E61C2D4B0: message-id=<abc@example.com>`,
      { kind: 'message', event: 'message-id', messageId: 'abc@example.com' },
    ],
    [
      'smtpd client',
      `${H} postfix/smtpd[1]: 9E61C2D4B0: client=c.example.net[192.0.2.1], sasl_method=PLAIN, sasl_username=u`,
      { kind: 'message', event: 'client', clientHost: 'c.example.net', clientIp: '192.0.2.1' },
    ],
    [
      'pickup',
      `${H} postfix/pickup[1]: 2C8D41F0A7: uid=0 from=<root>`,
      { kind: 'message', event: 'pickup', sender: 'root' },
    ],
    [
      'bounce notification',
      `${H} postfix/bounce[9719]: 5A1C93E07B24: sender non-delivery notification: C7E5A1940B2D`,
      {
        kind: 'notification',
        queueId: '5A1C93E07B24',
        notificationQueueId: 'C7E5A1940B2D',
        notificationType: 'sender non-delivery notification',
      },
    ],
    [
      'delay notification',
      `${H} postfix/bounce[1]: 5A1C93E07B24: sender delay notification: C7E5A1940B2E`,
      { kind: 'notification', notificationType: 'sender delay notification' },
    ],
    [
      'per-attempt reply',
      `${H} postfix/smtp[1]: 1234ABCDEF: host relay.example.com[192.0.2.1] said: 450 4.1.8 <r@x>: Sender address rejected: Domain not found (in reply to RCPT TO command)`,
      {
        kind: 'ignored',
        queueId: '1234ABCDEF',
        remoteHost: 'relay.example.com',
        remoteIp: '192.0.2.1',
        replyCode: 450,
        enhancedStatus: '4.1.8',
      },
    ],
    [
      'connect',
      `${H} postfix/smtpd[1]: connect from unknown[192.0.2.1]`,
      { kind: 'ignored', remoteIp: '192.0.2.1' },
    ],
    [
      'unknown postfix line',
      `${H} postfix/smtpd[1]: something entirely new happened`,
      { kind: 'unparsed', mta: 'postfix', reason: 'unknown line' },
    ],
    ['foreign program', `${H} dovecot: imap-login: Login: user=<u>`, { kind: 'foreign', program: 'dovecot' }],
    ['CRLF line end', `${H} postfix/qmgr[1]: 9E61C2D4B0: removed\r`, { kind: 'message', event: 'removed' }],
    [
      'long queue id without digits',
      `${H} postfix/qmgr[1]: 3bCDfGhJkLmNzPqRsT: removed`,
      { kind: 'message', queueId: '3bCDfGhJkLmNzPqRsT', event: 'removed' },
    ],
    [
      'long queue id, letters only',
      `${H} postfix/qmgr[1]: bCDfGhJkLmNzPqRsT: removed`,
      { kind: 'message', queueId: 'bCDfGhJkLmNzPqRsT' },
    ],
    [
      'renamed syslog_name',
      `${H} mx-out/qmgr[1]: 9E61C2D4B0: removed`,
      { kind: 'message', mta: 'postfix', event: 'removed' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject(want);
  });
});

describe('brief parsing (ingest)', () => {
  const brief: ParseContext = { ...ctx, brief: true };
  it('gives ignored lines bare, and warnings in full', () => {
    const line = `${H} postfix/smtp[1]: 1234ABCDEF: host relay.example.com[192.0.2.1] said: 450 4.1.8 <r@x>: Sender address rejected: Domain not found (in reply to RCPT TO command)`;
    expect(parse(line)).toMatchObject({ queueId: '1234ABCDEF', remoteIp: '192.0.2.1', replyCode: 450 });
    expect(parseLine(line, brief)).toEqual({
      kind: 'ignored',
      ts: '2026-11-28T10:00:00.000Z',
      tsMs: Date.UTC(2026, 10, 28, 10),
      host: 'mx1',
      mta: 'postfix',
      program: 'postfix/smtp',
      pid: 1,
    });
    const warning = `${H} postfix/smtpd[1]: warning: hostname x.example does not resolve to address 192.0.2.1`;
    expect(parseLine(warning, brief)).toEqual(parse(warning));
    expect(parseLine(warning, brief)).toMatchObject({ kind: 'warning', severity: 'warning' });
    expect(parseLine(`${H} postfix/smtpd[1]: connect from unknown[192.0.2.1]`, brief)).not.toHaveProperty(
      'remoteIp',
    );
  });

  it('reads every other line as in full', () => {
    const lines = [
      `${H} postfix/smtp[9890]: 5A1C93E07B24: to=<nobody@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.9, delays=0/0/1.5/0.37, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.10] said: 550 5.1.1 <nobody@example.com> User unknown (in reply to RCPT TO command))`,
      `${H} postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 <u@example.org>: Relay access denied; from=<s@example.net> to=<u@example.org> proto=ESMTP helo=<x>`,
      `${H} postfix/qmgr[1]: 9E61C2D4B0: from=<s@example.net>, size=1200, nrcpt=1 (queue active)`,
      `${H} postfix/smtpd[1]: something entirely new happened`,
    ];
    for (const line of lines) expect(parseLine(line, { ...ctx, brief: true })).toEqual(parse(line));
  });
});
