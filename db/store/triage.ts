/** The triage facts ingest hands the store with each batch, and the rows the store answers about them. */

import type { TimeRange } from '../sqlite/read/report.js';

/** Warning lines of one shape in one hour. */
export interface WarningFact {
  hour: number;
  /** The host that logged them ('' or absent when the log names none). */
  host?: string;
  severity: 'warning' | 'fatal' | 'panic';
  topic: string;
  shape: string;
  /** The newest line of the shape, as written. */
  example: string;
  count: number;
  first: number;
  last: number;
}

/**
 * What session facts count, per hour and key. The key is an IP (`auth-ip`, the postscreen verdicts, `tls-failed-in`),
 * a login (`auth-user`), a TLS protocol or '' for none (`tls-in`, `tls-out`), a recipient domain (`tls-domain`,
 * `plain-domain`: remote deliveries with and without TLS) or a server name (`tls-failed-out`). The volume events
 * (`received`, `delivered` and their `-bytes`) have the key '' and count messages, recipients or bytes.
 */
export type SessionFactEvent =
  | 'auth-ip'
  | 'auth-user'
  | 'pregreet'
  | 'dnsbl-rank'
  | 'hangup'
  | 'pipelining'
  | 'tls-in'
  | 'tls-out'
  | 'tls-domain'
  | 'plain-domain'
  | 'tls-failed-in'
  | 'tls-failed-out'
  | 'received'
  | 'received-bytes'
  | 'delivered'
  | 'delivered-bytes';

/**
 * Every event's code in the SQLite store (its position here, from 1): append only, as stored rows and migration 0017
 * name them by it.
 */
export const SESSION_EVENT_CODES: readonly SessionFactEvent[] = [
  'auth-ip',
  'auth-user',
  'pregreet',
  'dnsbl-rank',
  'hangup',
  'pipelining',
  'tls-in',
  'tls-out',
  'tls-domain',
  'plain-domain',
  'tls-failed-in',
  'tls-failed-out',
  'received',
  'received-bytes',
  'delivered',
  'delivered-bytes',
];

export interface SessionFact {
  hour: number;
  /** The host that logged it ('' or absent when the log names none). */
  host?: string;
  event: SessionFactEvent;
  key: string;
  count: number;
}

/** The counted fields of a submitter's figures, for stores that add them up column by column. */
export const SENDER_COUNTS = [
  'messages',
  'recipients',
  'bytes',
  'sent',
  'deferred',
  'bounced',
  'reputation',
  'spam',
  'unknown',
] as const;

/** What a submitter sent and what became of it. */
interface SenderCounts {
  messages: number;
  recipients: number;
  bytes: number;
  sent: number;
  deferred: number;
  /** Bounced and expired. */
  bounced: number;
  /** Failures whose cause is a reputation or blocklist refusal. */
  reputation: number;
  /** Failures whose cause is a spam verdict on the content. */
  spam: number;
  /** Failures because the recipient does not exist. */
  unknown: number;
}

/** What one submitter (SASL user, else sender address) sent through one client IP in one hour, and what became of it. */
export interface SenderFact extends SenderCounts {
  hour: number;
  /** The host that took the message ('' or absent when the log names none). */
  host?: string;
  /** '' when the client did not authenticate. */
  saslUser: string;
  sender: string;
  clientIp: string;
  /** A few failed recipients with their replies, for alert evidence (not stored). */
  examples?: { recipient: string; diagnostic: string }[];
}

/** A submitter's fact with nothing counted yet. */
export function emptySenderFact(
  hour: number,
  saslUser: string,
  sender: string,
  clientIp: string,
): SenderFact {
  return {
    hour,
    saslUser,
    sender,
    clientIp,
    messages: 0,
    recipients: 0,
    bytes: 0,
    sent: 0,
    deferred: 0,
    bounced: 0,
    reputation: 0,
    spam: 0,
    unknown: 0,
  };
}

export interface TriageFacts {
  warnings: WarningFact[];
  sessions: SessionFact[];
  senders: SenderFact[];
}

export const emptyTriageFacts = (): TriageFacts => ({ warnings: [], sessions: [], senders: [] });

/** A warning shape over a range. */
export interface WarningGroupRow {
  severity: 'warning' | 'fatal' | 'panic';
  topic: string;
  text: string;
  example: string;
  count: number;
  first: number;
  last: number;
}

export interface SessionCountRow {
  event: SessionFactEvent;
  key: string;
  count: number;
}

/** One submitter over a range: a SASL user, or a sender address where there is none. */
export interface SenderRow extends SenderCounts {
  saslUser: string | null;
  /** The sender address (for a SASL user, the one it used most). */
  sender: string;
  clientIps: string[];
}

/** How senders are grouped: per SASL user (else sender address), per sender domain, or per client IP. */
export type SenderGrouping = 'submitter' | 'domain' | 'ip';

/** A range of hours and the host filter: both stores keep each host's facts apart and answer one host's or all. */
export type TriageRange = TimeRange & { host?: string | null };

/** What a store answers about triage facts, beside StoreReader. */
export interface TriageReader {
  /** Warning shapes over the range, most frequent first. */
  warningGroups(range: TriageRange, limit: number): Promise<WarningGroupRow[]>;
  /** Session counts per event over the range. */
  sessionTotals(range: TriageRange): Promise<Partial<Record<SessionFactEvent, number>>>;
  /** The keys (IPs, logins, protocols, domains) of one event with the most counts. */
  sessionTop(range: TriageRange, event: SessionFactEvent, limit: number): Promise<SessionCountRow[]>;
  /** Submitters (SASL user, else sender), sender domains or client IPs by messages. */
  senderTotals(range: TriageRange, grouping: SenderGrouping, limit: number): Promise<SenderRow[]>;
}
