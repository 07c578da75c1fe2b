/** Builders of the records both MTA readers produce, from the fields every line's envelope gives. */

import { domainOf } from './address.js';
import { findHostIp, splitCodes } from './reply.js';
import type {
  DebugRecord,
  IgnoredRecord,
  MessageRecord,
  NoteRecord,
  RecordBase,
  RejectRecord,
  UnparsedRecord,
  WarningRecord,
} from './types.js';

export function unparsed(base: RecordBase, reason: string, line: string): UnparsedRecord {
  return {
    kind: 'unparsed',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    reason,
    line,
  };
}

export function ignored(base: RecordBase): IgnoredRecord {
  return {
    kind: 'ignored',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
  };
}

export function debug(base: RecordBase): DebugRecord {
  return {
    kind: 'debug',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
  };
}

/** A warning with the first party its text names (`name[ip]`), if any. */
export function warning(
  base: RecordBase,
  severity: WarningRecord['severity'],
  queueId: string | null,
  text: string,
): WarningRecord {
  const hp = findHostIp(text);
  return {
    kind: 'warning',
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    severity,
    queueId,
    text,
    remoteHost: hp === null || hp.host === '' ? null : hp.host,
    remoteIp: hp === null ? null : hp.ip,
  };
}

/** A message event with every optional field empty; readers fill what their line tells. */
export function messageRecord(
  base: RecordBase,
  queueId: string,
  event: MessageRecord['event'],
): MessageRecord {
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
    saslUser: null,
    saslMethod: null,
    protocol: null,
    origQueueId: null,
    origClientHost: null,
    origClientIp: null,
  };
}

/** What a policy action line tells beyond its envelope; `reply` is split into codes and text here. */
export interface PolicyParts {
  queueId: string | null;
  action: string;
  stage: RejectRecord['stage'];
  clientHost: string | null;
  clientIp: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  reply: string;
}

/** A reject (this server refused the mail) or a note (a policy action that refused nothing). */
export function policyRecord(
  kind: 'reject' | 'note',
  base: RecordBase,
  p: PolicyParts,
): RejectRecord | NoteRecord {
  const codes = splitCodes(p.reply);
  return {
    kind,
    ts: base.ts,
    tsMs: base.tsMs,
    host: base.host,
    mta: base.mta,
    program: base.program,
    pid: base.pid,
    queueId: p.queueId,
    action: p.action,
    clientHost: p.clientHost,
    clientIp: p.clientIp,
    helo: p.helo,
    sender: p.sender,
    recipient: p.recipient,
    recipientDomain: p.recipient === null ? null : domainOf(p.recipient),
    stage: p.stage,
    replyCode: codes.replyCode,
    enhancedStatus: codes.enhancedStatus,
    diagnostic: codes.diagnostic,
  };
}
