/** The rows ingest stores (camelCase), as they cross the store's interface in both directions. */

import type { FailureClass } from '../../classify/types.js';
import type { Mta, Outcome } from '../../parsers/types.js';

/** One message life; id 0 until the store assigned one (then it is updated batch after batch). */
export interface MessageRow {
  id: number;
  host: string;
  mta: Mta;
  queueId: string;
  firstTs: number;
  lastTs: number;
  sender: string | null;
  senderDomain: string | null;
  size: number | null;
  nrcpt: number | null;
  messageId: string | null;
  clientHost: string | null;
  clientIp: string | null;
  notificationOf: string | null;
  /** The queue id this life was re-queued from (a hop's `queued as`, or XFORWARD's orig_queue_id); absent: none. */
  hopOf?: string | null;
  expiredAt: number | null;
  closedAt: number | null;
}

export interface AttemptRow {
  ts: number;
  host: string;
  mta: Mta;
  program: string;
  queueId: string;
  recipient: string;
  origRecipient: string | null;
  recipientDomain: string;
  sender: string | null;
  senderDomain: string | null;
  outcome: Outcome;
  relayHost: string | null;
  relayIp: string | null;
  port: number | null;
  stage: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  dsn: string | null;
  diagnostic: string;
  delay: number | null;
  transport: string | null;
  class: FailureClass;
  cause: string | null;
  provider: string | null;
  blocklist: string | null;
  hardBounce: boolean;
  classConflict: string | null;
  messageId: string | null;
  /** What the row is besides a delivery (ATTEMPT_HOP, ATTEMPT_WAIT, ATTEMPT_NOTICE); absent or 0: a plain delivery. */
  flags?: number;
  /** The message life this attempt belongs to (its id may still be 0 when the life is new in the same batch). */
  message?: MessageRow | null;
}

export interface RejectRow {
  ts: number;
  host: string;
  mta: Mta;
  program: string;
  queueId: string | null;
  action: string;
  clientHost: string | null;
  clientIp: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  recipientDomain: string | null;
  stage: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  diagnostic: string;
  class: FailureClass;
  cause: string | null;
  provider: string | null;
}

/** A hand-over to a local service that queues the message again: not a delivery (design, Counting). */
export const ATTEMPT_HOP = 1;
/** An Exim retry wait: nothing was tried, shown in the trace, never an attempt. */
export const ATTEMPT_WAIT = 2;
/** An attempt of a notification message (a bounce this server sends): in totals, in neither flow. */
export const ATTEMPT_NOTICE = 4;
/** Flags of attempts whose delay is not the delivery of a user's mail: hand-overs, waits and our bounce notices. */
export const ATTEMPT_UNTIMED = ATTEMPT_HOP | ATTEMPT_WAIT | ATTEMPT_NOTICE;

/** Lines counted apart from deliveries, each under its own rollup outcome. */
type TallyOutcome = 'hop' | 'wait' | 'discarded' | 'probe' | 'note' | 'notification';
/** The deliveries of notification messages, counted a second time so the flows can leave them out. */
type NoticeOutcome = `notice-${Outcome}`;

/** Outcome names used in rollups: the four attempt outcomes, rejects, and what is counted apart. */
export type RollupOutcome = Outcome | 'rejected' | TallyOutcome | NoticeOutcome;

/** The rollup outcome an attempt counts under (its own, or 'hop' or 'wait'). */
export function attemptRollupOutcome(outcome: Outcome, flags: number): RollupOutcome {
  if (flags & ATTEMPT_HOP) return 'hop';
  if (flags & ATTEMPT_WAIT) return 'wait';
  return outcome;
}

/** A line counted apart (discard, probe, note, notification), by time, host and recipient domain. */
export interface Tally {
  ts: number;
  host: string;
  domain: string;
  outcome: 'discarded' | 'probe' | 'note' | 'notification';
}

/** What makes a domain ours (db domain_facts.fact): where its mail was delivered, or that it was forwarded. */
export const DOMAIN_FACTS = {
  local: 1,
  virtual: 2,
  lmtp: 3,
  socket: 4,
  transport: 5,
  forwarded: 6,
} as const;
export type DomainFact = (typeof DOMAIN_FACTS)[keyof typeof DOMAIN_FACTS];

/** Facts one batch learned about domains and clients, each once (a day is the UTC day's start, unix ms). */
export interface FlowFacts {
  domains: { domain: string; fact: DomainFact; day: number; count: number }[];
  /** Outside clients and the recipient domains of their mail. */
  clients: { ip: string; domain: string; day: number }[];
  /** Outside clients that authenticated. */
  authenticated: { ip: string; day: number }[];
}

export interface UnparsedSample {
  program: string;
  shape: string;
  reason: string;
  line: string;
  ts: number | null;
}

/** The code a row counts under in the rollups: its enhanced status, else its reply code, else ''. */
export function rollupCode(enhancedStatus: string | null, replyCode: number | null): string {
  if (enhancedStatus) return enhancedStatus;
  if (replyCode !== null) return String(replyCode);
  return '';
}
