/** Builders for synthetic event streams, a fake clock and a capturing logger, shared by the ops tests. */

import { Writable } from 'node:stream';
import type { AttemptRow, RejectRow } from '../../../db/store/stored-rows.js';
import { parseConfig, type Config } from '../../../server/config.js';
import type { StoredBatch } from '../../../server/events.js';
import { createLogger, type Logger } from '../../../server/log.js';
import type { AlertNotification } from '../../../server/alerts/types.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** A fixed Monday noon, so tests never depend on the real clock. */
export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

export interface FakeClock {
  now: () => number;
  set(t: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let t = start;
  return {
    now: () => t,
    set: (v) => (t = v),
    advance: (ms) => (t += ms),
  };
}

let seq = 0;

export function attempt(over: Partial<AttemptRow> & { ts: number }): AttemptRow {
  seq++;
  const outcome = over.outcome ?? 'sent';
  const cls = outcome === 'sent' ? 'success' : outcome === 'deferred' ? 'temporary' : 'permanent';
  const domain = over.recipientDomain ?? 'example.com';
  return {
    host: 'mx1',
    mta: 'postfix',
    program: 'postfix/smtp',
    queueId: `Q${seq.toString(16).toUpperCase()}`,
    recipient: `user${seq}@${domain}`,
    origRecipient: null,
    recipientDomain: domain,
    sender: 'news@our.example',
    senderDomain: 'our.example',
    outcome,
    relayHost: null,
    relayIp: null,
    port: 25,
    stage: null,
    replyCode: outcome === 'sent' ? 250 : outcome === 'deferred' ? 451 : 550,
    enhancedStatus: null,
    dsn: outcome === 'sent' ? '2.0.0' : outcome === 'deferred' ? '4.0.0' : '5.0.0',
    diagnostic: outcome === 'sent' ? '250 2.0.0 Ok: queued' : `${outcome} reply`,
    delay: 1,
    transport: 'smtp',
    class: cls,
    cause: outcome === 'sent' ? null : outcome === 'expired' ? 'expired' : 'unclassified',
    provider: null,
    blocklist: null,
    hardBounce: false,
    classConflict: null,
    messageId: null,
    ...over,
  };
}

export function reject(over: Partial<RejectRow> & { ts: number }): RejectRow {
  return {
    host: 'mx1',
    mta: 'postfix',
    program: 'postfix/smtpd',
    queueId: null,
    action: 'reject',
    clientHost: 'unknown',
    clientIp: '192.0.2.7',
    helo: 'spammer',
    sender: 'x@spam.example',
    recipient: 'info@our.example',
    recipientDomain: 'our.example',
    stage: 'rcpt',
    replyCode: 554,
    enhancedStatus: '5.7.1',
    diagnostic: 'Relay access denied',
    class: 'permanent',
    cause: 'policy',
    provider: null,
    ...over,
  };
}

/** `n` copies of an attempt spread evenly over [from, to). */
export function spread(n: number, from: number, to: number, over: Partial<AttemptRow> = {}): AttemptRow[] {
  return Array.from({ length: n }, (_, i) =>
    attempt({ ...over, ts: from + Math.floor(((to - from) * i) / n) }),
  );
}

export function batchOf(attempts: AttemptRow[], rejects: RejectRow[] = [], linesRead?: number): StoredBatch {
  const times = [...attempts.map((a) => a.ts), ...rejects.map((r) => r.ts)];
  return {
    attempts,
    rejects,
    linesRead: linesRead ?? attempts.length + rejects.length,
    unparsed: 0,
    newestTs: times.length > 0 ? Math.max(...times) : null,
  };
}

export function testConfig(raw: Record<string, unknown> = {}): Config {
  return parseConfig(raw);
}

/** A logger whose JSON lines are kept for assertions. */
export function capturingLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const log = createLogger({ level: 'debug', destination });
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export function recordingNotify(): {
  notify: (n: AlertNotification) => Promise<void>;
  sent: AlertNotification[];
} {
  const sent: AlertNotification[] = [];
  return {
    sent,
    notify: (n) => {
      sent.push(n);
      return Promise.resolve();
    },
  };
}
