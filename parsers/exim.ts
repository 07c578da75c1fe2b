/** Exim main log messages (after the time and pid, or after `exim[pid]:` in syslog) → typed records: ids, flags, arrivals, rejects, notes. */

import {
  field,
  ignored,
  messageRecord,
  policyRecord,
  stripAngles,
  unparsed,
  warning,
  type EximBase,
} from './exim-common.js';
import { FLAG_OUTCOME, parseDelivery } from './exim-delivery.js';
import { classifyEximNote } from './exim-notes.js';
import { findEximHost, findHostIp } from './reply.js';
import { eximSession, tlsProtocolName } from './session.js';
import type {
  SessionRecord,
  IgnoredRecord,
  MessageRecord,
  NoteRecord,
  ParsedRecord,
  RejectRecord,
  SmtpStage,
  WarningRecord,
} from './types.js';

function isIdChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function runOf(s: string, start: number, n: number): boolean {
  for (let i = start; i < start + n; i++) if (!isIdChar(s.charCodeAt(i))) return false;
  return true;
}

/** Length of an Exim message id at `pos`: 16 (6-6-2, before 4.97), 23 (6-11-4, 4.97+), or 0. */
export function eximIdLength(s: string, pos: number): number {
  if (s.charCodeAt(pos + 6) !== 45 || !runOf(s, pos, 6)) return 0;
  if (s.charCodeAt(pos + 13) === 45 && runOf(s, pos + 7, 6) && runOf(s, pos + 14, 2)) {
    const after = s.charCodeAt(pos + 16);
    if (Number.isNaN(after) || after === 32) return 16;
  }
  if (s.charCodeAt(pos + 18) === 45 && runOf(s, pos + 7, 11) && runOf(s, pos + 19, 4)) {
    const after = s.charCodeAt(pos + 23);
    if (Number.isNaN(after) || after === 32) return 23;
  }
  return 0;
}

/**
 * A note, keeping the message id and the other party when the text names them: `H=name [ip]`,
 * or the first `[ip]` (authenticator failures, per-host connection errors, dropped connections).
 * Brief: the bare record. A note graded above `info` is a warning, always in full.
 */
function ignoredNote(
  base: EximBase,
  queueId: string | null,
  text: string,
  brief: boolean,
): IgnoredRecord | WarningRecord | SessionRecord {
  const severity = classifyEximNote(text);
  if (severity !== 'info') {
    const sessionFact = eximSession(base, text);
    if (sessionFact !== null) return sessionFact;
    const w = warning(base, severity, queueId, text);
    const h = findEximHost(text);
    if (h !== null && h.ip !== null) {
      w.remoteHost = h.host === '' || h.host.startsWith('(') ? null : h.host;
      w.remoteIp = h.ip;
    }
    return w;
  }
  const r = ignored(base);
  if (brief) return r;
  if (queueId !== null) r.queueId = queueId;
  const h = findEximHost(text);
  if (h !== null && h.ip !== null) {
    if (h.host !== '' && !h.host.startsWith('(')) r.remoteHost = h.host;
    r.remoteIp = h.ip;
  } else {
    const hp = findHostIp(text);
    if (hp !== null) {
      if (hp.host !== '') r.remoteHost = hp.host;
      r.remoteIp = hp.ip;
    }
  }
  return r;
}

/** `H=name (helo) [ip]:port` → parts; the name may be missing (`H=(helo) [ip]`). */
function clientOf(s: string): { host: string | null; helo: string | null; ip: string | null } {
  const h = findEximHost(s);
  if (h === null) return { host: null, helo: null, ip: null };
  if (h.host.startsWith('(')) {
    return { host: null, helo: h.host.endsWith(')') ? h.host.slice(1, -1) : h.host.slice(1), ip: h.ip };
  }
  return { host: h.host === '' ? null : h.host, helo: h.helo, ip: h.ip };
}

/** `<= sender H=... P=... A=authenticator:id S=size id=msgid R=bounced-id`. */
function parseArrival(base: EximBase, queueId: string, rest: string): MessageRecord {
  const r = messageRecord(base, queueId, 'received');
  const sp = rest.indexOf(' ');
  const sender = sp < 0 ? rest : rest.slice(0, sp);
  r.sender = sender === '<>' ? '' : stripAngles(sender);
  const size = field(rest, 'S=');
  r.size = size !== null && /^\d{1,15}$/.test(size) ? Number(size) : null;
  r.messageId = field(rest, 'id=');
  const c = clientOf(rest);
  r.clientHost = c.host;
  r.clientIp = c.ip;
  r.bounceOf = field(rest, 'R=');
  r.protocol = field(rest, 'P=');
  const tls = field(rest, 'X=');
  if (tls !== null) r.tlsProtocol = tlsProtocolName(tls.split(':', 1)[0] ?? tls);
  const auth = field(rest, 'A=');
  if (auth !== null) {
    const colon = auth.indexOf(':');
    r.saslMethod = colon < 0 ? auth : auth.slice(0, colon);
    r.saslUser = colon < 0 ? null : auth.slice(colon + 1);
  }
  return r;
}

function rejectStage(what: string): SmtpStage | null {
  if (what.startsWith('RCPT')) return 'rcpt';
  if (what.startsWith('MAIL')) return 'mail';
  if (what.startsWith('after DATA') || what.startsWith('after end of data')) return 'end-of-data';
  if (what.startsWith('DATA') || what.startsWith('(DATA') || what.startsWith('after DATA')) return 'data';
  if (
    what.startsWith('EHLO') ||
    what.startsWith('HELO') ||
    what.startsWith('AUTH') ||
    what.startsWith('STARTTLS')
  ) {
    return 'helo';
  }
  if (what.startsWith('connection') || what.startsWith('SMTP connection') || what.startsWith('from'))
    return 'connect';
  return null;
}

/** `H=client [ip] F=<sender> rejected RCPT <rcpt>: reason` and the other `rejected` forms. */
function parseReject(
  base: EximBase,
  queueId: string | null,
  message: string,
  at: number,
): RejectRecord | NoteRecord {
  const head = message.slice(0, at);
  let what = message.slice(at + 10); // after " rejected " (or "rejected " at 0)
  if (at === 0 && message.startsWith('rejected ')) what = message.slice(9);
  const temporarily = head.endsWith(' temporarily') || head === 'temporarily';
  let recipient: string | null = null;
  let reasonAt = what.indexOf(': ');
  if (what.startsWith('RCPT ')) {
    // "<a@b>" may hold spaces in a quoted local part ("deny verify = x"@example.org): read it to its '>'.
    const close = what.charCodeAt(5) === 60 ? what.indexOf('>', 6) : -1;
    const sp = what.indexOf(' ', close < 0 ? 5 : close);
    const colon = what.indexOf(': ', close < 0 ? 5 : close);
    const end = colon >= 0 && (sp < 0 || colon <= sp) ? colon : sp < 0 ? what.length : sp;
    let tok = what.slice(5, end);
    if (tok.endsWith(':')) tok = tok.slice(0, -1);
    recipient = stripAngles(tok);
    reasonAt = what.indexOf(': ', end);
    if (reasonAt < 0 && what.charCodeAt(end) === 58) reasonAt = end;
  }
  // A protocol error that dropped the client names it after the verb, and its reason before.
  const dropped = head.endsWith(':');
  const reason = dropped ? head.slice(0, -1) : reasonAt < 0 ? what : what.slice(reasonAt + 2);
  const client = clientOf(dropped ? what : head);
  const sender = field(head, 'F=');
  return policyRecord('reject', base, {
    queueId,
    action: temporarily ? 'temporarily-rejected' : 'reject',
    stage: rejectStage(what),
    clientHost: client.host,
    clientIp: client.ip,
    helo: client.helo,
    sender: sender === null ? null : stripAngles(sender),
    recipient,
    reply: reason,
  });
}

function rejectAt(message: string): number {
  if (message.startsWith('rejected ')) return 0;
  const at = message.indexOf(' rejected ');
  if (at < 0) return -1;
  // A protocol error that drops the client: "SMTP protocol synchronization error (...): rejected connection from H=...".
  if (message.startsWith('connection from H=', at + 10)) return at;
  // Otherwise "rejected" must be the verb of the line, after the client's fields, not a word of a quoted reply
  // (whose text follows a ': ').
  const head = message.slice(0, at);
  const client =
    head.startsWith('H=') || head.startsWith('U=') || head.startsWith('F=') || head.includes(' H=');
  return client && !head.includes(': ') ? at : -1;
}

/** The flag spelled by two characters, as a constant string (no slice per line), or null. */
function flagOf(a: number, b: number): string | null {
  if (b === 62 /* > */) {
    if (a === 61) return '=>';
    if (a === 45) return '->';
    if (a === 62) return '>>';
    if (a === 42) return '*>';
    return null;
  }
  if (a === 42 && b === 42) return '**';
  if (a === 61 && b === 61) return '==';
  if (a === 60 && b === 61) return '<=';
  if (a === 40 && b === 61) return '(=';
  return null;
}

/** A two-character token of punctuation, as Exim's delivery flags are (`=>`, `**`...). */
function looksLikeFlag(rest: string): boolean {
  const a = rest.charCodeAt(0);
  const b = rest.charCodeAt(1);
  const punct = (c: number): boolean => c === 42 || c === 45 || c === 60 || c === 61 || c === 62 || c === 40;
  return punct(a) && punct(b) && rest.charCodeAt(2) === 32;
}

/** An Exim message: `ID FLAG ...`, `ID Completed`, `H=... rejected ...`, or a note. */
export function parseExim(base: EximBase, message: string, line: string, brief = false): ParsedRecord {
  let msg = message;
  // Syslog splits long Exim lines into "[1\3] ..." parts.
  if (msg.charCodeAt(0) === 91 && /^\[\d+\\\d+\] /.test(msg.slice(0, 12))) {
    msg = msg.slice(msg.indexOf(' ') + 1);
  }
  const idLen = eximIdLength(msg, 0);
  if (idLen > 0) {
    const queueId = msg.slice(0, idLen);
    const rest = msg.slice(idLen + 1);
    const f0 = rest.charCodeAt(0);
    const f1 = rest.charCodeAt(1);
    if (rest.charCodeAt(2) === 32) {
      const flag = flagOf(f0, f1);
      if (flag === '<=') return parseArrival(base, queueId, rest.slice(3));
      if (flag !== null && Object.hasOwn(FLAG_OUTCOME, flag))
        return parseDelivery(base, queueId, flag, rest.slice(3));
      // Fake rejects (the message was accepted and kept): message events.
      if (flag === '(=') return messageRecord(base, queueId, 'other');
      // Delivery suppressed by -N (testing): nothing was delivered.
      if (flag === '*>') return ignored(base);
    }
    if (f0 === 67 /* C */ && rest.startsWith('Completed')) return messageRecord(base, queueId, 'completed');
    if (
      (f0 === 42 && f1 === 42 && rest.startsWith('*** Frozen')) ||
      rest.startsWith('Message is frozen') ||
      rest.startsWith('Frozen') ||
      rest.startsWith('frozen by ')
    ) {
      return messageRecord(base, queueId, 'frozen');
    }
    if (
      rest.startsWith('Unfrozen by ') ||
      rest.startsWith('unfrozen by ') ||
      rest.startsWith('cancelled by ')
    ) {
      return messageRecord(base, queueId, 'other');
    }
    const rj = rejectAt(rest);
    if (rj >= 0) return parseReject(base, queueId, rest, rj);
    if (looksLikeFlag(rest)) return unparsed(base, `unknown flag ${rest.slice(0, 2)}`, line);
    return ignoredNote(base, queueId, rest, brief);
  }
  const rj = rejectAt(msg);
  if (rj >= 0) return parseReject(base, null, msg, rj);
  // An empty message (a time and nothing else) records nothing.
  // Everything else in a main log is a note: connection and TLS details, queue runs, ACL
  // logwrite text, DKIM/SPF/DMARC results. None of it is a delivery, reject or message fact.
  return ignoredNote(base, null, msg, brief);
}
