/** Connection-level lines: TLS sessions and failed handshakes, failed SMTP AUTH, postscreen verdicts, Exim `X=`. */
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const H = 'Nov 28 10:00:00 mx1';
const T = '2026-11-28 10:00:00';
const ID = '1tA2bC-000123-Xy';
const parse = (line: string) => parseLine(line, ctx);

describe('Postfix session lines', () => {
  it.each([
    [
      'an outbound TLS session',
      `${H} postfix/smtp[7]: Trusted TLS connection established to mx.example.com[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256`,
      {
        event: 'tls',
        direction: 'outbound',
        remoteHost: 'mx.example.com',
        remoteIp: '192.0.2.1',
        tlsProtocol: 'TLSv1.3',
        tlsCipher: 'TLS_AES_256_GCM_SHA384',
      },
    ],
    [
      'an inbound TLS session',
      `${H} postfix/submission/smtpd[8]: Anonymous TLS connection established from unknown[203.0.113.9]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)`,
      {
        event: 'tls',
        direction: 'inbound',
        remoteHost: null,
        remoteIp: '203.0.113.9',
        tlsProtocol: 'TLSv1.2',
      },
    ],
    [
      'a failed inbound handshake',
      `${H} postfix/smtpd[8]: SSL_accept error from unknown[203.0.113.7]: lost connection`,
      { event: 'tls-failed', direction: 'inbound', remoteIp: '203.0.113.7' },
    ],
    [
      'a failed outbound handshake',
      `${H} postfix/smtp[7]: SSL_connect error to mx.example.org[192.0.2.3]:25: -1`,
      { event: 'tls-failed', direction: 'outbound', remoteHost: 'mx.example.org', remoteIp: '192.0.2.3' },
    ],
    [
      'a SASL failure without a user',
      `${H} postfix/smtpd[8]: warning: unknown[203.0.113.50]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`,
      { event: 'auth-failed', remoteIp: '203.0.113.50', saslMethod: 'LOGIN', saslUser: null },
    ],
    [
      'a SASL failure naming the user',
      `${H} postfix/submission/smtpd[8]: warning: client.example.net[198.51.100.20]: SASL PLAIN authentication failed: authentication failure, sasl_username=info@example.org`,
      {
        event: 'auth-failed',
        remoteHost: 'client.example.net',
        saslMethod: 'PLAIN',
        saslUser: 'info@example.org',
      },
    ],
    [
      'PREGREET',
      `${H} postfix/postscreen[9]: PREGREET 11 after 0.17 from [198.51.100.4]:51234: EHLO User\\r\\n`,
      { event: 'pregreet', remoteIp: '198.51.100.4' },
    ],
    [
      'DNSBL rank',
      `${H} postfix/postscreen[9]: DNSBL rank 3 for [198.51.100.4]:51234`,
      { event: 'dnsbl-rank', rank: 3 },
    ],
    [
      'HANGUP',
      `${H} postfix/postscreen[9]: HANGUP after 0.5 from [198.51.100.4]:51234 in tests after SMTP handshake`,
      { event: 'hangup' },
    ],
    [
      'COMMAND PIPELINING',
      `${H} postfix/postscreen[9]: COMMAND PIPELINING from [198.51.100.4]:51234 after EHLO: QUIT\\r\\n`,
      { event: 'pipelining' },
    ],
  ])('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject({ kind: 'session', mta: 'postfix', ...want });
  });

  it('leaves other warnings, and postscreen words from other programs, as they were', () => {
    expect(
      parse(`${H} postfix/smtpd[8]: warning: unknown[203.0.113.50]: SASL LOGIN authentication aborted`),
    ).toMatchObject({ kind: 'warning' });
    expect(
      parse(
        `${H} postfix/smtpd[8]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed`,
      ),
    ).toMatchObject({ kind: 'warning' });
    expect(parse(`${H} postfix/postscreen[9]: PASS NEW [198.51.100.5]:4000`)).toMatchObject({
      kind: 'ignored',
    });
  });

  it('reads session lines the same when parsing briefly (ingest)', () => {
    const line = `${H} postfix/smtp[7]: Verified TLS connection established to mx.example.com[192.0.2.1]:25: TLSv1.2 with cipher X (256/256 bits)`;
    expect(parseLine(line, { ...ctx, brief: true })).toEqual(parse(line));
  });
});

describe('Exim session lines and X=', () => {
  it('reads authenticator failures with the login tried', () => {
    expect(
      parse(
        `${T} dovecot_login authenticator failed for (User) [203.0.113.10]:52000: 535 Incorrect authentication data (set_id=admin@example.org)`,
      ),
    ).toMatchObject({
      kind: 'session',
      event: 'auth-failed',
      remoteIp: '203.0.113.10',
      saslMethod: 'dovecot_login',
      saslUser: 'admin@example.org',
    });
  });

  it('reads TLS errors in both directions', () => {
    expect(
      parse(
        `${T} TLS error on connection from (x) [203.0.113.11] (SSL_accept): error:0A00006C:SSL routines::bad key share`,
      ),
    ).toMatchObject({
      kind: 'session',
      event: 'tls-failed',
      direction: 'inbound',
      remoteIp: '203.0.113.11',
    });
    expect(
      parse(
        `${T} TLS error on connection to mx.example.net [192.0.2.77] (gnutls_handshake): The TLS connection was non-properly terminated.`,
      ),
    ).toMatchObject({
      kind: 'session',
      event: 'tls-failed',
      direction: 'outbound',
      remoteHost: 'mx.example.net',
      remoteIp: '192.0.2.77',
    });
  });

  it('keeps the TLS protocol of arrivals and deliveries, in OpenSSL spelling', () => {
    expect(
      parse(
        `${T} ${ID} <= alice@example.org H=(client) [203.0.113.9] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:alice S=1234`,
      ),
    ).toMatchObject({
      kind: 'message',
      saslUser: 'alice',
      tlsProtocol: 'TLSv1.3',
    });
    expect(
      parse(
        `${T} ${ID} => bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1] X=TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes C="250 OK"`,
      ),
    ).toMatchObject({
      kind: 'delivery',
      outcome: 'sent',
      tlsProtocol: 'TLSv1.2',
    });
    expect(
      parse(
        `${T} ${ID} => bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1] C="250 OK"`,
      ),
    ).not.toHaveProperty('tlsProtocol');
  });
});
