/** Exim delivery lines: `=>`, `->`, `>>`, `**`, `==` with their fields and reasons; discards and retry waits. */

import { tlsProtocolName } from './session.js';
import { domainOf, isLoopback } from './address.js';
import { field, stripAngles, type EximBase } from './exim-common.js';
import { findQueuedAs } from './queued-as.js';
import { extractReply, findEximHost, splitCodes } from './reply.js';
import type { DeliveryRecord, DiscardRecord, Outcome, SmtpStage, WaitRecord } from './types.js';

/**
 * The delivery flags: `=>` (first address), `->` (another address of the same delivery) and `>>` (cutthrough:
 * delivered while the message was being received) are sent, `**` bounced, `==` deferred.
 */
export const FLAG_OUTCOME: Readonly<Record<string, Outcome>> = {
  '=>': 'sent',
  '->': 'sent',
  '>>': 'sent',
  '**': 'bounced',
  '==': 'deferred',
};

/**
 * What a sent line delivered to when it is not an address: `:blackhole:` (a router or alias), `discarded` (a
 * filter's discard) and `blackhole (RCPT ACL discarded recipients)` (an ACL's discard verb) drop the mail.
 */
function isDiscardTarget(first: string, tail: string): boolean {
  if (first === ':blackhole:') return true;
  if (first === 'discarded') return tail.startsWith(' <');
  return first === 'blackhole' && tail.startsWith(' (');
}

/**
 * An Exim deferral that was not an attempt: `defer (-51..-54): retry time not reached [for any host ...]` (and
 * `Retry time not yet reached` for a local transport) says the address is waiting for its retry time after an
 * earlier temporary failure, and says nothing of why. Ingest classifies it by the recipient's last real deferral.
 */
const RETRY_WAIT = /^retry time not (?:yet )?reached/i;
export const isEximRetryWait = (rec: Pick<DeliveryRecord, 'mta' | 'outcome' | 'diagnostic'>): boolean =>
  rec.mta === 'exim' && rec.outcome === 'deferred' && RETRY_WAIT.test(rec.diagnostic);

const INTERMEDIATE = / \([^()]*\)$/;

/** Exim's time format (`QT=1d2h3m4s`, `QT=0.214s` with +millisec): whole units, seconds perhaps with a fraction. */
const EXIM_TIME =
  /^(?:(\d{1,4})w)?(?:(\d{1,4})d)?(?:(\d{1,4})h)?(?:(\d{1,4})m)?(?:(\d{1,6}(?:\.\d{1,3})?)s)?$/;

/**
 * A delivery's `QT=` (log_selector +queue_time): its time on the queue since arrival, as Postfix's `delay=`. It
 * follows the quoted confirmation, so only a `QT=` after the last quote is ours, never one a remote reply wrote.
 */
function eximQueueTime(fields: string): number | null {
  const at = fields.lastIndexOf(' QT=');
  if (at < 0 || at < fields.lastIndexOf('"')) return null;
  let end = fields.indexOf(' ', at + 4);
  if (end < 0) end = fields.length;
  const m = EXIM_TIME.exec(fields.slice(at + 4, end));
  if (!m || end === at + 4) return null;
  const [, w, d, h, min, sec] = m;
  return (
    Number(w ?? 0) * 604_800 +
    Number(d ?? 0) * 86_400 +
    Number(h ?? 0) * 3_600 +
    Number(min ?? 0) * 60 +
    Number(sec ?? 0)
  );
}
const NOT_AN_ADDRESS = /^[|/>]/;

/** `=> addr [<parent>] R=... T=... H=host [ip] C="..."`, `** addr ...: reason`, `== addr ... defer (n): reason`. */
export function parseDelivery(
  base: EximBase,
  queueId: string,
  flag: string,
  rest: string,
): DeliveryRecord | WaitRecord | DiscardRecord {
  const outcome = FLAG_OUTCOME[flag] ?? 'sent';
  let sp = rest.indexOf(' ');
  if (sp < 0) sp = rest.length;
  let first = rest.slice(0, sp);
  let tail = rest.slice(sp);
  const discard = outcome === 'sent' && isDiscardTarget(first, tail);
  if (first.endsWith(':') && !discard) {
    first = first.slice(0, -1);
    tail = `:${tail}`;
  }
  let recipient = first;
  let parent: string | null = null;
  if (tail.startsWith(' <')) {
    const close = tail.indexOf('>', 2);
    if (close > 0) {
      parent = tail.slice(2, close);
      tail = tail.slice(close + 1);
    }
  } else if (!first.includes('@') || NOT_AN_ADDRESS.test(first)) {
    // A pipe, file or autoreply with spaces: the parent address in <...> before the fields.
    const open = tail.indexOf(' <');
    const stop = tail.indexOf(' R=');
    if (open >= 0 && (stop < 0 || open < stop)) {
      const close = tail.indexOf('>', open);
      if (close > 0) {
        recipient = `${first}${tail.slice(0, open)}`;
        parent = tail.slice(open + 2, close);
        tail = tail.slice(close + 1);
      }
    }
  }
  let origRecipient: string | null = null;
  if (parent !== null) {
    // A redirection shows its intermediate address in parentheses: `final (intermediate) <original>`.
    const paren = INTERMEDIATE.exec(recipient);
    if (paren) recipient = recipient.slice(0, paren.index);
    // Pipes, files and autoreplies are not mail addresses, even when their command text holds an @.
    if (!recipient.includes('@') || NOT_AN_ADDRESS.test(recipient)) {
      origRecipient = recipient;
      recipient = parent;
    } else if (parent !== recipient) {
      origRecipient = parent;
    }
  }
  recipient = stripAngles(recipient);

  // The reason (failures) follows the first ": " after the fields.
  let reason = '';
  let fields = tail;
  if (outcome !== 'sent') {
    const colon = tail.indexOf(': ');
    if (colon >= 0) {
      reason = tail.slice(colon + 2);
      fields = tail.slice(0, colon);
    } else if (tail.startsWith(':')) {
      fields = '';
      reason = tail.slice(1).trimStart();
    } else if (!tail.includes('=')) {
      // No fields and no colon: the words themselves are the reason ("** a@b mua_wrapper forced failure").
      fields = '';
      reason = tail.trim();
    }
  }
  const router = field(fields, 'R=');
  const transport = field(fields, 'T=');
  // F= with +sender_on_delivery, P= (the return path) with +return_path_on_delivery.
  const sender = field(fields, 'F=') ?? field(fields, 'P=');
  const h = findEximHost(fields);
  const port = h === null ? null : h.port;
  let stage: SmtpStage | null = null;
  let reply: { replyCode: number | null; enhancedStatus: string | null; diagnostic: string };
  if (outcome === 'sent') {
    // The confirmation (C="250 ...") only has codes to read.
    const c = fields.includes(' C="') ? field(fields, 'C=') : null;
    reply = splitCodes(c ?? '');
  } else {
    const full = extractReply(reason);
    stage = full.stage;
    reply = full;
  }
  let diagnostic = reply.diagnostic;
  if (outcome === 'deferred' && diagnostic === '') {
    const d = fields.indexOf(' defer (');
    if (d >= 0) {
      const close = fields.indexOf(')', d);
      if (close > 0) diagnostic = fields.slice(d + 1, close + 1);
    }
  }
  const relayHost = h === null || h.host === '' ? null : h.host;
  const relayIp = h === null ? null : h.ip;
  const sent = outcome === 'sent' && !discard;
  const queuedAs = sent && h !== null ? findQueuedAs(reply.diagnostic) : null;
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
    dsn: null,
    diagnostic,
    delay: sent ? eximQueueTime(fields) : null,
    transport: transport ?? router,
    router,
    sender: sender === null ? null : stripAngles(sender),
    // A local transport (appendfile, maildir, lmtp, pipe, autoreply) names no remote host.
    localDelivery: sent && h === null && transport !== null,
    queuedAs,
  };
  if (discard) return discardOf(record, first, parent === null ? tail.trim() : null);
  if (outcome === 'deferred' && RETRY_WAIT.test(diagnostic)) return { ...record, outcome: 'wait' };
  if (queuedAs !== null && isLoopback(relayHost, relayIp)) record.flow = 'hop';
  if (sent && h !== null) {
    const tls = field(fields, 'X=');
    if (tls !== null) record.tlsProtocol = tlsProtocolName(tls.split(':', 1)[0] ?? tls);
  }
  return record;
}

/**
 * A sent line that dropped the mail. `acl` is the text after an ACL's `blackhole` ("(RCPT ACL discarded
 * recipients)"), which names no recipient; otherwise the recipient is the address in angle brackets.
 */
function discardOf(record: DeliveryRecord, keyword: string, acl: string | null): DiscardRecord {
  let diagnostic = keyword;
  if (acl !== null && acl.startsWith('(')) {
    const close = acl.indexOf(')');
    diagnostic = acl.slice(1, close < 0 ? acl.length : close);
  }
  return {
    ...record,
    recipient: acl === null ? record.recipient : '',
    recipientDomain: acl === null ? record.recipientDomain : '',
    origRecipient: null,
    outcome: 'discarded',
    diagnostic,
    clientHost: null,
    clientIp: null,
    helo: null,
  };
}
