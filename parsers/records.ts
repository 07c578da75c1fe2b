/** Builders of the records both MTA readers produce, from the fields every line's envelope gives. */

import type { IgnoredRecord, MessageRecord, Mta, UnparsedRecord } from './types.js';

export interface RecordBase {
  ts: string | null;
  tsMs: number | null;
  host: string | null;
  mta: Mta;
  program: string;
  pid: number | null;
}

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
