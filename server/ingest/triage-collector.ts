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
import { createKeyedFacts, type KeyedFacts } from '../../db/store/keyed-facts.js';

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

/** Keyed facts of each host apart: a log holds few hosts, and lines of one host come together. */
function createHostFacts<V>() {
  let byHost = new Map<string, KeyedFacts<V>>();
  let lastHost: string | null = null;
  let last: KeyedFacts<V> | undefined;
  return {
    of(host: string): KeyedFacts<V> {
      if (host === lastHost && last) return last;
      let facts = byHost.get(host);
      if (!facts) {
        facts = createKeyedFacts<V>();
        byHost.set(host, facts);
      }
      lastHost = host;
      last = facts;
      return facts;
    },
    take(): V[] {
      const out = [...byHost.values()].flatMap((f) => f.take());
      byHost = new Map();
      lastHost = null;
      last = undefined;
      return out;
    },
  };
}

export function createTriageCollector(): TriageCollector {
  let warnings = new Map<string, WarningFact>();
  const sessions = createHostFacts<SessionFact>();
  const senders = createHostFacts<SenderFact>();
  // What the lives learned that the stored row does not hold: the SASL login, and whether the message was counted.
  const logins = new WeakMap<MessageRow, string>();
  const counted = new WeakSet<MessageRow>();
  const openTls = new Map<string, OpenTls>();

  const count = (hour: number, host: string, event: SessionFactEvent, key: string, by = 1) => {
    const facts = sessions.of(host);
    const s = facts.find(hour, event, key, '');
    if (s) s.count += by;
    else facts.add(hour, event, key, '', { hour, host, event, key, count: by });
  };

  const senderOf = (
    hour: number,
    host: string,
    life: MessageRow | null | undefined,
    sender: string | null,
  ): SenderFact | null => {
    const saslUser = life ? (logins.get(life) ?? '') : '';
    const from = sender ?? life?.sender ?? '';
    // Notifications (the null sender) are this server's own bounces, not a submitter's mail.
    if (saslUser === '' && from === '') return null;
    const clientIp = life?.clientIp ?? '';
    const facts = senders.of(host);
    let s = facts.find(hour, saslUser, from, clientIp);
    if (!s) {
      s = { ...emptySenderFact(hour, saslUser, from, clientIp), host };
      facts.add(hour, saslUser, from, clientIp, s);
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
      const host = rec.host ?? '';
      const k = `${hour}|${host}|${severity}|${shape}`;
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
        warnings.set(k, {
          hour,
          host,
          severity,
          topic,
          shape,
          example: rec.text,
          count: 1,
          first: ts,
          last: ts,
        });
      }
    },
    session(rec, ts) {
      const hour = hourOf(ts);
      const host = rec.host ?? '';
      switch (rec.event) {
        case 'auth-failed':
          count(hour, host, 'auth-ip', rec.remoteIp ?? '');
          if (rec.saslUser !== null) count(hour, host, 'auth-user', rec.saslUser);
          return;
        case 'tls':
          // Postfix: the deliveries or the message of this connection come next from the same process.
          if (rec.mta === 'postfix')
            openTls.set(processKey(rec), { ip: rec.remoteIp, protocol: rec.tlsProtocol ?? '?' });
          return;
        case 'tls-failed':
          if (rec.direction === 'inbound') count(hour, host, 'tls-failed-in', rec.remoteIp ?? '');
          else count(hour, host, 'tls-failed-out', rec.remoteHost ?? rec.remoteIp ?? '');
          return;
        default:
          count(hour, host, rec.event, rec.remoteIp ?? '');
      }
    },
    message(rec, ts, life) {
      if (rec.saslUser !== null) logins.set(life, rec.saslUser);
      const hour = hourOf(ts);
      const host = rec.host ?? '';
      // A message from a client over SMTP: with TLS or without (Postfix smtpd client=, Exim <= with a host).
      if (rec.event === 'client' && rec.mta === 'postfix') {
        const key = processKey(rec);
        const tls = openTls.get(key);
        openTls.delete(key);
        count(hour, host, 'tls-in', tls !== undefined && tls.ip === rec.clientIp ? tls.protocol : '');
      } else if (rec.event === 'received' && rec.mta === 'exim' && rec.clientIp !== null) {
        count(hour, host, 'tls-in', rec.tlsProtocol ?? '');
      }
      if (rec.event !== 'received' || counted.has(life)) return;
      counted.add(life);
      // Volume as pflogsumm counts it: every message queued, the server's own notifications included.
      count(hour, host, 'received', '');
      count(hour, host, 'received-bytes', '', rec.size ?? 0);
      const s = senderOf(hour, host, life, rec.sender);
      if (!s) return;
      s.messages++;
      s.recipients += rec.nrcpt ?? 0;
      s.bytes += rec.size ?? 0;
    },
    attempt(row, rec) {
      const hour = hourOf(row.ts);
      const host = row.host;
      if (rec !== null && rec.relayIp !== null && !rec.localDelivery && rec.flow !== 'hop') {
        let protocol = rec.tlsProtocol ?? '';
        if (rec.mta === 'postfix') {
          const tls = openTls.get(processKey(rec));
          protocol = tls !== undefined && tls.ip === rec.relayIp ? tls.protocol : '';
        }
        count(hour, host, 'tls-out', protocol);
        if (rec.recipientDomain !== '')
          count(hour, host, protocol === '' ? 'plain-domain' : 'tls-domain', rec.recipientDomain);
      }
      // Delivered as pflogsumm counts it: each recipient delivered, with its message's size; a hand-over to a
      // content filter is not a delivery.
      if (attemptRollupOutcome(row.outcome, row.flags ?? 0) === 'sent') {
        count(hour, host, 'delivered', '');
        count(hour, host, 'delivered-bytes', '', row.message?.size ?? 0);
      }
      const s = senderOf(hour, host, row.message, row.sender);
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
