/** Lines about the server rather than the mail: address-verification probes, verbose output, warnings. */

import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const H = 'Nov 28 10:00:00 mx1';
const T = '2026-11-28 10:00:00';
const ID = '1tA2bC-000123-Xy';
const parse = (line: string) => parseLine(line, ctx);

describe('address verification probes', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'deliverable, remote',
      `${H} postfix/smtp[1]: 8F7E6D5C4B: to=<u@example.org>, relay=mx.example.org[198.51.100.5]:25, delay=0.6, delays=0.01/0/0.4/0.2, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)`,
      {
        status: 'deliverable',
        recipient: 'u@example.org',
        recipientDomain: 'example.org',
        relayIp: '198.51.100.5',
        replyCode: 250,
        dsn: '2.1.5',
        transport: 'smtp',
      },
    ],
    [
      'undeliverable with the remote reply',
      `${H} postfix/smtp[1]: 8F7E6D5C4B: to=<nobody@example.org>, relay=mx.example.org[198.51.100.5]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=undeliverable (host mx.example.org[198.51.100.5] said: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))`,
      { status: 'undeliverable', stage: 'rcpt', replyCode: 550, enhancedStatus: '5.1.1' },
    ],
    [
      'undeliverable-but-not-cached (negative cache off)',
      `${H} postfix/smtp[1]: 8F7E6D5C4B: to=<gone@example.org>, relay=mx.example.org[198.51.100.5]:25, delay=1.2, delays=0/0/1/0.2, dsn=5.1.1, status=undeliverable-but-not-cached (host mx.example.org[198.51.100.5] said: 550 5.1.1 No such mailbox (in reply to RCPT TO command))`,
      { status: 'undeliverable-but-not-cached', replyCode: 550 },
    ],
    [
      'a temporary failure is undeliverable too',
      `${H} postfix/smtp[1]: 8F7E6D5C4B: to=<u@example.org>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=undeliverable (connect to mx.example.org[198.51.100.5]:25: Connection timed out)`,
      { status: 'undeliverable', relayHost: 'mx.example.org', stage: 'connect' },
    ],
    [
      'sendmail -bv through the local agent',
      `${H} postfix/local[1]: 8F7E6D5C4B: to=<root@mx1.example.org>, orig_to=<postmaster>, relay=local, delay=0.01, delays=0/0/0/0, dsn=2.0.0, status=deliverable (aliased to root)`,
      { status: 'deliverable', origRecipient: 'postmaster', transport: 'local' },
    ],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'probe', queueId: '8F7E6D5C4B', ...want });
  });
});

describe('Postfix verbose output is debug', () => {
  it.each([
    'name_mask: all',
    'inet_addr_local: configured 2 IPv4 addresses',
    'process generation: 17 (17)',
    'connection established',
    'master_notify: status 1',
    'connect to subsystem private/rewrite',
    'send attr request = rewrite',
    'send attr sender = ',
    'private/rewrite socket: wanted attribute: flags',
    'public/cleanup socket: wanted attribute: (list terminator)',
    'input attribute name: queue_id',
    'input attribute value: 7C6B697E07F1',
    'rewrite stream disconnect',
    '> unknown[192.0.2.1]: 250-mx1.example.org',
    '< unknown[192.0.2.1]: MAIL FROM:<s@example.net> SIZE=1234',
    '> mx.example.com[198.51.100.2]:25: RCPT TO:<u@example.com>',
    '>>> START Recipient address RESTRICTIONS <<<',
    '>>> CHECKING RECIPIENT MAPS <<<',
    'smtpd_check_addr: addr=s@example.net',
    'extract_addr: in: <s@example.net>, result: s@example.net',
    "resolve_clnt: `' -> `u@example.com' -> transp=`smtp' host=`example.com' rcpt=`u@example.com' flags= class=default",
    'maps_find: hash:/etc/postfix/virtual(0,lock|fold_fix): u@example.com = v@example.org',
    'before input_transp_cleanup: cleanup flags = enable_header_body_filter',
    'defer transport smtp: 4.3.0 mail transport unavailable',
    'fsspace: .: block size 4096, blocks free 35958',
    'deliver_mailbox[1]: local u recip u@example.org exten  deliver u@example.org',
    'dict_eval: const  5s',
    'Compiled against Berkeley DB: 5.3.28?',
    'mx.example.com[198.51.100.2]:25: depth=0 verify=1 subject=/CN=mx.example.com',
    'SSL_connect:SSLv3/TLS write client hello',
    'tlsmgr_cache_run_event: start TLS smtpd session cache cleanup',
  ])('%s', (message) => {
    expect(parse(`${H} postfix/smtpd[1]: ${message}`)).toEqual({
      kind: 'debug',
      ts: '2026-11-28T10:00:00.000Z',
      tsMs: Date.UTC(2026, 10, 28, 10),
      host: 'mx1',
      mta: 'postfix',
      program: 'postfix/smtpd',
      pid: 1,
    });
  });

  it.each([
    'connect from unknown[192.0.2.1]',
    'disconnect from unknown[192.0.2.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5',
    'lost connection after CONNECT from unknown[192.0.2.1]',
    'statistics: max connection rate 1/60s for (smtp:192.0.2.1) at Nov 28 10:00:00',
    'Expired: 1 message',
    'Deleted: 3 messages',
  ])('normal lines are not: %s', (message) => {
    expect(parse(`${H} postfix/smtpd[1]: ${message}`).kind).toBe('ignored');
  });

  it.each(['something entirely new happened', 'Nothing like this (ever) seen', 'a b c d e f: g'])(
    'unknown sentences stay unparsed: %s',
    (message) => {
      expect(parse(`${H} postfix/smtpd[1]: ${message}`).kind).toBe('unparsed');
    },
  );
});

describe('warnings', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'disk space, no queue id',
      `${H} postfix/smtpd[1]: warning: not enough free space in mail queue: 1048576 bytes < 1.5*message size limit`,
      {
        severity: 'warning',
        queueId: null,
        text: 'not enough free space in mail queue: 1048576 bytes < 1.5*message size limit',
      },
    ],
    [
      'a queue id after the prefix',
      `${H} postfix/cleanup[1]: warning: 4A1B2C3D5E: write queue file: No space left on device`,
      { queueId: '4A1B2C3D5E', text: 'write queue file: No space left on device' },
    ],
    [
      'a queue id before the prefix',
      `${H} postfix/qmgr[1]: 4A1B2C3D5E: warning: unable to open queue file: Permission denied`,
      { queueId: '4A1B2C3D5E', text: 'unable to open queue file: Permission denied' },
    ],
    [
      'a client',
      `${H} postfix/smtpd[1]: warning: Illegal address syntax from unknown[203.0.113.50] in MAIL command: <a b>`,
      { remoteHost: 'unknown', remoteIp: '203.0.113.50' },
    ],
    [
      'the resolver',
      `${H} postfix/smtpd[1]: warning: hostname mail.example.net does not resolve to address 192.0.2.7: Temporary failure in name resolution`,
      { severity: 'warning', remoteIp: null },
    ],
    [
      'fatal',
      `${H} postfix/pickup[1]: fatal: cleanup socket: Resource temporarily unavailable`,
      { severity: 'fatal', text: 'cleanup socket: Resource temporarily unavailable' },
    ],
    [
      'panic',
      `${H} postfix/qmgr[1]: panic: myfree: corrupt or unallocated memory block`,
      { severity: 'panic' },
    ],
    ['error', `${H} postfix/postqueue[1]: error: queue file write error`, { severity: 'error' }],
    [
      'Exim, with a message id',
      `${T} ${ID} Warning: spool file is 50% full`,
      { mta: 'exim', severity: 'warning', queueId: ID, text: 'Warning: spool file is 50% full' },
    ],
    [
      'Exim, a local fault',
      `${T} Failed to create spool file /var/spool/exim4//input//${ID}-D: No space left on device`,
      { mta: 'exim', severity: 'warning', queueId: null },
    ],
    [
      'Exim, a client',
      `${T} SMTP protocol error in "AUTH LOGIN" H=(helo) [203.0.113.8]:52000 I=[192.0.2.25]:587 AUTH command used when not advertised`,
      { mta: 'exim', remoteIp: '203.0.113.8' },
    ],
    ['Exim panic', `${T} PANIC LOG: something broke`, { mta: 'exim', severity: 'panic' }],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'warning', ...want });
  });

  it('keeps warnings whole when parsing briefly (ingest)', () => {
    const line = `${H} postfix/cleanup[1]: warning: 4A1B2C3D5E: write queue file: No space left on device`;
    expect(parseLine(line, { ...ctx, brief: true })).toEqual(parse(line));
  });
});
