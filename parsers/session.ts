/** Connection-level lines of both MTAs: TLS sessions and failed handshakes, failed SMTP AUTH, postscreen verdicts. */

import { findEximHost, findHostIp, type EximHost } from './reply.js';
import type { RecordBase, SessionEvent, SessionRecord } from './types.js';

function session(
  base: RecordBase,
  event: SessionEvent,
  direction: SessionRecord['direction'],
  party: { host: string; ip: string } | null,
): SessionRecord {
  return {
    kind: 'session',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    event,
    direction,
    remoteHost: party === null || party.host === '' || party.host === 'unknown' ? null : party.host,
    remoteIp: party === null ? null : party.ip,
    tlsProtocol: null,
    tlsCipher: null,
    saslUser: null,
    saslMethod: null,
    rank: null,
  };
}

/** The word after `key` up to the next space (or the end), or null. */
function wordAfter(s: string, key: string): string | null {
  const at = s.indexOf(key);
  if (at < 0) return null;
  const start = at + key.length;
  const end = s.indexOf(' ', start);
  return s.slice(start, end < 0 ? s.length : end);
}

/** `TLS1.3`, `TLSv1.2`, `SSLv3` as OpenSSL names them: `TLSv1.3`. */
export function tlsProtocolName(p: string): string {
  return p.startsWith('TLS') && p.charCodeAt(3) !== 118 ? `TLSv${p.slice(3)}` : p;
}

/**
 * `Trusted TLS connection established to mx.example.com[192.0.2.1]:25: TLSv1.3 with cipher X (256/256 bits)` (smtp)
 * and `... established from name[ip]: ...` (smtpd). Anonymous, Untrusted, Trusted and Verified all count.
 */
function postfixTls(base: RecordBase, m: string): SessionRecord | null {
  const est = m.indexOf(' TLS connection established ');
  if (est < 0 || est > 10) return null;
  const after = est + 28;
  const outbound = m.startsWith('to ', after);
  if (!outbound && !m.startsWith('from ', after)) return null;
  const party = findHostIp(m, after);
  const r = session(base, 'tls', outbound ? 'outbound' : 'inbound', party);
  const colon = m.indexOf(': ', after);
  if (colon > 0) {
    const sp = m.indexOf(' ', colon + 2);
    r.tlsProtocol = m.slice(colon + 2, sp < 0 ? m.length : sp);
    r.tlsCipher = wordAfter(m, ' with cipher ');
  }
  return r;
}

/** postscreen: `PREGREET 11 after 0.17 from [ip]:port: ...`, `DNSBL rank 3 for [ip]:port`, `HANGUP after 0.5 from [ip]:port ...`, `COMMAND PIPELINING from [ip]:port ...`. */
function postscreen(base: RecordBase, m: string): SessionRecord | null {
  let event: SessionEvent;
  if (m.startsWith('PREGREET ')) event = 'pregreet';
  else if (m.startsWith('DNSBL rank ')) event = 'dnsbl-rank';
  else if (m.startsWith('HANGUP ')) event = 'hangup';
  else if (m.startsWith('COMMAND PIPELINING ')) event = 'pipelining';
  else return null;
  const r = session(base, event, 'inbound', findHostIp(m));
  if (event === 'dnsbl-rank') {
    const rank = Number(wordAfter(m, 'DNSBL rank '));
    r.rank = Number.isInteger(rank) ? rank : null;
  }
  return r;
}

/** `SSL_accept error from name[ip]: ...` (smtpd) and `SSL_connect error to name[ip]:25: ...` (smtp). */
function postfixTlsFailure(base: RecordBase, m: string): SessionRecord | null {
  if (m.startsWith('SSL_accept error from '))
    return session(base, 'tls-failed', 'inbound', findHostIp(m, 22));
  if (m.startsWith('SSL_connect error to '))
    return session(base, 'tls-failed', 'outbound', findHostIp(m, 21));
  return null;
}

/** A Postfix line without a queue id (and without a severity prefix) that is a session fact, else null. */
export function postfixSession(base: RecordBase, m: string): SessionRecord | null {
  switch (m.charCodeAt(0)) {
    case 65: // Anonymous
    case 84: // Trusted
    case 85: // Untrusted
    case 86: // Verified
      return postfixTls(base, m);
    case 67: // COMMAND PIPELINING
    case 68: // DNSBL rank
    case 72: // HANGUP
    case 80: // PREGREET
      return base.program.endsWith('/postscreen') ? postscreen(base, m) : null;
    case 83: // SSL_accept / SSL_connect
      return postfixTlsFailure(base, m);
    default:
      return null;
  }
}

/** `warning: name[ip]: SASL LOGIN authentication failed: ...[, sasl_username=user]`, else null. */
export function postfixAuthFailure(base: RecordBase, text: string): SessionRecord | null {
  const sasl = text.indexOf(']: SASL ');
  if (sasl < 0) return null;
  const methodEnd = text.indexOf(' ', sasl + 8);
  if (methodEnd < 0 || !text.startsWith(' authentication failed', methodEnd)) return null;
  const r = session(base, 'auth-failed', 'inbound', findHostIp(text.slice(0, sasl + 1)));
  r.saslMethod = text.slice(sasl + 8, methodEnd);
  const user = text.lastIndexOf(', sasl_username=');
  if (user > methodEnd) r.saslUser = text.slice(user + 16);
  return r;
}

/** The client or server an Exim note names: `H=name [ip]`, else the first bare `[ip]` (`for (helo) [ip]`). */
function eximParty(text: string): { host: string; ip: string } | null {
  const h: EximHost | null = findEximHost(text);
  if (h === null || h.ip === null) {
    const bare = findHostIp(text);
    return bare === null ? null : { host: bare.host.startsWith('(') ? '' : bare.host, ip: bare.ip };
  }
  return { host: h.host.startsWith('(') ? '' : h.host, ip: h.ip };
}

/**
 * Exim: `NAME authenticator failed for H=(helo) [ip]: 535 ... (set_id=user)`, `TLS error on connection from
 * (helo) [ip] (SSL_accept): ...`, `TLS error on connection to name [ip] (gnutls_handshake): ...`; else null.
 */
export function eximSession(base: RecordBase, text: string): SessionRecord | null {
  const auth = text.indexOf(' authenticator failed for ');
  if (auth > 0 && auth < 64 && !text.slice(0, auth).includes(' ')) {
    const r = session(base, 'auth-failed', 'inbound', eximParty(text));
    r.saslMethod = text.slice(0, auth);
    const id = text.lastIndexOf('(set_id=');
    if (id > auth) r.saslUser = text.slice(id + 8, text.endsWith(')') ? -1 : text.length);
    return r;
  }
  if (text.startsWith('TLS error on connection ')) {
    const outbound = text.startsWith('to ', 24);
    if (!outbound && !text.startsWith('from ', 24)) return null;
    const r = session(base, 'tls-failed', outbound ? 'outbound' : 'inbound', eximParty(text));
    // `to name [ip]`: the server's name is the word before its address.
    const open = text.indexOf(' [', 27);
    if (outbound && r.remoteHost === null && open > 27) r.remoteHost = text.slice(27, open);
    return r;
  }
  return null;
}
