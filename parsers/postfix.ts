/** Postfix log messages (after the envelope) → typed records. */

import { domainOf, splitHostIp } from './address.js';
import { classifyPostfixUnqueued, classifyPostfixQueuedNote } from './postfix-notes.js';
import { parseRejectBody, REJECT_ACTIONS } from './postfix-reject.js';
import { extractReply, findHostIp, splitCodes } from './reply.js';
import type {
  DeliveryRecord,
  IgnoredRecord,
  MessageRecord,
  Outcome,
  ParsedRecord,
  SmtpStage,
  UnparsedRecord,
} from './types.js';

export interface PostfixBase {
  ts: string | null;
  tsMs: number | null;
  host: string | null;
  mta: 'postfix';
  program: string;
  pid: number | null;
}

function isUpperHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Short queue ids are upper-case hex; long ones (enable_long_queue_ids) are longer and mix digits
 * and letters. Words like "warning" or "statistics" must not pass.
 */
export function isQueueId(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n < 5 || n > 24) return false;
  let hex = true;
  let digit = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c)) return false;
    if (!isUpperHex(c)) hex = false;
    if (c >= 48 && c <= 57) digit = true;
  }
  return hex || (n >= 10 && digit);
}

export function unparsed(base: PostfixBase, reason: string, line: string): UnparsedRecord {
  return {
    kind: 'unparsed',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: 'postfix',
    program: base.program,
    reason,
    line,
  };
}

export function ignored(base: PostfixBase, severity: IgnoredRecord['severity']): IgnoredRecord {
  return {
    kind: 'ignored',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    severity,
  };
}

/** An ignored note that names a queue id and/or a remote party: keep those (cheap, and rare lines). */
function ignoredNote(
  base: PostfixBase,
  severity: IgnoredRecord['severity'],
  queueId: string | null,
  text: string,
): IgnoredRecord {
  const r = ignored(base, severity);
  if (queueId !== null) r.queueId = queueId;
  const proxy = text.startsWith('proxy-accept: ') ? text.indexOf(': ', 14) : -1;
  const bracket = text.indexOf('[');
  if (proxy < 0 && bracket >= 0 && !text.includes(' said: ') && !text.includes(' refused to talk to me: ')) {
    // Connection and TLS notes: only the party, no reply to read.
    const hp = findHostIp(text, 0);
    if (hp !== null) {
      if (hp.host !== '') r.remoteHost = hp.host;
      r.remoteIp = hp.ip;
    }
  } else if (proxy >= 0 || bracket >= 0) {
    const reply = extractReply(proxy < 0 ? text : text.slice(proxy + 2));
    if (reply.remoteHost !== null && reply.remoteHost !== '') r.remoteHost = reply.remoteHost;
    if (reply.remoteIp !== null) r.remoteIp = reply.remoteIp;
    if (reply.replyCode !== null) r.replyCode = reply.replyCode;
    if (reply.enhancedStatus !== null) r.enhancedStatus = reply.enhancedStatus;
  } else if (text.startsWith('statistics: max connection')) {
    // anvil: "statistics: max connection count 1 for (smtpd:192.0.2.1) at ..."
    const open = text.indexOf('(');
    const close = text.indexOf(')', open);
    if (open > 0 && close > open) {
      const inner = text.slice(open + 1, close);
      const svc = inner.indexOf(':');
      const rest = inner.slice(svc + 1);
      // "smtpd:2001:db8::1" (a service and an IPv6 address) or "127.0.0.1:2525:192.0.2.1".
      const pick = /^[a-z]/.test(inner) ? rest : inner.slice(inner.lastIndexOf(':') + 1);
      if (isIpLike(pick)) r.remoteIp = pick;
    }
  } else if (text.startsWith('addr ')) {
    // dnsblog: "addr 192.0.2.1 listed by domain zen.example as 127.0.0.2"
    const sp = text.indexOf(' ', 5);
    const ip = sp < 0 ? text.slice(5) : text.slice(5, sp);
    if (isIpLike(ip)) r.remoteIp = ip;
  }
  const trailer = text.lastIndexOf('; from=<');
  if (trailer >= 0) {
    // cleanup header/body notes, filter and proxy-accept lines name the envelope.
    const t = text.slice(trailer + 2);
    const from = kvField(t, 'from=');
    const to = kvField(t, 'to=');
    if (from !== null) r.sender = from;
    if (to !== null) r.recipient = to;
  }
  return r;
}

function messageRecord(base: PostfixBase, queueId: string, event: MessageRecord['event']): MessageRecord {
  return {
    kind: 'message',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    queueId,
    event,
    sender: null,
    size: null,
    nrcpt: null,
    messageId: null,
    clientHost: null,
    clientIp: null,
    bounceOf: null,
    status: null,
  };
}

function outcomeOf(status: string): Outcome | null {
  switch (status) {
    case 'sent':
      return 'sent';
    case 'deferred':
      return 'deferred';
    case 'bounced':
      return 'bounced';
    case 'expired':
      return 'expired';
    default:
      return null;
  }
}

function isIpLike(s: string): boolean {
  if (s.length === 0 || s.length > 45) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isUpperHex(c) || (c >= 97 && c <= 102) || c === 46 || c === 58)) {
      // IPv6 zone ids and the "ipv6:" prefix are rare enough to keep as they are.
      return false;
    }
  }
  return true;
}

const KEY_OTHER = 0;
const KEY_TO = 1;
const KEY_ORIG_TO = 2;
const KEY_RELAY = 3;
const KEY_DELAY = 4;
const KEY_DSN = 5;
const KEY_STATUS = 6;

/** Which delivery field name spans [start, end), told by its length and letters without a slice. */
function keyAt(s: string, start: number, end: number): number {
  const c = s.charCodeAt(start);
  switch (end - start) {
    case 2:
      return c === 116 && s.charCodeAt(start + 1) === 111 ? KEY_TO : KEY_OTHER;
    case 3:
      return c === 100 && s.charCodeAt(start + 1) === 115 && s.charCodeAt(start + 2) === 110
        ? KEY_DSN
        : KEY_OTHER;
    case 5:
      if (c === 114 && s.startsWith('relay', start)) return KEY_RELAY;
      return c === 100 && s.startsWith('delay', start) ? KEY_DELAY : KEY_OTHER;
    case 6:
      return c === 115 && s.startsWith('status', start) ? KEY_STATUS : KEY_OTHER;
    case 7:
      return c === 111 && s.startsWith('orig_to', start) ? KEY_ORIG_TO : KEY_OTHER;
    default:
      return KEY_OTHER;
  }
}

/** `to=<a>, orig_to=<b>, relay=..., delay=..., delays=..., dsn=..., status=word (text)` */
function parseDelivery(base: PostfixBase, queueId: string, rest: string, line: string): ParsedRecord {
  let recipient: string | null = null;
  let origRecipient: string | null = null;
  let relay: string | null = null;
  let delay: number | null = null;
  let dsn: string | null = null;
  let status: string | null = null;
  let text = '';
  let pos = 0;
  const n = rest.length;
  while (pos < n) {
    const eq = rest.indexOf('=', pos);
    if (eq < 0) break;
    const key = keyAt(rest, pos, eq);
    if (key === KEY_STATUS) {
      const sp = rest.indexOf(' ', eq + 1);
      status = sp < 0 ? rest.slice(eq + 1) : rest.slice(eq + 1, sp);
      if (sp >= 0 && rest.charCodeAt(sp + 1) === 40) {
        text = rest.endsWith(')') ? rest.slice(sp + 2, -1) : rest.slice(sp + 2);
      }
      break;
    }
    let value: string;
    if (rest.charCodeAt(eq + 1) === 60) {
      let close = rest.indexOf('>, ', eq + 2);
      if (close < 0) close = rest.endsWith('>') ? n - 1 : n;
      value = rest.slice(eq + 2, close);
      pos = close + 3;
    } else {
      let comma = rest.indexOf(', ', eq + 1);
      if (comma < 0) comma = n;
      value = rest.slice(eq + 1, comma);
      pos = comma + 2;
    }
    switch (key) {
      case KEY_TO:
        recipient = value;
        break;
      case KEY_ORIG_TO:
        origRecipient = value;
        break;
      case KEY_RELAY:
        relay = value;
        break;
      case KEY_DELAY: {
        const d = Number(value);
        delay = value !== '' && Number.isFinite(d) ? d : null;
        break;
      }
      case KEY_DSN:
        dsn = value;
        break;
      default:
        break;
    }
  }
  if (recipient === null || status === null)
    return unparsed(base, 'delivery line without to= or status=', line);
  if (status === 'deliverable' || status === 'undeliverable') {
    // Address verification probes (verify(8), sendmail -bv): not deliveries.
    return ignored(base, 'info');
  }
  const outcome = outcomeOf(status);
  if (outcome === null) return unparsed(base, `unknown status=${status}`, line);
  let relayHost: string | null = null;
  let relayIp: string | null = null;
  let port: number | null = null;
  if (relay !== null && relay !== 'none') {
    const hp = splitHostIp(relay);
    if (hp === null) {
      // "relay=127.0.0.1:2525" (lmtp/smtp to an address without a name) or a transport name.
      const colon = relay.lastIndexOf(':');
      const portText = colon > 0 ? relay.slice(colon + 1) : '';
      if (colon > 0 && /^\d{1,5}$/.test(portText) && isIpLike(relay.slice(0, colon))) {
        relayHost = relay.slice(0, colon);
        relayIp = relayHost;
        port = Number(portText);
      } else {
        relayHost = relay;
      }
    } else {
      relayHost = hp.host === '' ? null : hp.host;
      relayIp = hp.ip !== null && isIpLike(hp.ip) ? hp.ip : null;
      port = hp.port;
      if (relayHost === null && relayIp === null) relayHost = hp.ip;
    }
  }
  // A success text ("250 2.0.0 Ok: queued as X", "delivered to mailbox") has no stage or remote
  // host to find: only its codes. Most lines of a log are these.
  let stage: SmtpStage | null = null;
  let reply: { replyCode: number | null; enhancedStatus: string | null; diagnostic: string };
  if (outcome === 'sent') {
    reply = splitCodes(text);
  } else {
    const full = extractReply(text);
    stage = full.stage;
    reply = full;
    if (relayHost === null && relayIp === null && full.remoteHost !== null && full.remoteHost !== '') {
      // relay=none with a local cause that names the server ("connect to mx[ip]:25: ...").
      relayHost = full.remoteHost;
      relayIp = full.remoteIp;
    }
  }
  const daemon = base.program.slice(base.program.lastIndexOf('/') + 1);
  const record: DeliveryRecord = {
    kind: 'delivery',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    queueId,
    recipient,
    origRecipient,
    recipientDomain: domainOf(recipient),
    outcome,
    relayHost,
    relayIp,
    port,
    stage,
    replyCode: reply.replyCode,
    enhancedStatus: reply.enhancedStatus,
    dsn,
    diagnostic: reply.diagnostic,
    delay,
    transport: daemon,
    sender: null,
  };
  return record;
}

/** The value of `key=` up to ', ' or the end (angle brackets removed). */
function kvField(s: string, key: string): string | null {
  let at = s.indexOf(key);
  while (at > 0 && s.charCodeAt(at - 1) !== 32) at = s.indexOf(key, at + 1);
  if (at < 0) return null;
  const start = at + key.length;
  if (s.charCodeAt(start) === 60) {
    const close = s.indexOf('>', start + 1);
    return close < 0 ? s.slice(start + 1) : s.slice(start + 1, close);
  }
  let end = s.indexOf(',', start);
  if (end < 0) end = s.indexOf(' ', start);
  return end < 0 ? s.slice(start) : s.slice(start, end);
}

function intOrNull(s: string | null): number | null {
  if (s === null || !/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

/** Everything after `QUEUEID: `. */
function parseQueued(base: PostfixBase, queueId: string, rest: string, line: string): ParsedRecord {
  const c0 = rest.charCodeAt(0);
  if (c0 === 116 /* t */ && rest.startsWith('to=')) return parseDelivery(base, queueId, rest, line);
  if (c0 === 102 /* f */ && rest.startsWith('from=')) {
    const status = kvField(rest, 'status=');
    if (status !== null) {
      if (status === 'expired' || status === 'force-expired') {
        const r = messageRecord(base, queueId, 'expired');
        r.sender = kvField(rest, 'from=');
        r.status = status;
        return r;
      }
      return unparsed(base, `unknown qmgr status=${status}`, line);
    }
    const r = messageRecord(base, queueId, rest.includes('size=') ? 'received' : 'other');
    r.sender = kvField(rest, 'from=');
    r.size = intOrNull(kvField(rest, 'size='));
    r.nrcpt = intOrNull(kvField(rest, 'nrcpt='));
    return r;
  }
  if (rest === 'removed' || rest.startsWith('removed ')) return messageRecord(base, queueId, 'removed');
  if (c0 === 109 /* m */ && rest.startsWith('message-id=')) {
    const r = messageRecord(base, queueId, 'message-id');
    const v = rest.slice(11);
    r.messageId = v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1) : v;
    return r;
  }
  if (c0 === 99 /* c */ && rest.startsWith('client=')) {
    const r = messageRecord(base, queueId, 'client');
    const comma = rest.indexOf(',', 7);
    const client = comma < 0 ? rest.slice(7) : rest.slice(7, comma);
    const hp = splitHostIp(client);
    r.clientHost = hp === null ? client : hp.host;
    r.clientIp = hp === null ? null : hp.ip;
    return r;
  }
  if (c0 === 117 /* u */ && rest.startsWith('uid=')) {
    const r = messageRecord(base, queueId, 'pickup');
    r.sender = kvField(rest, 'from=');
    return r;
  }
  const colon = rest.indexOf(': ');
  if (colon > 0 && colon < 20) {
    const action = rest.slice(0, colon);
    if (REJECT_ACTIONS.has(action)) {
      const r = parseRejectBody(base, queueId, action, rest.slice(colon + 2));
      return r ?? unparsed(base, `${action} in an unknown shape`, line);
    }
  }
  const notice = rest.indexOf(' notification: ');
  if (notice > 0 && notice < 40) {
    const id = rest.slice(notice + 15);
    if (isQueueId(id, 0, id.length)) {
      return {
        kind: 'notification',
        ts: base.ts,
        tsMs: base.tsMs,
        host: base.host,
        mta: base.mta,
        program: base.program,
        pid: base.pid,
        queueId,
        notificationQueueId: id,
        notificationType: rest.slice(0, notice + 13),
      };
    }
  }
  const note = classifyPostfixQueuedNote(rest);
  if (note !== null) {
    if (note === 'message-other') return messageRecord(base, queueId, 'other');
    return ignoredNote(base, note, queueId, rest);
  }
  return unparsed(base, 'unknown line after a queue id', line);
}

/** A Postfix message (envelope already removed). `base.program` is the full program name. */
export function parsePostfix(base: PostfixBase, message: string, line: string): ParsedRecord {
  const colon = message.indexOf(': ');
  if (colon > 0 && isQueueId(message, 0, colon)) {
    return parseQueued(base, message.slice(0, colon), message.slice(colon + 2), line);
  }
  if (message.startsWith('NOQUEUE: ')) {
    const c2 = message.indexOf(': ', 9);
    const action = c2 < 0 ? '' : message.slice(9, c2);
    if (REJECT_ACTIONS.has(action)) {
      const r = parseRejectBody(base, null, action, message.slice(c2 + 2));
      return r ?? unparsed(base, `${action} in an unknown shape`, line);
    }
    const note = classifyPostfixQueuedNote(message.slice(9));
    if (note !== null && note !== 'message-other') return ignoredNote(base, note, null, message);
    return unparsed(base, 'unknown NOQUEUE line', line);
  }
  if (message.startsWith('proxy-reject: ')) {
    const r = parseRejectBody(base, null, 'proxy-reject', message.slice(14));
    return r ?? unparsed(base, 'proxy-reject in an unknown shape', line);
  }
  const severity = classifyPostfixUnqueued(message);
  return severity === null
    ? unparsed(base, 'unknown line', line)
    : ignoredNote(base, severity, null, message);
}
