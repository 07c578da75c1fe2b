/** Builders of the records both MTA readers produce, from the fields every line's envelope gives. */

import { domainOf } from './address.js';
import { splitCodes } from './reply.js';
import type { IgnoredRecord, MessageRecord, RecordBase, RejectRecord, UnparsedRecord } from './types.js';

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

export function ignored(base: RecordBase, severity: IgnoredRecord['severity']): IgnoredRecord {
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
  };
}

/** What a reject line tells beyond its envelope; `reply` is split into codes and text here. */
export interface RejectParts {
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

export function rejectRecord(base: RecordBase, p: RejectParts): RejectRecord {
  const codes = splitCodes(p.reply);
  return {
    kind: 'reject',
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
