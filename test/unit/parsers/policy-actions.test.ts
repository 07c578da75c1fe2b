/** Postfix policy actions: what refuses mail (reject), what refuses nothing (note), what drops it (discard). */

import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const H = 'Nov 28 10:00:00 mx1';
const TRAILER = 'from=<s@example.net> to=<t@example.com> proto=ESMTP helo=<c.example.net>';
const parse = (line: string) => parseLine(line, ctx);

describe('notes: policy actions that refuse nothing', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'reject_warning from warn_if_reject, NOQUEUE',
      `${H} postfix/smtpd[1]: NOQUEUE: reject_warning: RCPT from c.example.net[192.0.2.3]: 450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.3]; ${TRAILER}`,
      { action: 'reject_warning', queueId: null, stage: 'rcpt', replyCode: 450, enhancedStatus: '4.7.1' },
    ],
    [
      'reject_warning on a DNSBL hit, queued',
      `${H} postfix/smtpd[1]: 3B2C1D0E9F: reject_warning: RCPT from unknown[198.51.100.20]: 554 5.7.1 Service unavailable; Client host [198.51.100.20] blocked using zen.example.org; ${TRAILER}`,
      { action: 'reject_warning', queueId: '3B2C1D0E9F', clientIp: '198.51.100.20', replyCode: 554 },
    ],
    [
      'reject_warning at CONNECT from postscreen',
      `${H} postfix/smtpd[1]: NOQUEUE: reject_warning: CONNECT from unknown[203.0.113.7]: 554 5.7.1 <unknown[203.0.113.7]>: Client host rejected: Access denied; proto=SMTP`,
      { action: 'reject_warning', stage: 'connect', clientIp: '203.0.113.7', recipient: null },
    ],
    [
      'hold from an access map',
      `${H} postfix/smtpd[1]: 5E3F8A0B1C: hold: RCPT from c.example.net[192.0.2.3]: <t@example.com>: Recipient address triggers HOLD action; ${TRAILER}`,
      { action: 'hold', queueId: '5E3F8A0B1C', recipient: 't@example.com', replyCode: null },
    ],
    [
      'hold from a header check',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: hold: header Subject: Invoice 4711 from c.example.net[192.0.2.3]; ${TRAILER}: Quarantined`,
      { action: 'hold', stage: 'data', diagnostic: 'Quarantined (header Subject: Invoice 4711)' },
    ],
    [
      'milter-hold',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: milter-hold: END-OF-MESSAGE from c.example.net[192.0.2.3]: milter triggers HOLD action; ${TRAILER}`,
      { action: 'milter-hold', stage: 'end-of-data', sender: 's@example.net' },
    ],
    [
      'access map WARN',
      `${H} postfix/smtpd[1]: NOQUEUE: warn: RCPT from c.example.net[192.0.2.3]: <s@example.net>: Sender address triggers WARN action; ${TRAILER}`,
      { action: 'warn', stage: 'rcpt', recipient: 't@example.com' },
    ],
    [
      'header check WARN',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: warning: header Content-Disposition: attachment; filename="a.zip" from c.example.net[192.0.2.3]; ${TRAILER}`,
      { action: 'warning', stage: 'data', clientIp: '192.0.2.3', recipient: 't@example.com' },
    ],
    [
      'milter_header_checks WARN',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: milter-header-warning: header X-Spam-Flag: YES from c.example.net[192.0.2.3]; ${TRAILER}`,
      { action: 'milter-header-warning', stage: 'data' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'note', mta: 'postfix', ...want });
  });
});

describe('discards: accepted, then dropped, one per recipient named', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'smtpd DISCARD before the queue file exists',
      `${H} postfix/smtpd[1]: NOQUEUE: discard: RCPT from c.example.net[192.0.2.3]: <s@example.net>: Sender address triggers DISCARD action; ${TRAILER}`,
      {
        queueId: null,
        recipient: 't@example.com',
        recipientDomain: 'example.com',
        sender: 's@example.net',
        clientIp: '192.0.2.3',
        helo: 'c.example.net',
        stage: 'rcpt',
        transport: 'smtpd',
      },
    ],
    [
      'smtpd DISCARD on a client',
      `${H} postfix/smtpd[1]: 7A6B5C4D3E: discard: CONNECT from c.example.net[192.0.2.3]: <c.example.net[192.0.2.3]>: Client host triggers DISCARD action; proto=SMTP`,
      { queueId: '7A6B5C4D3E', recipient: '', recipientDomain: '', stage: 'connect' },
    ],
    [
      'header check DISCARD',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: discard: header Subject: lottery winner from c.example.net[192.0.2.3]; ${TRAILER}: bye`,
      {
        queueId: '5E3F8A0B1C',
        recipient: 't@example.com',
        diagnostic: 'bye (header Subject: lottery winner)',
      },
    ],
    [
      'body check DISCARD',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: discard: body click here now from c.example.net[192.0.2.3]; ${TRAILER}`,
      { stage: 'data', transport: 'cleanup' },
    ],
    [
      'milter DISCARD',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: milter-discard: END-OF-MESSAGE from c.example.net[192.0.2.3]: milter triggers DISCARD action; ${TRAILER}`,
      { stage: 'end-of-data', recipient: 't@example.com' },
    ],
    [
      'milter_header_checks DISCARD',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: milter-header-discard: header X-Spam-Level: ********** from c.example.net[192.0.2.3]; ${TRAILER}`,
      { stage: 'data' },
    ],
    [
      'the discard(8) delivery agent',
      `${H} postfix/discard[1]: 5E3F8A0B1C: to=<x@sink.example>, relay=none, delay=0.02, delays=0.02/0/0/0, dsn=2.0.0, status=sent (sink.example)`,
      {
        queueId: '5E3F8A0B1C',
        recipient: 'x@sink.example',
        dsn: '2.0.0',
        transport: 'discard',
        clientIp: null,
      },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'delivery', outcome: 'discarded', mta: 'postfix', ...want });
  });
});

describe('rejects stay rejects', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'DNSBL',
      `${H} postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[198.51.100.20]: 554 5.7.1 Service unavailable; Client host [198.51.100.20] blocked using zen.example.org; ${TRAILER}`,
      { action: 'reject', replyCode: 554, clientIp: '198.51.100.20' },
    ],
    [
      'postscreen DNSBL',
      `${H} postfix/postscreen[1]: NOQUEUE: reject: RCPT from [203.0.113.9]:40222: 550 5.7.1 Service unavailable; client [203.0.113.9] blocked using bl.example.org; ${TRAILER}`,
      { action: 'reject', clientIp: '203.0.113.9' },
    ],
    [
      'our disk is full',
      `${H} postfix/smtpd[1]: NOQUEUE: reject: MAIL from c.example.net[192.0.2.3]: 452 4.3.1 Insufficient system storage; proto=ESMTP helo=<c.example.net>`,
      { action: 'reject', stage: 'mail', replyCode: 452, enhancedStatus: '4.3.1' },
    ],
    [
      'milter_header_checks REJECT',
      `${H} postfix/cleanup[1]: 5E3F8A0B1C: milter-header-reject: header X-Virus: Eicar from c.example.net[192.0.2.3]; ${TRAILER}: 5.7.1 virus found`,
      { action: 'milter-header-reject', enhancedStatus: '5.7.1' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'reject', ...want });
  });
});

describe('informational actions are understood and recorded as nothing', () => {
  it.each([
    `${H} postfix/cleanup[1]: 4104E3D0AA: milter-header-redirect: header X-Spam-Status: Yes, score=39.3 required=5.0 from c.example.net[192.0.2.3]; ${TRAILER}: trap@example.com`,
    `${H} postfix/cleanup[1]: 4104E3D0AA: milter-body-replace: body old text from c.example.net[192.0.2.3]; ${TRAILER}`,
    `${H} postfix/smtpd[1]: NOQUEUE: filter: RCPT from c.example.net[192.0.2.3]: <t@example.com>: Recipient address triggers FILTER smtp-amavis:[127.0.0.1]:10024; ${TRAILER}`,
    `${H} postfix/cleanup[1]: 4104E3D0AA: redirect: header Subject: x from c.example.net[192.0.2.3]; ${TRAILER}: other@example.com`,
  ])('%s', (line) => {
    expect(parse(line)).toMatchObject({
      kind: 'ignored',
      sender: 's@example.net',
      recipient: 't@example.com',
    });
  });
});

describe('Exim: a reject is a line whose verb is "rejected"', () => {
  const T = '2026-11-28 10:00:00';
  it.each([
    [
      'a protocol error that drops the client',
      `${T} SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[203.0.113.206] input="EHLO x\\r\\n"`,
      { stage: 'connect', clientIp: '203.0.113.206', clientHost: null },
    ],
    [
      'a client with neither a name nor a HELO',
      `${T} H=[203.0.113.207]:41000 U=mail rejected connection in "connect" ACL: blocked`,
      { stage: 'connect', clientIp: '203.0.113.207', clientHost: null, diagnostic: 'blocked' },
    ],
    [
      'a cached callout failure',
      `${T} H=mx.sender.example [198.51.100.150] F=<x@sender.example> rejected RCPT <bob@example.org>: Sender verify failed: Previous (cached) callout verification failure`,
      { stage: 'rcpt', recipient: 'bob@example.org' },
    ],
    [
      'a quoted local part with spaces',
      `${T} U=mail F=<> temporarily rejected RCPT <"deny verify = x"@example.org>: unknown ACL condition`,
      {
        action: 'temporarily-rejected',
        recipient: '"deny verify = x"@example.org',
        recipientDomain: 'example.org',
      },
    ],
    [
      'local_scan',
      `${T} 1vA1aa-00000000Xy0-AbCd H=(pc) [203.0.113.208] P=esmtp F=<x@spam.example> rejected by local_scan(): spam score 12.5`,
      { queueId: '1vA1aa-00000000Xy0-AbCd', diagnostic: 'spam score 12.5' },
    ],
  ])('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'reject', mta: 'exim', ...want });
  });

  it('a remote reply quoted in a per-host note is not a reject', () => {
    const line = `${T} 1vA1aa-00000000Xy0-AbCd H=mx.remote.example [198.51.100.2]: SMTP error from remote mail server after RCPT TO:<a@remote.example>: 550 5.7.1 Message rejected by policy`;
    expect(parse(line)).toMatchObject({ kind: 'ignored', remoteIp: '198.51.100.2' });
  });
});
