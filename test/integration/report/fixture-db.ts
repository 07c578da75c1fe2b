/** A fixture database for report tests: two weeks (2026-W46, 2026-W47) of rows written through the batch writer. */

import type { MessageRow } from '../../../db/store/stored-rows.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import type { Report } from '../../../server/http/contract/report.js';
import type { ReportRange } from '../../../server/report/week.js';
import { classifierKnowledge } from '../../../server/services/knowledge.js';
import { buildReport, type BuildOptions } from '../../../server/services/report-model.js';
import type { AttemptRow, RejectRow } from '../../../db/store/stored-rows.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import {
  emptySenderFact,
  emptyTriageFacts,
  type SenderFact,
  type SessionFact,
  type TriageFacts,
  type WarningFact,
} from '../../../db/store/triage.js';

export const W46_START = Date.parse('2026-11-09T00:00:00Z');
export const W47_START = Date.parse('2026-11-16T00:00:00Z');
export const W48_START = Date.parse('2026-11-23T00:00:00Z');
/** "Now" for the fixture: Saturday of W48, so the default week is W47. */
export const FIXTURE_NOW = Date.parse('2026-11-28T09:00:00Z');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Failure = Pick<
  AttemptRow,
  'outcome' | 'replyCode' | 'enhancedStatus' | 'diagnostic' | 'class' | 'cause' | 'hardBounce'
>;

const SENT: Failure = {
  outcome: 'sent',
  replyCode: 250,
  enhancedStatus: '2.0.0',
  diagnostic: '250 2.0.0 OK queued',
  class: 'success',
  cause: null,
  hardBounce: false,
};

export const UNKNOWN: Failure = {
  outcome: 'bounced',
  replyCode: 550,
  enhancedStatus: '5.1.1',
  diagnostic:
    "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos",
  class: 'permanent',
  cause: 'recipient-unknown',
  hardBounce: true,
};

const GREYLIST: Failure = {
  outcome: 'deferred',
  replyCode: 450,
  enhancedStatus: '4.2.0',
  diagnostic: '450 4.2.0 <rcpt>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/',
  class: 'temporary',
  cause: 'greylisted',
  hardBounce: false,
};

const BLOCKED: Failure = {
  outcome: 'deferred',
  replyCode: 451,
  enhancedStatus: '4.7.650',
  diagnostic:
    '451 4.7.650 The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)',
  class: 'temporary',
  cause: 'reputation-blocklist',
  hardBounce: false,
};

const BLOCKED_HARD: Failure = {
  outcome: 'bounced',
  replyCode: 550,
  enhancedStatus: '5.7.1',
  diagnostic:
    '550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.9 (AS3130). <script>alert("x")</script>',
  class: 'permanent',
  cause: 'reputation-blocklist',
  hardBounce: false,
};

const RATE: Failure = {
  outcome: 'deferred',
  replyCode: 421,
  enhancedStatus: '4.7.0',
  diagnostic:
    '421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints',
  class: 'temporary',
  cause: 'rate-limited',
  hardBounce: false,
};

const NO_DOMAIN: Failure = {
  outcome: 'bounced',
  replyCode: null,
  enhancedStatus: '5.4.4',
  diagnostic: 'Host or domain name not found. Name service error for name=gmial.com type=A: Host not found',
  class: 'permanent',
  cause: 'domain-invalid',
  hardBounce: true,
};

const TIMEOUT: Failure = {
  outcome: 'deferred',
  replyCode: null,
  enhancedStatus: '4.4.1',
  diagnostic: 'connect to mx.tiny.example[198.51.100.7]:25: Connection timed out',
  class: 'temporary',
  cause: 'network',
  hardBounce: false,
};

const PROVIDERS: Record<string, { provider: string | null; relay: string }> = {
  'gmail.com': { provider: 'google', relay: 'gmail-smtp-in.l.google.com' },
  'outlook.com': { provider: 'microsoft', relay: 'outlook-com.olc.protection.outlook.com' },
  'yahoo.com': { provider: 'yahoo', relay: 'mta7.am0.yahoodns.net' },
  'example.net': { provider: null, relay: 'mx.example.net' },
  'tiny.example': { provider: null, relay: 'mx.tiny.example' },
  'gmial.com': { provider: null, relay: 'none' },
};

export interface Fixture {
  attempts: AttemptRow[];
  rejects: RejectRow[];
}

let queue = 0;

export function attempt(
  ts: number,
  recipient: string,
  f: Failure,
  extra: Partial<AttemptRow> = {},
): AttemptRow {
  const domain = recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase();
  const p = PROVIDERS[domain] ?? { provider: null, relay: `mx.${domain}` };
  queue += 1;
  return {
    ts,
    host: 'mail1',
    mta: 'postfix',
    program: 'postfix/smtp',
    queueId: `4F${String(queue).padStart(8, '0')}`,
    recipient,
    origRecipient: null,
    recipientDomain: domain,
    sender: 'news@shop.example.org',
    senderDomain: 'shop.example.org',
    relayHost: p.relay,
    relayIp: '192.0.2.10',
    port: 25,
    stage: f.outcome === 'sent' ? null : 'rcpt',
    dsn: f.enhancedStatus,
    delay: 1.2,
    transport: 'smtp',
    provider: p.provider,
    blocklist: null,
    classConflict: null,
    messageId: null,
    ...f,
    ...extra,
  };
}

function reject(ts: number, cause: string, diagnostic: string): RejectRow {
  return {
    ts,
    host: 'mail1',
    mta: 'postfix',
    program: 'postfix/smtpd',
    queueId: null,
    action: 'reject',
    clientHost: 'unknown',
    clientIp: '198.51.100.66',
    helo: 'bulk.example',
    sender: 'spam@bulk.example',
    recipient: 'sales@shop.example.org',
    recipientDomain: 'shop.example.org',
    stage: 'rcpt',
    replyCode: 554,
    enhancedStatus: '5.7.1',
    diagnostic,
    class: 'permanent',
    cause,
    provider: null,
  };
}

/** The fixture's rows; deterministic. */
function fixtureRows(): Fixture {
  queue = 0;
  const attempts: AttemptRow[] = [];
  const rejects: RejectRow[] = [];
  for (const [weekStart, week] of [
    [W46_START, 46],
    [W47_START, 47],
  ] as const) {
    for (let day = 0; day < 7; day++) {
      const t = weekStart + day * DAY + 8 * HOUR;
      // Steady traffic that all arrives.
      for (let i = 0; i < 12; i++) attempts.push(attempt(t + i * 600_000, `user${i}@gmail.com`, SENT));
      for (let i = 0; i < 6; i++) attempts.push(attempt(t + i * 700_000, `pat${i}@outlook.com`, SENT));
      for (let i = 0; i < 5; i++) attempts.push(attempt(t + i * 800_000, `kim${i}@yahoo.com`, SENT));
      for (let i = 0; i < 3; i++) attempts.push(attempt(t + i * 900_000, `lee${i}@example.net`, SENT));
      // Greylisting at example.net every day, then delivered.
      attempts.push(attempt(t + 2 * HOUR, `grey${day}@example.net`, GREYLIST));
      attempts.push(attempt(t + 3 * HOUR, `grey${day}@example.net`, SENT));
      // A dead Gmail address every other day.
      if (day % 2 === 0) attempts.push(attempt(t + 4 * HOUR, `gone${week}-${day}@gmail.com`, UNKNOWN));
      if (week === 47) {
        // Outlook starts blocking on IP reputation from Wednesday.
        if (day >= 2) {
          for (let i = 0; i < day; i++)
            attempts.push(attempt(t + 5 * HOUR + i * 60_000, `pat${i}@outlook.com`, BLOCKED));
          attempts.push(attempt(t + 6 * HOUR, `ceo${day}@outlook.com`, BLOCKED_HARD));
        }
        // Yahoo throttles on two days.
        if (day === 1 || day === 4) {
          for (let i = 0; i < 4; i++)
            attempts.push(attempt(t + 7 * HOUR + i * 60_000, `kim${i}@yahoo.com`, RATE));
        }
        // A new failing domain.
        if (day >= 3) attempts.push(attempt(t + 9 * HOUR, `info@tiny.example`, TIMEOUT));
      }
      if (week === 46 && day === 3) attempts.push(attempt(t + 9 * HOUR, `info@tiny.example`, SENT));
      rejects.push(
        reject(
          t + 10 * HOUR,
          'reputation-blocklist',
          'Service unavailable; Client host [198.51.100.66] blocked using zen.spamhaus.org',
        ),
      );
    }
  }
  // W47: a typo domain (hard, dead), and an address that bounced hard then was fixed (not suppressed).
  attempts.push(attempt(W47_START + 2 * DAY + 11 * HOUR, 'anna@gmial.com', NO_DOMAIN));
  attempts.push(attempt(W47_START + 3 * DAY + 11 * HOUR, 'Back@Gmail.com', UNKNOWN));
  attempts.push(attempt(W47_START + 4 * DAY + 11 * HOUR, 'Back@Gmail.com', SENT));
  // W47: one message to two Yahoo recipients expired on Saturday, and one whose recipients were unknown.
  const expiredAt = W47_START + 5 * DAY + 13 * HOUR;
  const expiry = { queueId: '9C1E22A0B3', program: 'postfix/qmgr', delay: null, transport: null };
  attempts.push(
    attempt(expiredAt, 'old1@yahoo.com', { ...RATE, outcome: 'expired', class: 'permanent' }, expiry),
  );
  attempts.push(
    attempt(expiredAt, 'old2@yahoo.com', { ...RATE, outcome: 'expired', class: 'permanent' }, expiry),
  );
  attempts.push(
    attempt(
      expiredAt + HOUR,
      '',
      {
        ...RATE,
        outcome: 'expired',
        class: 'permanent',
        cause: 'expired',
        diagnostic: '',
        replyCode: null,
        enhancedStatus: null,
      },
      { queueId: '7D2F11B0C9', program: 'postfix/qmgr', recipientDomain: '', dsn: null },
    ),
  );
  return { attempts, rejects };
}

/** Triage facts of W47 (and one warning of W46, outside the report): senders, warnings, SASL failures, TLS. */
function fixtureTriage(): TriageFacts {
  const facts = emptyTriageFacts();
  const tue = W47_START + DAY + 9 * HOUR;
  const sender = (over: Partial<SenderFact>): SenderFact => ({
    ...emptySenderFact(tue, '', 'news@shop.example.org', '192.0.2.20'),
    ...over,
  });
  facts.senders.push(
    sender({
      messages: 120,
      recipients: 180,
      bytes: 2_400_000,
      sent: 170,
      deferred: 6,
      bounced: 4,
      reputation: 3,
    }),
    sender({ hour: tue + DAY, messages: 30, recipients: 30, bytes: 600_000, sent: 30 }),
    sender({
      saslUser: 'web-form',
      sender: 'noreply@shop.example.org',
      clientIp: '192.0.2.21',
      messages: 400,
      recipients: 400,
      bytes: 1_200_000,
      sent: 150,
      bounced: 250,
      spam: 40,
      unknown: 200,
    }),
    sender({
      saslUser: 'web-form',
      sender: 'noreply@shop.example.org',
      clientIp: '192.0.2.22',
      messages: 10,
      recipients: 10,
      bytes: 30_000,
      sent: 10,
    }),
  );
  const warn = (
    hour: number,
    severity: WarningFact['severity'],
    topic: string,
    shape: string,
    example: string,
    count: number,
  ): WarningFact => ({
    hour,
    severity,
    topic,
    shape,
    example,
    count,
    first: hour + 60_000,
    last: hour + 50 * 60_000,
  });
  facts.warnings.push(
    warn(
      tue,
      'warning',
      'disk',
      'not enough free space in mail queue: <n> bytes < <n>*message size limit',
      'not enough free space in mail queue: 1048576 bytes < 1.5*message size limit',
      12,
    ),
    warn(
      tue + 2 * DAY,
      'fatal',
      'config',
      'open database <path>: No such file or directory',
      'open database /etc/postfix/transport.db: No such file or directory',
      1,
    ),
    warn(
      W46_START + HOUR,
      'warning',
      'dns',
      'hostname <host> does not resolve to address <ip>',
      'hostname a.example does not resolve to address 198.51.100.4',
      5,
    ),
  );
  const session = (event: SessionFact['event'], key: string, count: number) => ({
    hour: tue,
    event,
    key,
    count,
  });
  facts.sessions.push(
    session('auth-ip', '198.51.100.80', 40),
    session('auth-ip', '198.51.100.81', 3),
    session('auth-user', 'admin', 38),
    session('auth-user', 'info', 5),
    session('tls-in', 'TLSv1.3', 90),
    session('tls-in', '', 10),
    session('tls-out', 'TLSv1.3', 300),
    session('tls-out', 'TLSv1.2', 50),
    session('tls-out', '', 20),
    session('received', '', 560),
    session('received-bytes', '', 4_230_000),
    session('delivered', '', 360),
    session('delivered-bytes', '', 5_100_000),
  );
  return facts;
}

/** An in-memory database holding the fixture, its unparsed counters and samples. */
export function fixtureDatabase(file = ':memory:'): { db: Db; fixture: Fixture } {
  const db = openDatabase({ file });
  const fixture = fixtureRows();
  const batch = emptyBatch();
  batch.attempts.push(...fixture.attempts);
  batch.rejects.push(...fixture.rejects);
  batch.lineStats.set('read', 2400);
  batch.unparsedCounts.set('postfix/smtp', 3);
  batch.unparsedCounts.set('postfix/cleanup', 1);
  batch.unparsedSamples.push({
    program: 'postfix/smtp',
    shape: 'smtp:odd',
    reason: 'no recipient',
    line: 'Nov 18 10:00:00 mail1 postfix/smtp[1]: 4F: odd <b>line</b>',
    ts: W47_START + 2 * DAY + 10 * HOUR,
  });
  // The message lives of the expired messages, as correlation records them (the same events again).
  const expired = fixture.attempts.filter((a) => a.outcome === 'expired');
  const ids = [...new Set(expired.map((a) => a.queueId))];
  ids.forEach((queueId, i) => {
    const rows = expired.filter((a) => a.queueId === queueId);
    const ts = rows[0]!.ts;
    const life: MessageRow = {
      id: i + 1,
      host: 'mail1',
      mta: 'postfix',
      queueId,
      firstTs: ts - 5 * DAY,
      lastTs: ts,
      sender: 'news@shop.example.org',
      senderDomain: 'shop.example.org',
      size: 4096,
      nrcpt: rows.length,
      messageId: null,
      clientHost: null,
      clientIp: null,
      notificationOf: null,
      expiredAt: ts,
      closedAt: ts,
    };
    batch.messages?.push(life);
    // Each expired attempt names its life, as ingest records it.
    for (const r of rows) r.message = life;
  });
  batch.triage = fixtureTriage();
  createBatchWriter(db).write(batch);
  return { db, fixture };
}

/** The report of `range`, built over the store as the CLI and the API build it (classifier wording, UTC, fixture now). */
export function reportOf(db: Db, range: ReportRange, options: Partial<BuildOptions> = {}): Promise<Report> {
  const now = options.now ?? FIXTURE_NOW;
  const reader = createSqliteReader(db, { now: () => now });
  return buildReport(reader, range, {
    now,
    triage: reader,
    timeZone: 'UTC',
    knowledge: classifierKnowledge(),
    ...options,
  });
}
