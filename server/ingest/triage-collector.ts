/**
 * Sums what triage needs from the records as they pass: warnings by shape, connection-level counts (SASL
 * failures, postscreen, TLS) and what each submitter sent and what became of it, per hour, for the next batch.
 */

import { attemptRollupOutcome, type AttemptRow, type MessageRow } from '../../db/store/stored-rows.js';
import {
  emptySenderFact,
  emptyTriageFacts,
  type SenderFact,
  type SessionFact,
  type SessionFactEvent,
  type TriageFacts,
  type WarningFact,
} from '../../db/store/triage.js';
import type { DeliveryRecord, MessageRecord, SessionRecord, WarningRecord } from '../../parsers/types.js';
import { warningShape, warningTopic } from '../mta/warning-shapes.js';
import { createKeyedFacts } from '../../db/store/keyed-facts.js';

const HOUR = 3_600_000;
const hourOf = (ts: number) => ts - (ts % HOUR);

/** Causes that count as a reputation or a spam refusal, and an unknown recipient, for the senders' rates. */
const REPUTATION_CAUSES = new Set(['reputation-blocklist', 'reverse-dns', 'rate-limited']);
const SPAM_CAUSES = new Set(['spam-content']);
const UNKNOWN_CAUSES = new Set(['recipient-unknown']);

/** Postfix logs a TLS session on its own line before the deliveries of that connection, by the same process. */
interface OpenTls {
  ip: string | null;
  protocol: string;
}

export interface TriageCollector {
  warning(rec: WarningRecord, ts: number): void;
  session(rec: SessionRecord, ts: number): void;
  /** A message-level line, after correlation applied it to its life. */
  message(rec: MessageRecord, ts: number, life: MessageRow): void;
  attempt(row: AttemptRow, rec: DeliveryRecord | null): void;
  take(): TriageFacts;
}

export function createTriageCollector(): TriageCollector {
  let warnings = new Map<string, WarningFact>();
  const sessions = createKeyedFacts<SessionFact>();
  const senders = createKeyedFacts<SenderFact>();
  // What the lives learned that the stored row does not hold: the SASL login, and whether the message was counted.
  const logins = new WeakMap<MessageRow, string>();
  const counted = new WeakSet<MessageRow>();
  const openTls = new Map<string, OpenTls>();

  const count = (hour: number, event: SessionFactEvent, key: string, by = 1) => {
    const s = sessions.find(hour, event, key, '');
    if (s) s.count += by;
    else sessions.add(hour, event, key, '', { hour, event, key, count: by });
  };

  const senderOf = (
    hour: number,
    life: MessageRow | null | undefined,
    sender: string | null,
  ): SenderFact | null => {
    const saslUser = life ? (logins.get(life) ?? '') : '';
    const from = sender ?? life?.sender ?? '';
    // Notifications (the null sender) are this server's own bounces, not a submitter's mail.
    if (saslUser === '' && from === '') return null;
    const clientIp = life?.clientIp ?? '';
    let s = senders.find(hour, saslUser, from, clientIp);
    if (!s) {
      s = emptySenderFact(hour, saslUser, from, clientIp);
      senders.add(hour, saslUser, from, clientIp, s);
    }
    return s;
  };

  const processKey = (rec: { host: string | null; program: string; pid: number | null }) =>
    `${rec.host ?? ''}|${rec.program}|${rec.pid ?? ''}`;

  return {
    warning(rec, ts) {
      const severity = rec.severity === 'error' ? 'warning' : rec.severity;
      const shape = warningShape(rec.text);
      const hour = hourOf(ts);
      const k = `${hour}|${severity}|${shape}`;
      const w = warnings.get(k);
      if (w) {
        w.count++;
        if (ts < w.first) w.first = ts;
        if (ts >= w.last) {
          w.last = ts;
          w.example = rec.text;
        }
      } else {
        const topic = warningTopic(rec.text);
        warnings.set(k, { hour, severity, topic, shape, example: rec.text, count: 1, first: ts, last: ts });
      }
    },
    session(rec, ts) {
      const hour = hourOf(ts);
      switch (rec.event) {
        case 'auth-failed':
          count(hour, 'auth-ip', rec.remoteIp ?? '');
          if (rec.saslUser !== null) count(hour, 'auth-user', rec.saslUser);
          return;
        case 'tls':
          // Postfix: the deliveries or the message of this connection come next from the same process.
          if (rec.mta === 'postfix')
            openTls.set(processKey(rec), { ip: rec.remoteIp, protocol: rec.tlsProtocol ?? '?' });
          return;
        case 'tls-failed':
          if (rec.direction === 'inbound') count(hour, 'tls-failed-in', rec.remoteIp ?? '');
          else count(hour, 'tls-failed-out', rec.remoteHost ?? rec.remoteIp ?? '');
          return;
        default:
          count(hour, rec.event, rec.remoteIp ?? '');
      }
    },
    message(rec, ts, life) {
      if (rec.saslUser !== null) logins.set(life, rec.saslUser);
      const hour = hourOf(ts);
      // A message from a client over SMTP: with TLS or without (Postfix smtpd client=, Exim <= with a host).
      if (rec.event === 'client' && rec.mta === 'postfix') {
        const key = processKey(rec);
        const tls = openTls.get(key);
        openTls.delete(key);
        count(hour, 'tls-in', tls !== undefined && tls.ip === rec.clientIp ? tls.protocol : '');
      } else if (rec.event === 'received' && rec.mta === 'exim' && rec.clientIp !== null) {
        count(hour, 'tls-in', rec.tlsProtocol ?? '');
      }
      if (rec.event !== 'received' || counted.has(life)) return;
      counted.add(life);
      // Volume as pflogsumm counts it: every message queued, the server's own notifications included.
      count(hour, 'received', '');
      count(hour, 'received-bytes', '', rec.size ?? 0);
      const s = senderOf(hour, life, rec.sender);
      if (!s) return;
      s.messages++;
      s.recipients += rec.nrcpt ?? 0;
      s.bytes += rec.size ?? 0;
    },
    attempt(row, rec) {
      const hour = hourOf(row.ts);
      if (rec !== null && rec.relayIp !== null && !rec.localDelivery && rec.flow !== 'hop') {
        let protocol = rec.tlsProtocol ?? '';
        if (rec.mta === 'postfix') {
          const tls = openTls.get(processKey(rec));
          protocol = tls !== undefined && tls.ip === rec.relayIp ? tls.protocol : '';
        }
        count(hour, 'tls-out', protocol);
        if (rec.recipientDomain !== '')
          count(hour, protocol === '' ? 'plain-domain' : 'tls-domain', rec.recipientDomain);
      }
      // Delivered as pflogsumm counts it: each recipient delivered, with its message's size; a hand-over to a
      // content filter is not a delivery.
      if (attemptRollupOutcome(row.outcome, row.flags ?? 0) === 'sent') {
        count(hour, 'delivered', '');
        count(hour, 'delivered-bytes', '', row.message?.size ?? 0);
      }
      const s = senderOf(hour, row.message, row.sender);
      if (!s) return;
      if (row.outcome === 'sent') s.sent++;
      else if (row.outcome === 'deferred') s.deferred++;
      else s.bounced++;
      if (row.outcome === 'sent' || row.cause === null) return;
      if (row.outcome !== 'deferred') {
        s.examples ??= [];
        if (s.examples.length < 3) s.examples.push({ recipient: row.recipient, diagnostic: row.diagnostic });
      }
      if (REPUTATION_CAUSES.has(row.cause)) s.reputation++;
      else if (SPAM_CAUSES.has(row.cause)) s.spam++;
      else if (UNKNOWN_CAUSES.has(row.cause)) s.unknown++;
    },
    take() {
      const facts = emptyTriageFacts();
      facts.warnings = [...warnings.values()];
      facts.sessions = sessions.take();
      facts.senders = senders.take();
      warnings = new Map();
      // A TLS session whose connection logged nothing after it for a whole batch is over.
      if (openTls.size > 10_000) openTls.clear();
      return facts;
    },
  };
}

/** The facts of two batches as one (a batch the store did not take goes with the next). */
export function mergeTriageFacts(earlier: TriageFacts, next: TriageFacts | undefined): TriageFacts {
  if (!next) return earlier;
  return {
    warnings: earlier.warnings.concat(next.warnings),
    sessions: earlier.sessions.concat(next.sessions),
    senders: earlier.senders.concat(next.senders),
  };
}
