/** The typed records a log line becomes: the contract between the parsers and everything after them. */

export type Mta = 'postfix' | 'exim';

/** Outcome of one delivery attempt for one recipient, as stored and classified. */
export type Outcome = 'sent' | 'deferred' | 'bounced' | 'expired';

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

/** Where a delivery or an address probe went, and what the other side answered. */
interface ReplyFields {
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
}

/** What every delivery line tells, whatever its outcome. */
interface DeliveryFields extends RecordBase, ReplyFields {
  kind: 'delivery';
  /** Postfix queue id or Exim message id. */
  queueId: string;
  recipient: string;
  /** Postfix `orig_to=`, Exim `<original>` after a redirection or forward; for an Exim pipe or file, the command or path. */
  origRecipient: string | null;
  /** Part after the last @, lower-cased; '' when the recipient has no @. */
  recipientDomain: string;
  /** Postfix delivery agent (smtp, lmtp, local, virtual, pipe, error, discard...); Exim transport (`T=`), else router. */
  transport: string | null;
  /** Exim router (`R=`); null for Postfix. */
  router: string | null;
  /** Sender when the line itself names it (Exim `F=`); otherwise filled by correlation. */
  sender: string | null;
  /**
   * A sent line that put the message into this server's own mail store: Postfix local, virtual or lmtp, or a
   * relay on a unix socket; Exim a local transport (appendfile, maildir, lmtp, pipe, autoreply: a transport
   * and no remote host). Never on a hop. The recipient's domain is then one of ours (design, Flow).
   */
  localDelivery: boolean;
  /** The queue id the receiving side gave (`queued as X`, Exim's `id=X`), from a sent line's reply. */
  queuedAs: string | null;
  /** Exim `X=`: the TLS protocol of the connection (`TLSv1.3`); absent when the line does not say. */
  tlsProtocol?: string;
}

/** A delivery attempt for one recipient (Postfix `status=sent|deferred|bounced`, Exim `=>`, `->`, `>>`, `**`, `==`). */
export interface DeliveryRecord extends DeliveryFields {
  outcome: Outcome;
  /**
   * `hop` where the line alone shows a hand-over to a local service that queues the message again (a relay on
   * a loopback address or `localhost` whose reply names the new queue id, in `queuedAs`): not a delivery; the
   * message's life goes on under the new id. Absent otherwise (the flow is decided from the whole log).
   */
  flow?: 'hop';
}

/** An Exim retry wait (`retry time not reached` and its variants): shown in a trace, never an attempt. */
export interface WaitRecord extends DeliveryFields {
  outcome: 'wait';
}

/**
 * A discarded recipient: Exim `=> :blackhole:`, `=> discarded`, `=> blackhole (ACL discarded recipients)`;
 * Postfix discard(8) deliveries and `discard`/`milter-discard` actions of smtpd and cleanup (which may come
 * before the queue file exists: queue id null). The client fields are those of an smtpd or cleanup action.
 */
export interface DiscardRecord extends Omit<DeliveryFields, 'queueId'> {
  outcome: 'discarded';
  queueId: string | null;
  clientHost: string | null;
  clientIp: string | null;
  helo: string | null;
}

/** What a policy action line tells (smtpd, postscreen, cleanup, milter, Exim ACL). */
interface PolicyFields extends RecordBase {
  /** Queue id when the action happened after the queue file existed, else null (NOQUEUE). */
  queueId: string | null;
  /** reject, milter-reject, proxy-reject, temporarily-rejected...; for notes reject_warning, hold, warn... */
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

/** This server refusing someone's mail: Postfix smtpd, postscreen, cleanup, milter and proxy rejects; Exim `rejected`. */
export interface RejectRecord extends PolicyFields {
  kind: 'reject';
}

/**
 * A policy action that refused nothing: Postfix `reject_warning` (a reject that `warn_if_reject` turned into a
 * note), `hold` and `milter-hold`, access-map `warn` and header/body-check `warning` actions.
 */
export interface NoteRecord extends PolicyFields {
  kind: 'note';
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
  /** SASL login of the client: Postfix smtpd `sasl_username=`, Exim `<=` `A=authenticator:id` (the id). */
  saslUser: string | null;
  /** SASL mechanism or Exim authenticator name (set whenever the client authenticated, also without a user). */
  saslMethod: string | null;
  /** Exim `<=` `P=` (smtp, esmtps, esmtpsa, local...). */
  protocol: string | null;
  /** Exim `<=` `X=`: the TLS protocol the client used (`TLSv1.3`); absent when the line does not say. */
  tlsProtocol?: string;
  /**
   * Postfix smtpd `orig_queue_id=` (with XFORWARD from a content filter): the queue id of the message this one
   * was re-injected from. `origClientHost`/`origClientIp` are `orig_client=`, the filter that handed it back.
   */
  origQueueId: string | null;
  origClientHost: string | null;
  origClientIp: string | null;
}

/** Postfix bounce daemon: a notification message created for an original message. */
export interface NotificationRecord extends RecordBase {
  kind: 'notification';
  queueId: string;
  notificationQueueId: string;
  /** e.g. 'sender non-delivery notification', 'sender delay notification'. */
  notificationType: string;
}

/** Postfix address verification (verify(8), `sendmail -bv`): `status=deliverable|undeliverable|undeliverable-but-not-cached`. */
export interface ProbeRecord extends RecordBase, ReplyFields {
  kind: 'probe';
  queueId: string;
  recipient: string;
  origRecipient: string | null;
  recipientDomain: string;
  status: 'deliverable' | 'undeliverable' | 'undeliverable-but-not-cached';
  transport: string;
}

/** Postfix verbose (`-v`, `debug_peer_list`) and TLS debug output: function-prefixed traces, SMTP dialogue, attribute exchanges. */
export interface DebugRecord extends RecordBase {
  kind: 'debug';
}

/** A warning, error, fatal error or panic the MTA wrote about itself or a client. */
export interface WarningRecord extends RecordBase {
  kind: 'warning';
  severity: 'warning' | 'error' | 'fatal' | 'panic';
  /** Queue id when the line names one (`QID: warning: ...`, `warning: QID: ...`, an Exim message id). */
  queueId: string | null;
  /** The text after the severity prefix (and the queue id). */
  text: string;
  /** The other party the text names (`unknown[192.0.2.1]: SASL LOGIN authentication failed`). */
  remoteHost: string | null;
  remoteIp: string | null;
}

/** What a connection-level line tells: a TLS session or a failed handshake, a failed SMTP AUTH, a postscreen verdict. */
export type SessionEvent =
  'tls' | 'tls-failed' | 'auth-failed' | 'pregreet' | 'dnsbl-rank' | 'hangup' | 'pipelining';

/**
 * A connection-level fact: Postfix `TLS connection established`, `SSL_accept error`, `SASL ... authentication
 * failed`, postscreen `PREGREET`, `DNSBL rank`, `HANGUP`, `COMMAND PIPELINING`; Exim `TLS error on connection`,
 * `authenticator failed`.
 */
export interface SessionRecord extends RecordBase {
  kind: 'session';
  event: SessionEvent;
  /** inbound: a client connected to this server (smtpd, postscreen, Exim `from`); outbound: this server connected. */
  direction: 'inbound' | 'outbound';
  remoteHost: string | null;
  remoteIp: string | null;
  /** tls: the protocol version as OpenSSL names it (`TLSv1.3`), and the cipher. */
  tlsProtocol: string | null;
  tlsCipher: string | null;
  /** auth-failed: the login tried (Postfix `sasl_username=`, Exim `set_id=`) and the mechanism or authenticator. */
  saslUser: string | null;
  saslMethod: string | null;
  /** dnsbl-rank: postscreen's combined score. */
  rank: number | null;
}

/** Understood and deliberately not recorded (connects, TLS notes, statistics...). */
export interface IgnoredRecord extends RecordBase {
  kind: 'ignored';
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
interface ForeignRecord {
  kind: 'foreign';
  ts: string | null;
  tsMs: number | null;
  host: string | null;
  program: string | null;
}

export type ParsedRecord =
  | DeliveryRecord
  | WaitRecord
  | DiscardRecord
  | RejectRecord
  | NoteRecord
  | MessageRecord
  | NotificationRecord
  | ProbeRecord
  | DebugRecord
  | WarningRecord
  | SessionRecord
  | IgnoredRecord
  | UnparsedRecord
  | ForeignRecord;

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
   * Ignored lines (connections, TLS, notes) come back bare, without the queue id, party and reply they name:
   * ingest only counts them. Off by default (`bouncewatch parse` shows everything).
   */
  brief?: boolean;
}
