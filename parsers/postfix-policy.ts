/**
 * Postfix policy actions: smtpd and postscreen (NOQUEUE or queued), cleanup header/body checks, milters and
 * before-queue filters. A reject refuses the mail; a note (reject_warning, hold, warn) refuses nothing; a
 * discard accepts the mail and drops it.
 */

import { domainOf } from './address.js';
import { policyRecord, type PolicyParts } from './records.js';
import { splitCodes } from './reply.js';
import type { DiscardRecord, NoteRecord, RecordBase, RejectRecord, SmtpStage } from './types.js';

/** What an action means here: refused, noted, dropped, or an informational action (redirect, filter...). */
export type PolicyOutcome = 'reject' | 'note' | 'discard' | 'info';

function outcomeOfVerb(verb: string): PolicyOutcome {
  switch (verb) {
    case 'reject':
      return 'reject';
    case 'discard':
      return 'discard';
    case 'hold':
    case 'warning':
      return 'note';
    default:
      return 'info';
  }
}

/**
 * The meaning of an action word Postfix logs as `ACTION: STAGE from client[ip]: ...` (smtpd, postscreen,
 * milters) or `ACTION: header|body ... from client[ip]; from=<> to=<> ...` (cleanup, milter_header_checks as
 * `milter-header-ACTION`/`milter-body-ACTION`), or null when the word is not one of those actions.
 */
export function policyOutcomeOf(action: string): PolicyOutcome | null {
  switch (action) {
    case 'reject':
    case 'milter-reject':
    case 'proxy-reject':
      return 'reject';
    case 'reject_warning':
    case 'hold':
    case 'milter-hold':
    case 'warn':
      return 'note';
    case 'discard':
    case 'milter-discard':
      return 'discard';
    default:
      break;
  }
  if (action.startsWith('milter-header-')) return outcomeOfVerb(action.slice(14));
  if (action.startsWith('milter-body-')) return outcomeOfVerb(action.slice(12));
  return null;
}

function stageOf(word: string): SmtpStage | null {
  switch (word) {
    case 'CONNECT':
      return 'connect';
    case 'EHLO':
    case 'HELO':
    case 'LHLO':
    case 'STARTTLS':
    case 'AUTH':
      return 'helo';
    case 'MAIL':
      return 'mail';
    case 'RCPT':
      return 'rcpt';
    case 'DATA':
    case 'BDAT':
    case 'header':
    case 'body':
      return 'data';
    case 'END-OF-MESSAGE':
      return 'end-of-data';
    default:
      return null;
  }
}

/** The value of `key=<...>` in the trailer (`from=<a> to=<b> proto=ESMTP helo=<h>`), or null. */
function angleField(s: string, key: string): string | null {
  let at = s.indexOf(key);
  // The key must start the trailer or follow a space or comma.
  while (at > 0 && s.charCodeAt(at - 1) !== 32 && s.charCodeAt(at - 1) !== 44) at = s.indexOf(key, at + 1);
  if (at < 0) return null;
  const start = at + key.length;
  const end = s.indexOf('>', start);
  return end < 0 ? null : s.slice(start, end);
}

/** The parts every action shape ends in: addresses and HELO from the `from=<...>` trailer. */
function fromTrailer(
  queueId: string | null,
  action: string,
  stage: SmtpStage | null,
  clientHost: string | null,
  clientIp: string | null,
  reply: string,
  trailer: string,
): PolicyParts {
  const has = trailer !== '';
  return {
    queueId,
    action,
    stage,
    clientHost,
    clientIp,
    helo: has ? angleField(trailer, 'helo=<') : null,
    sender: has ? angleField(trailer, 'from=<') : null,
    recipient: has ? angleField(trailer, 'to=<') : null,
    reply,
  };
}

/** smtpd before-queue filter: `proxy-reject: END-OF-MESSAGE: 554 5.7.0 text; from=<a> to=<b> ...`. */
function parseProxyReject(queueId: string | null, action: string, body: string): PolicyParts {
  const colon = body.indexOf(': ');
  const stage = stageOf(colon < 0 ? body : body.slice(0, colon));
  const trailerAt = body.lastIndexOf('; from=<');
  const reply = body.slice(colon < 0 ? 0 : colon + 2, trailerAt < 0 ? body.length : trailerAt);
  const trailer = trailerAt < 0 ? '' : body.slice(trailerAt + 2);
  return fromTrailer(queueId, action, stage, null, null, reply, trailer);
}

/**
 * `body` is what follows `ACTION: `, e.g. `RCPT from name[ip]:port: 550 5.1.1 <a@b>: text; from=<x>
 * to=<a@b> proto=ESMTP helo=<h>` or (cleanup) `header Subject: x from name[ip]; from=<x> to=<y>
 * proto=ESMTP helo=<h>: 5.7.1 text`. Returns null when the shape is not one of those.
 */
function parsePolicyBody(queueId: string | null, action: string, body: string): PolicyParts | null {
  const sp = body.indexOf(' ');
  if (sp <= 0) return null;
  if (action === 'proxy-reject') return parseProxyReject(queueId, action, body);
  const word = body.slice(0, sp);
  const stage = stageOf(word);
  let clientPart: string;
  let reply: string;
  let trailer: string;
  const trailerAt = body.lastIndexOf('; from=<');
  if (word === 'header' || word === 'body') {
    // "header NAME: VALUE from client[ip]; from=<> to=<> proto=P helo=<h>: optional text"
    if (trailerAt < 0) return null;
    const head = body.slice(0, trailerAt);
    const fromAt = head.lastIndexOf(' from ');
    clientPart = fromAt < 0 ? '' : head.slice(fromAt + 6);
    const after = body.slice(trailerAt + 2);
    const helo = after.indexOf('helo=<');
    const close = helo < 0 ? -1 : after.indexOf('>', helo);
    const colon = after.indexOf(': ', close < 0 ? 0 : close);
    trailer = colon < 0 ? after : after.slice(0, colon);
    const text = colon < 0 ? '' : after.slice(colon + 2);
    const what = fromAt < 0 ? head : head.slice(0, fromAt);
    reply = text === '' ? what : `${text} (${what})`;
  } else {
    if (!body.startsWith('from ', sp + 1)) return null;
    const colon = body.indexOf(': ', sp + 6);
    if (colon < 0) {
      clientPart = body.slice(sp + 6);
      reply = '';
      trailer = '';
    } else {
      clientPart = body.slice(sp + 6, colon);
      if (trailerAt > colon) {
        reply = body.slice(colon + 2, trailerAt);
        trailer = body.slice(trailerAt + 2);
      } else {
        reply = body.slice(colon + 2);
        trailer = '';
      }
    }
  }
  let clientHost: string | null = null;
  let clientIp: string | null = null;
  const open = clientPart.indexOf('[');
  const close = clientPart.lastIndexOf(']');
  if (open >= 0 && close > open) {
    clientHost = open > 0 ? clientPart.slice(0, open) : null;
    clientIp = clientPart.slice(open + 1, close);
  } else if (clientPart !== '') {
    clientHost = clientPart;
  }
  return fromTrailer(queueId, action, stage, clientHost, clientIp, reply, trailer);
}

/** An smtpd or cleanup discard: the recipient the line names (smtpd's `to=`, cleanup's first), dropped. */
function discardRecord(base: RecordBase, p: PolicyParts): DiscardRecord {
  const codes = splitCodes(p.reply);
  const recipient = p.recipient ?? '';
  return {
    kind: 'delivery',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    queueId: p.queueId,
    recipient,
    origRecipient: null,
    recipientDomain: domainOf(recipient),
    outcome: 'discarded',
    relayHost: null,
    relayIp: null,
    port: null,
    stage: p.stage,
    replyCode: codes.replyCode,
    enhancedStatus: codes.enhancedStatus,
    dsn: null,
    diagnostic: codes.diagnostic,
    delay: null,
    transport: base.program.slice(base.program.lastIndexOf('/') + 1),
    router: null,
    sender: p.sender,
    localDelivery: false,
    queuedAs: null,
    clientHost: p.clientHost,
    clientIp: p.clientIp,
    helo: p.helo,
  };
}

/** The record of a reject, note or discard line, or null when its body is not of a known shape. */
export function parsePolicyLine(
  base: RecordBase,
  queueId: string | null,
  action: string,
  outcome: 'reject' | 'note' | 'discard',
  body: string,
): RejectRecord | NoteRecord | DiscardRecord | null {
  const parts = parsePolicyBody(queueId, action, body);
  if (parts === null) return null;
  return outcome === 'discard' ? discardRecord(base, parts) : policyRecord(outcome, base, parts);
}
