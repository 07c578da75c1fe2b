/** Postfix log messages (after the envelope) → typed records: dispatch, message lines and notes. */

import { splitHostIp } from './address.js';
import { ignored, isIpLike, isQueueId, messageRecord, unparsed, type PostfixBase } from './postfix-common.js';
import { parseDelivery } from './postfix-delivery.js';
import {
  classifyPostfixQueuedNote,
  isPostfixDebug,
  isPostfixInfo,
  severityOfWord,
  severityPrefix,
} from './postfix-notes.js';
import { parsePolicyLine, policyOutcomeOf } from './postfix-policy.js';
import { debug, warning } from './records.js';
import { postfixAuthFailure, postfixSession } from './session.js';
import { extractReply, findHostIp } from './reply.js';
import type { IgnoredRecord, MessageRecord, ParsedRecord, SessionRecord, WarningRecord } from './types.js';

/** An ignored note that names a queue id and/or a remote party: keep those, unless the caller wants it brief. */
function ignoredNote(base: PostfixBase, queueId: string | null, text: string, brief: boolean): IgnoredRecord {
  const r = ignored(base);
  if (brief) return r;
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
function parseQueued(
  base: PostfixBase,
  queueId: string,
  rest: string,
  line: string,
  brief: boolean,
): ParsedRecord {
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
  if (c0 === 99 /* c */ && rest.startsWith('client=')) return parseClient(base, queueId, rest);
  if (c0 === 117 /* u */ && rest.startsWith('uid=')) {
    const r = messageRecord(base, queueId, 'pickup');
    r.sender = kvField(rest, 'from=');
    return r;
  }
  const colon = rest.indexOf(': ');
  if (colon > 0 && colon < 32) {
    const r = parseAction(base, queueId, rest.slice(0, colon), rest.slice(colon + 2), line, brief);
    if (r !== null) return r;
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
    return ignoredNote(base, queueId, rest, brief);
  }
  return unparsed(base, 'unknown line after a queue id', line);
}

/**
 * A policy action after a queue id or NOQUEUE (`reject: RCPT from ...`, `hold: header ...`,
 * `milter-header-redirect: header ...`), a warning (`warning: ...`, also a header check's WARN action, which is
 * a note), or null when `action` is neither.
 */
function parseAction(
  base: PostfixBase,
  queueId: string | null,
  action: string,
  body: string,
  line: string,
  brief: boolean,
): ParsedRecord | null {
  const outcome = policyOutcomeOf(action);
  if (outcome === 'info') return ignoredNote(base, queueId, body, brief);
  if (outcome !== null) {
    return (
      parsePolicyLine(base, queueId, action, outcome, body) ??
      unparsed(base, `${action} in an unknown shape`, line)
    );
  }
  const severity = severityOfWord(action);
  if (severity === null) return null;
  // cleanup's WARN action: "warning: header Subject: x from client[ip]; from=<a> to=<b> proto=ESMTP helo=<h>".
  if (
    severity === 'warning' &&
    (body.startsWith('header ') || body.startsWith('body ')) &&
    body.includes('; from=<')
  ) {
    const note = parsePolicyLine(base, queueId, action, 'note', body);
    if (note !== null) return note;
  }
  return warning(base, severity, queueId, body);
}

/** `client=name[ip]` with what smtpd adds: `, sasl_method=M, sasl_username=U, orig_queue_id=Q, orig_client=name[ip]`. */
function parseClient(base: PostfixBase, queueId: string, rest: string): MessageRecord {
  const r = messageRecord(base, queueId, 'client');
  const comma = rest.indexOf(',', 7);
  const client = comma < 0 ? rest.slice(7) : rest.slice(7, comma);
  const hp = splitHostIp(client);
  r.clientHost = hp === null ? client : hp.host;
  r.clientIp = hp === null ? null : hp.ip;
  if (comma < 0) return r;
  const more = rest.slice(comma);
  r.saslMethod = kvField(more, 'sasl_method=');
  r.saslUser = kvField(more, 'sasl_username=');
  r.origQueueId = kvField(more, 'orig_queue_id=');
  const orig = kvField(more, 'orig_client=');
  if (orig !== null) {
    const o = splitHostIp(orig);
    r.origClientHost = o === null ? orig : o.host;
    r.origClientIp = o === null ? null : o.ip;
  }
  return r;
}

/** `warning: TEXT`, or `warning: QUEUEID: TEXT` where the text is about one message. */
function unqueuedWarning(
  base: PostfixBase,
  severity: WarningRecord['severity'],
  message: string,
): WarningRecord | SessionRecord {
  const text = message.slice(severity.length + 2);
  if (severity === 'warning') {
    const auth = postfixAuthFailure(base, text);
    if (auth !== null) return auth;
  }
  const colon = text.indexOf(': ');
  if (colon > 0 && isQueueId(text, 0, colon))
    return warning(base, severity, text.slice(0, colon), text.slice(colon + 2));
  return warning(base, severity, null, text);
}

/** A Postfix message (envelope already removed). `base.program` is the full program name. */
export function parsePostfix(base: PostfixBase, message: string, line: string, brief = false): ParsedRecord {
  const colon = message.indexOf(': ');
  if (colon > 0 && isQueueId(message, 0, colon)) {
    return parseQueued(base, message.slice(0, colon), message.slice(colon + 2), line, brief);
  }
  if (message.startsWith('NOQUEUE: ')) {
    const c2 = message.indexOf(': ', 9);
    if (c2 > 9 && c2 < 41) {
      const r = parseAction(base, null, message.slice(9, c2), message.slice(c2 + 2), line, brief);
      if (r !== null) return r;
    }
    const note = classifyPostfixQueuedNote(message.slice(9));
    if (note !== null && note !== 'message-other') return ignoredNote(base, null, message, brief);
    return unparsed(base, 'unknown NOQUEUE line', line);
  }
  if (message.startsWith('proxy-reject: ')) {
    return (
      parsePolicyLine(base, null, 'proxy-reject', 'reject', message.slice(14)) ??
      unparsed(base, 'proxy-reject in an unknown shape', line)
    );
  }
  const severity = severityPrefix(message);
  if (severity !== null) return unqueuedWarning(base, severity, message);
  const sessionFact = postfixSession(base, message);
  if (sessionFact !== null) return sessionFact;
  if (isPostfixInfo(message)) return ignoredNote(base, null, message, brief);
  if (isPostfixDebug(message)) return debug(base);
  return unparsed(base, 'unknown line', line);
}
