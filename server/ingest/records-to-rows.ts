/** Records to stored rows: what the classifier is asked about each record, and the row built from the answer. */

import { classOfOutcome } from '../../classify/index.js';
import type { InboundClassification, InboundInput } from '../../classify/inbound.js';
import type { Classification, ClassifyInput } from '../../classify/types.js';
import type { MessageRow } from '../../db/store/stored-rows.js';
import type { AttemptRow, RejectRow } from '../../db/store/stored-rows.js';
import type { DeliveryRecord, MessageRecord, RejectRecord } from '../../parsers/types.js';
import { domainOf, type Deferral, type ExpiredRecipient } from './recipient-outcomes.js';

export const deliveryInput = (rec: DeliveryRecord): ClassifyInput => ({
  replyCode: rec.replyCode,
  enhancedStatus: rec.enhancedStatus,
  dsn: rec.dsn,
  diagnostic: rec.diagnostic,
  stage: rec.stage,
  remoteHost: rec.relayHost,
  outcome: rec.outcome,
  recipientDomain: rec.recipientDomain,
});

/**
 * What to classify an Exim retry wait by: the recipient's last deferral that said why (its reply, stage and
 * host), as a deferral to the recipient's domain.
 */
export const waitingInput = (rec: DeliveryRecord, waitedOn: Deferral): ClassifyInput => ({
  replyCode: waitedOn.replyCode,
  enhancedStatus: waitedOn.enhancedStatus,
  dsn: waitedOn.dsn,
  diagnostic: waitedOn.diagnostic,
  stage: waitedOn.stage,
  remoteHost: waitedOn.relayHost,
  outcome: 'deferred',
  recipientDomain: rec.recipientDomain,
});

/**
 * A delivery attempt; sender and Message-ID come from its message life where the line does not say. The flags
 * are built in, not spread onto a copy: that was one more row object per attempt.
 */
export const attemptRow = (
  rec: DeliveryRecord,
  ts: number,
  life: MessageRow,
  c: Classification,
  flags: number,
): AttemptRow => ({
  ts,
  host: rec.host ?? '',
  mta: rec.mta,
  program: rec.program,
  queueId: rec.queueId,
  recipient: rec.recipient,
  origRecipient: rec.origRecipient,
  recipientDomain: rec.recipientDomain,
  sender: rec.sender ?? life.sender,
  senderDomain: rec.sender !== null ? domainOf(rec.sender) : life.senderDomain,
  outcome: rec.outcome,
  relayHost: rec.relayHost,
  relayIp: rec.relayIp,
  port: rec.port,
  stage: rec.stage,
  replyCode: rec.replyCode ?? c.replyCode,
  enhancedStatus: rec.enhancedStatus ?? c.enhancedStatus,
  dsn: rec.dsn,
  diagnostic: rec.diagnostic,
  delay: rec.delay,
  transport: rec.transport,
  // The classifier leaves the class open only for text without code or outcome; a delivery has an outcome.
  class: c.class ?? classOfOutcome(rec.outcome) ?? 'permanent',
  cause: c.cause,
  provider: c.provider,
  blocklist: c.blocklist,
  hardBounce: c.hardBounce,
  classConflict: c.conflict,
  messageId: life.messageId,
  message: life,
  flags,
});

/** Our server refusing a remote client: judged in the receiver's terms (the design's inbound cause ids). */
export const rejectInput = (rec: RejectRecord): InboundInput => ({
  replyCode: rec.replyCode,
  enhancedStatus: rec.enhancedStatus,
  diagnostic: rec.diagnostic,
  program: rec.program,
});

export const rejectRow = (rec: RejectRecord, ts: number, c: InboundClassification): RejectRow => ({
  ts,
  host: rec.host ?? '',
  mta: rec.mta,
  program: rec.program,
  queueId: rec.queueId,
  action: rec.action,
  clientHost: rec.clientHost,
  clientIp: rec.clientIp,
  helo: rec.helo,
  sender: rec.sender,
  recipient: rec.recipient,
  recipientDomain: rec.recipientDomain,
  stage: rec.stage,
  replyCode: rec.replyCode ?? c.replyCode,
  enhancedStatus: rec.enhancedStatus ?? c.enhancedStatus,
  diagnostic: rec.diagnostic,
  class: c.class,
  cause: c.cause,
  // No provider answered: our own server did.
  provider: null,
});

/** An expired recipient is judged by its last deferral's reply, with outcome `expired`. */
export const expiredInput = (d: Deferral | null, recipientDomain: string): ClassifyInput => ({
  replyCode: d?.replyCode ?? null,
  enhancedStatus: d?.enhancedStatus ?? null,
  dsn: d?.dsn ?? null,
  diagnostic: d?.diagnostic ?? null,
  stage: d?.stage ?? null,
  remoteHost: d?.relayHost ?? null,
  outcome: 'expired',
  recipientDomain,
});

export const expiredRow = (
  rec: MessageRecord,
  ts: number,
  t: ExpiredRecipient,
  recipientDomain: string,
  life: MessageRow,
  c: Classification,
  flags: number,
): AttemptRow => {
  const d = t.deferral;
  return {
    ts,
    host: rec.host ?? '',
    mta: rec.mta,
    program: rec.program,
    queueId: rec.queueId,
    recipient: t.recipient,
    origRecipient: null,
    recipientDomain,
    sender: life.sender,
    senderDomain: life.senderDomain,
    outcome: 'expired',
    relayHost: d?.relayHost ?? null,
    relayIp: d?.relayIp ?? null,
    port: d?.port ?? null,
    stage: d?.stage ?? null,
    replyCode: d?.replyCode ?? c.replyCode,
    enhancedStatus: d?.enhancedStatus ?? c.enhancedStatus,
    dsn: d?.dsn ?? null,
    diagnostic: d?.diagnostic ?? '',
    delay: null,
    transport: null,
    class: c.class ?? 'temporary',
    cause: c.cause,
    provider: c.provider,
    blocklist: c.blocklist,
    hardBounce: c.hardBounce,
    classConflict: c.conflict,
    messageId: life.messageId,
    message: life,
    flags,
  };
};
