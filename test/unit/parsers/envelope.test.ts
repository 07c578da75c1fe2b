import { describe, expect, it } from 'vitest';
import { parseEnvelope, parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s);

describe('yearless syslog times', () => {
  const cases: [string, ParseContext, string][] = [
    ['same year', { referenceMs: utc(2026, 11, 28, 12), utcOffsetMinutes: 0 }, '2026-11-03T12:29:32.000Z'],
    [
      'a line later in the year than the reference belongs to last year',
      { referenceMs: utc(2026, 2, 1), utcOffsetMinutes: 0 },
      '2025-11-03T12:29:32.000Z',
    ],
    [
      'a day ahead of the reference is allowed',
      { referenceMs: utc(2026, 11, 2, 13), utcOffsetMinutes: 0 },
      '2026-11-03T12:29:32.000Z',
    ],
    [
      '--year forces the year',
      { referenceMs: utc(2026, 11, 28), year: 2019, utcOffsetMinutes: 0 },
      '2019-11-03T12:29:32.000Z',
    ],
    [
      'the offset applies to zoneless times',
      { referenceMs: utc(2026, 11, 28), utcOffsetMinutes: 60 },
      '2026-11-03T11:29:32.000Z',
    ],
  ];
  it.each(cases)('%s', (_name, ctx, ts) => {
    expect(parseEnvelope('Nov  3 12:29:32 mx postfix/qmgr[1]: ABCDEF1234: removed', ctx).ts).toBe(ts);
  });

  it('rolls over New Year inside one file whose reference is its mtime', () => {
    const ctx: ParseContext = { referenceMs: utc(2027, 1, 1, 0, 30), utcOffsetMinutes: 0 };
    const a = parseEnvelope('Dec 31 23:59:59 mx postfix/qmgr[1]: A: removed', ctx);
    const b = parseEnvelope('Jan  1 00:00:01 mx postfix/qmgr[1]: A: removed', ctx);
    expect(a.ts).toBe('2026-12-31T23:59:59.000Z');
    expect(b.ts).toBe('2027-01-01T00:00:01.000Z');
  });

  it('follows a context updated in place', () => {
    const ctx: ParseContext = { referenceMs: utc(2026, 11, 28), utcOffsetMinutes: 0 };
    const line = 'Nov  3 12:29:32 mx postfix/qmgr[1]: ABCDEF1234: removed';
    expect(parseEnvelope(line, ctx).ts).toBe('2026-11-03T12:29:32.000Z');
    ctx.referenceMs = utc(2027, 2, 1);
    expect(parseEnvelope(line, ctx).ts).toBe('2026-11-03T12:29:32.000Z');
    ctx.referenceMs = utc(2030, 12, 1);
    expect(parseEnvelope(line, ctx).ts).toBe('2030-11-03T12:29:32.000Z');
    ctx.utcOffsetMinutes = 120;
    expect(parseEnvelope(line, ctx).ts).toBe('2030-11-03T10:29:32.000Z');
  });

  it('reads maillog_file microseconds', () => {
    const e = parseEnvelope('Nov  3 12:29:32.123456 mx postfix/qmgr[1]: ABCDEF1234: removed', {
      referenceMs: utc(2026, 11, 28),
      utcOffsetMinutes: 0,
    });
    expect(e).toMatchObject({
      ts: '2026-11-03T12:29:32.123Z',
      host: 'mx',
      program: 'postfix/qmgr',
      pid: 1,
      message: 'ABCDEF1234: removed',
    });
  });
});

describe('envelopes', () => {
  const ctx: ParseContext = { referenceMs: utc(2026, 11, 28, 12), utcOffsetMinutes: 0 };
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'RFC 3339 with µs and offset',
      '2026-11-28T12:29:32.123456+01:00 mx postfix/smtp[12345]: hello',
      {
        format: 'rfc3339',
        ts: '2026-11-28T11:29:32.123Z',
        host: 'mx',
        program: 'postfix/smtp',
        pid: 12345,
        message: 'hello',
      },
    ],
    ['RFC 3339 UTC', '2026-11-28T12:29:32Z mx postfix/smtp[1]: hello', { ts: '2026-11-28T12:29:32.000Z' }],
    [
      'short-iso offset without colon',
      '2026-11-28T12:29:32+0100 mx postfix/smtp[1]: hello',
      { ts: '2026-11-28T11:29:32.000Z' },
    ],
    [
      'journald JSON',
      '{"__REALTIME_TIMESTAMP":"1795865372123456","_HOSTNAME":"mx","SYSLOG_IDENTIFIER":"postfix/smtp","_PID":"7","MESSAGE":"hello \\"x\\""}',
      {
        format: 'journal',
        ts: '2026-11-28T11:29:32.123Z',
        host: 'mx',
        program: 'postfix/smtp',
        pid: 7,
        message: 'hello "x"',
      },
    ],
    [
      'journald byte-array message',
      '{"__REALTIME_TIMESTAMP":"1795865372000000","SYSLOG_IDENTIFIER":"postfix/smtp","MESSAGE":[104,105]}',
      { message: 'hi' },
    ],
    [
      'Exim mainlog',
      '2026-11-28 12:29:32 1tX9aB-0004Qz-7K Completed',
      { format: 'exim', host: null, program: 'exim', message: '1tX9aB-0004Qz-7K Completed' },
    ],
    [
      'an unpadded one-digit day',
      'Mar 7 02:09:33 mx postfix/smtpd[27246]: hello',
      { format: 'syslog', ts: '2026-03-07T02:09:33.000Z', pid: 27246, message: 'hello' },
    ],
    [
      'a date, a space, then a syslog host and tag',
      '2026-11-28 12:29:32 mx1.example.org exim[29786]: hello',
      {
        format: 'rfc3339',
        ts: '2026-11-28T12:29:32.000Z',
        host: 'mx1.example.org',
        program: 'exim',
        pid: 29786,
        message: 'hello',
      },
    ],
    [
      'a tag without pid',
      'Nov 28 12:29:32 mx postfix/smtp: hello',
      { program: 'postfix/smtp', pid: null, message: 'hello' },
    ],
    ['no envelope at all', 'just text', { format: 'none', ts: null, program: null, message: 'just text' }],
    [
      'journald JSON with a null identifier and a numeric pid',
      '{"__REALTIME_TIMESTAMP":"1795865372000000","SYSLOG_IDENTIFIER":null,"_COMM":"smtpd","_PID":42,"MESSAGE":"x"}',
      { format: 'journal', program: 'smtpd', pid: 42, message: 'x' },
    ],
    ['malformed JSON', '{"MESSAGE": "x"', { format: 'none' }],
    ['an impossible date', 'Nov 38 12:29:32 mx postfix/smtp[1]: hello', { format: 'none' }],
  ];
  it.each(cases)('%s', (_name, line, want) => {
    expect(parseEnvelope(line, ctx)).toMatchObject(want);
  });
});

describe('the same message under every envelope', () => {
  const ctx: ParseContext = { referenceMs: utc(2026, 11, 28, 12), utcOffsetMinutes: 60 };
  const message =
    '5A1C93E07B24: to=<nobody@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.9, delays=0/0/1.5/0.37, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.10] said: 550 5.1.1 <nobody@example.com> User unknown (in reply to RCPT TO command))';
  const lines = {
    classic: `Nov 28 12:29:32 mx postfix/smtp[9890]: ${message}`,
    rfc3339: `2026-11-28T12:29:32.000000+01:00 mx postfix/smtp[9890]: ${message}`,
    shortIso: `2026-11-28T12:29:32+0100 mx postfix/smtp[9890]: ${message}`,
    journal: JSON.stringify({
      __REALTIME_TIMESTAMP: String(utc(2026, 11, 28, 11, 29, 32) * 1000),
      _HOSTNAME: 'mx',
      SYSLOG_IDENTIFIER: 'postfix/smtp',
      _PID: '9890',
      MESSAGE: message,
    }),
  };
  it('yields the same record', () => {
    const [first, ...rest] = Object.values(lines).map((l) => parseLine(l, ctx));
    expect(first).toMatchObject({
      kind: 'delivery',
      ts: '2026-11-28T11:29:32.000Z',
      host: 'mx',
      pid: 9890,
      replyCode: 550,
    });
    for (const r of rest) expect(r).toEqual(first);
  });
});
