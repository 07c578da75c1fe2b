/** The typed records a log line becomes: the contract between the parsers and everything after them. */

export type Mta = 'postfix' | 'exim';

/** Outcome of one delivery attempt for one recipient. */
export type Outcome = 'sent' | 'deferred' | 'bounced' | 'expired';

/** Where in the SMTP dialogue a reply was given. */
export type SmtpStage = 'connect' | 'helo' | 'mail' | 'rcpt' | 'data' | 'end-of-data';

/** The syslog (or mainlog / journald) wrapper around a message. */
export interface Envelope {
  /** ISO 8601 with offset, or null when the line carried no usable time. */
  ts: string | null;
  /** Unix milliseconds of ts (null with it). */
  tsMs: number | null;
  host: string | null;
  /** Full program name as logged: `postfix/smtp`, `postfix-out/smtp`, `postfix/submission/smtpd`, `exim`. */
  program: string | null;
  pid: number | null;
  /** The message after the envelope. */
  message: string;
}

/** The parts of a remote or local reply text. */
export interface Reply {
  replyCode: number | null;
  /** Enhanced status found in the reply text (e.g. 5.7.1). */
  enhancedStatus: string | null;
  stage: SmtpStage | null;
  /** Host and IP of the server that gave the reply, when the text names it. */
  remoteHost: string | null;
  remoteIp: string | null;
  /** The reply text as a person reads it (multi-line replies joined, repeated code prefixes removed). */
  diagnostic: string;
}

/** What every record takes from its line's envelope. */
export interface RecordBase {
  ts: string | null;
  tsMs: number | null;
  host: string | null;
  mta: Mta;
  program: string;
  pid: number | null;
}

export interface DeliveryRecord extends RecordBase {
  kind: 'delivery';
  /** Postfix queue id or Exim message id. */
  queueId: string;
  recipient: string;
  origRecipient: string | null;
  /** Part after the last @, lower-cased; '' when the recipient has no @. */
  recipientDomain: string;
  outcome: Outcome;
  relayHost: string | null;
  relayIp: string | null;
  port: number | null;
  stage: SmtpStage | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  /** Postfix `dsn=` value, or null. */
  dsn: string | null;
  diagnostic: string;
  /** Total delay in seconds, when logged. */
  delay: number | null;
  /** Exim router / transport, Postfix delivery agent (smtp, lmtp, local, ...). */
  transport: string | null;
  /** Sender when the line itself names it (Exim `F=`); otherwise filled by correlation. */
  sender: string | null;
}

export interface RejectRecord extends RecordBase {
  kind: 'reject';
  /** Queue id when the reject happened after the queue file existed, else null (NOQUEUE). */
  queueId: string | null;
  /** reject, reject_warning, hold, discard, milter-reject, postscreen, ... */
  action: string;
  clientHost: string | null;
  clientIp: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  recipientDomain: string | null;
  stage: SmtpStage | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  diagnostic: string;
}

/** What a message-level line tells about a queued message (qmgr, cleanup, smtpd client=, pickup, Exim <=, Completed, removed, frozen). */
export interface MessageRecord extends RecordBase {
  kind: 'message';
  queueId: string;
  event:
    | 'received' // Exim <=, Postfix qmgr from= (queue active)
    | 'client' // Postfix smtpd client=
    | 'message-id' // Postfix cleanup message-id=
    | 'pickup'
    | 'expired' // Postfix qmgr status=expired / force-expired
    | 'removed' // Postfix qmgr removed
    | 'completed' // Exim Completed
    | 'frozen'
    | 'other';
  sender: string | null;
  size: number | null;
  nrcpt: number | null;
  messageId: string | null;
  clientHost: string | null;
  clientIp: string | null;
  /** Exim: id of the message a locally generated bounce reports (R=). */
  bounceOf: string | null;
  /** For expired: 'expired' or 'force-expired'. */
  status: string | null;
}

/** Postfix bounce daemon: a notification message created for an original message. */
export interface NotificationRecord extends RecordBase {
  kind: 'notification';
  queueId: string;
  notificationQueueId: string;
  /** e.g. 'sender non-delivery notification', 'sender delay notification'. */
  notificationType: string;
}

/** Understood and deliberately not recorded (connects, TLS notes, statistics...). */
export interface IgnoredRecord extends RecordBase {
  kind: 'ignored';
  /** Warnings, fatal errors and panics are counted by severity. */
  severity: 'info' | 'warning' | 'error' | 'fatal' | 'panic';
  /** Queue id, when the line names one (per-attempt notes, postsuper, cleanup header notes). */
  queueId?: string;
  /** The other party the note is about (`host x[ip] said:`, `connect to x[ip]:25`, TLS notes, client warnings). */
  remoteHost?: string;
  remoteIp?: string;
  /** Reply code and enhanced status of a per-attempt reply (`host x[ip] said: 450 4.7.1 ...`). */
  replyCode?: number;
  enhancedStatus?: string;
  /** Envelope named by header/body-check notes, filter actions and proxy-accept lines. */
  sender?: string;
  recipient?: string;
}

/** From Postfix or Exim, but not understood. */
export interface UnparsedRecord {
  kind: 'unparsed';
  ts: string | null;
  tsMs: number | null;
  host: string | null;
  mta: Mta | null;
  program: string | null;
  reason: string;
  line: string;
}

/** A line of another program (dovecot, opendkim, cron...). */
export interface ForeignRecord {
  kind: 'foreign';
  ts: string | null;
  tsMs: number | null;
  host: string | null;
  program: string | null;
}

export type ParsedRecord =
  | DeliveryRecord
  | RejectRecord
  | MessageRecord
  | NotificationRecord
  | IgnoredRecord
  | UnparsedRecord
  | ForeignRecord;

export type RecordKind = ParsedRecord['kind'];

/** What the caller tells a parser about the line's context. */
export interface ParseContext {
  /**
   * Reference time (unix ms) for lines without a year: the parser picks the year that puts the
   * line closest before (or at most a day after) the reference. Usually the file's mtime or now.
   */
  referenceMs: number;
  /** Force the year of yearless timestamps (--year). */
  year?: number;
  /** Offset in minutes east of UTC used for timestamps without a zone (default: the process zone at that time). */
  utcOffsetMinutes?: number;
  /**
   * Ignored lines (connections, TLS, notes) come back with their severity only, without the queue id, party
   * and reply they name: ingest only counts them. Off by default (`bouncewatch parse` shows everything).
   */
  brief?: boolean;
}
