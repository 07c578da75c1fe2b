/** The triage facts of recent batches (warnings, sessions, submitters), kept for the triage alert rules. */

import type { SenderFact, TriageFacts, WarningFact } from '../../db/store/triage.js';

interface Entry {
  at: number;
  facts: TriageFacts;
}

/** One submitter summed over a window: its key is its SASL user, else its sender address. */
export interface SubmitterTally {
  saslUser: string | null;
  sender: string;
  clientIps: Set<string>;
  messages: number;
  sent: number;
  bounced: number;
  deferred: number;
  reputation: number;
  spam: number;
  unknown: number;
  examples: { recipient: string; diagnostic: string }[];
}

export interface TriageWindow {
  add(at: number, facts: TriageFacts): void;
  trim(before: number): void;
  warnings(from: number, to: number): WarningFact[];
  /** Submitters over [from, to), by SASL user else sender. */
  submitters(from: number, to: number): Map<string, SubmitterTally>;
  /** TLS and plain remote deliveries per recipient domain over [from, to). */
  tlsByDomain(from: number, to: number): Map<string, { tls: number; plain: number }>;
}

const submitterKey = (s: Pick<SenderFact, 'saslUser' | 'sender'>): string =>
  s.saslUser !== '' ? `u:${s.saslUser}` : `s:${s.sender}`;

export function createTriageWindow(): TriageWindow {
  let entries: Entry[] = [];
  const within = (from: number, to: number) => entries.filter((e) => e.at >= from && e.at < to);
  return {
    add(at, facts) {
      if (facts.warnings.length + facts.sessions.length + facts.senders.length > 0)
        entries.push({ at, facts });
    },
    trim(before) {
      if (entries.length > 0 && (entries[0]?.at ?? before) < before)
        entries = entries.filter((e) => e.at >= before);
    },
    warnings: (from, to) => within(from, to).flatMap((e) => e.facts.warnings),
    submitters(from, to) {
      const out = new Map<string, SubmitterTally>();
      for (const e of within(from, to)) {
        for (const s of e.facts.senders) {
          const k = submitterKey(s);
          let t = out.get(k);
          if (!t) {
            t = {
              saslUser: s.saslUser === '' ? null : s.saslUser,
              sender: s.sender,
              clientIps: new Set(),
              messages: 0,
              sent: 0,
              bounced: 0,
              deferred: 0,
              reputation: 0,
              spam: 0,
              unknown: 0,
              examples: [],
            };
            out.set(k, t);
          }
          if (s.clientIp !== '') t.clientIps.add(s.clientIp);
          t.messages += s.messages;
          t.sent += s.sent;
          t.bounced += s.bounced;
          t.deferred += s.deferred;
          t.reputation += s.reputation;
          t.spam += s.spam;
          t.unknown += s.unknown;
          for (const x of s.examples ?? []) if (t.examples.length < 5) t.examples.push(x);
        }
      }
      return out;
    },
    tlsByDomain(from, to) {
      const out = new Map<string, { tls: number; plain: number }>();
      for (const e of within(from, to)) {
        for (const s of e.facts.sessions) {
          if (s.event !== 'tls-domain' && s.event !== 'plain-domain') continue;
          const d = out.get(s.key) ?? { tls: 0, plain: 0 };
          if (s.event === 'tls-domain') d.tls += s.count;
          else d.plain += s.count;
          out.set(s.key, d);
        }
      }
      return out;
    },
  };
}
