/** Postfix delivery lines: `QUEUEID: to=<a>, relay=..., delay=..., dsn=..., status=word (text)`. */

import { domainOf, isLoopback, splitHostIp } from './address.js';
import { isIpLike, unparsed, type PostfixBase } from './postfix-common.js';
import { findQueuedAs } from './queued-as.js';
import { extractReply, splitCodes } from './reply.js';
import type { DeliveryRecord, Outcome, ParsedRecord, ProbeRecord, SmtpStage } from './types.js';

/** A deferral qmgr logs without trying, for a destination an earlier attempt found dead (Postfix's "dead" site). */
const SUSPENDED = /^delivery temporarily suspended\b/i;
/** A filter's reply saying it dropped the message (amavis `250 2.7.0 Ok, discarded, id=... - INFECTED: ...`). */
const FILTER_DISCARD = /^(?:[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3} )?)?Ok,? discarded\b/i;

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

/** Address verification results (verify(8), `sendmail -bv`), or null for any other status. */
function probeStatusOf(status: string): ProbeRecord['status'] | null {
  switch (status) {
    case 'deliverable':
      return 'deliverable';
    case 'undeliverable':
      return 'undeliverable';
    case 'undeliverable-but-not-cached':
      return 'undeliverable-but-not-cached';
    default:
      return null;
  }
}

/** Delivery agents that put mail into this server's own mail store. */
function isMailboxAgent(daemon: string): boolean {
  return daemon === 'local' || daemon === 'virtual' || daemon === 'lmtp';
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
export function parseDelivery(base: PostfixBase, queueId: string, rest: string, line: string): ParsedRecord {
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
  const outcome = outcomeOf(status);
  const probe = outcome === null ? probeStatusOf(status) : null;
  if (outcome === null && probe === null) return unparsed(base, `unknown status=${status}`, line);
  let relayHost: string | null = null;
  let relayIp: string | null = null;
  let port: number | null = null;
  // "relay=name[private/dovecot-lmtp]": a unix socket on this host.
  let socket = false;
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
        socket = relay.includes('/');
      }
    } else {
      relayHost = hp.host === '' ? null : hp.host;
      relayIp = hp.ip !== null && isIpLike(hp.ip) ? hp.ip : null;
      port = hp.port;
      socket = relayIp === null && hp.ip !== null && hp.ip.includes('/');
      if (relayHost === null && relayIp === null) relayHost = hp.ip;
    }
  }
  // A success text ("250 2.0.0 Ok: queued as X", "delivered to mailbox") has no stage or remote
  // host to find: only its codes. Most lines of a log are these.
  let stage: SmtpStage | null = null;
  let reply: { replyCode: number | null; enhancedStatus: string | null; diagnostic: string };
  if (outcome === 'sent' || probe === 'deliverable') {
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
  if (probe !== null) {
    return {
      kind: 'probe',
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
      status: probe,
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
    };
  }
  const sent = outcome === 'sent';
  const queuedAs = sent ? findQueuedAs(text) : null;
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
    outcome: outcome ?? 'sent',
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
    router: null,
    sender: null,
    localDelivery: sent && (socket || isMailboxAgent(daemon)),
    queuedAs,
  };
  // The discard(8) agent "delivers" by dropping the mail (its text is the reason).
  if (sent && daemon === 'discard') {
    return { ...record, outcome: 'discarded', queueId, clientHost: null, clientIp: null, helo: null };
  }
  if (sent && queuedAs === null && isLoopback(relayHost, relayIp) && FILTER_DISCARD.test(reply.diagnostic)) {
    // A content filter that accepted the hand-over and dropped the message (amavis "Ok, discarded"): no delivery.
    return {
      ...record,
      outcome: 'discarded',
      localDelivery: false,
      clientHost: null,
      clientIp: null,
      helo: null,
    };
  }
  if (outcome === 'deferred' && SUSPENDED.test(reply.diagnostic)) {
    // qmgr did not try: the destination was already marked dead by an earlier attempt, whose reason it repeats.
    return { ...record, outcome: 'wait' };
  }
  if (queuedAs !== null && isLoopback(relayHost, relayIp)) {
    // A filter that queues the message again is not a mailbox, whatever protocol it speaks.
    record.flow = 'hop';
    record.localDelivery = false;
  }
  return record;
}
