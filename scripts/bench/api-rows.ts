/**
 * Generated dashboard rows: attempts, rejects and message lives over a time range, with a realistic mix (a few
 * big providers, a long tail of domains, the common causes with provider-style reply texts, one incident).
 * The API benchmark fills its database with them, and the HTTP and dashboard tests use them as fixtures.
 */

import type { MessageRow } from '../../db/store/stored-rows.js';
import type { AttemptRow, RejectRow } from '../../db/store/stored-rows.js';
import { buildReceivers, localPart, SYLLABLES } from '../../server/demo/domains.js';
import { createRng, createZipf, type Rng } from '../../server/demo/random.js';

interface Failure {
  outcome: AttemptRow['outcome'];
  class: AttemptRow['class'];
  cause: string;
  replyCode: number | null;
  status: string;
  weight: number;
  /** Reply text; {to} recipient, {dom} domain, {ip} our address, {id} a random id, {n} a number. */
  text: string;
  /** Only for this provider ('' = any). */
  provider?: string;
  stage: string | null;
}

const FAILURES: readonly Failure[] = [
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'recipient-unknown',
    replyCode: 550,
    status: '5.1.1',
    weight: 30,
    stage: 'rcpt',
    text: '550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'recipient-unknown',
    replyCode: 550,
    status: '5.1.1',
    weight: 30,
    stage: 'rcpt',
    provider: 'google',
    text: "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser {id} - gsmtp",
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'recipient-unknown',
    replyCode: 550,
    status: '5.5.0',
    weight: 20,
    stage: 'rcpt',
    provider: 'microsoft',
    text: '550 5.5.0 Requested action not taken: mailbox unavailable ({id}) [{host}]',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'mailbox-full',
    replyCode: 452,
    status: '4.2.2',
    weight: 8,
    stage: 'rcpt',
    text: '452 4.2.2 <{to}>: Mailbox is over quota, try again later',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'mailbox-full',
    replyCode: 552,
    status: '5.2.2',
    weight: 4,
    stage: 'rcpt',
    text: '552 5.2.2 <{to}>: Mailbox full and not accepting messages',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'greylisted',
    replyCode: 450,
    status: '4.2.0',
    weight: 10,
    stage: 'rcpt',
    text: '450 4.2.0 <{to}>: Recipient address rejected: Greylisted, please come back in {n} seconds',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'rate-limited',
    replyCode: 421,
    status: '4.7.28',
    weight: 12,
    stage: 'end-of-data',
    provider: 'google',
    text: '421 4.7.28 [{ip}] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. {id} - gsmtp',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'rate-limited',
    replyCode: 451,
    status: '4.7.500',
    weight: 12,
    stage: 'rcpt',
    provider: 'microsoft',
    text: '451 4.7.500 Server busy. Please try again later from [{ip}]. (S77719) [{host}]',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'rate-limited',
    replyCode: 421,
    status: '4.7.0',
    weight: 10,
    stage: 'connect',
    provider: 'yahoo',
    text: '421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'reputation-blocklist',
    replyCode: 554,
    status: '5.7.1',
    weight: 6,
    stage: 'rcpt',
    text: '554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'reputation-blocklist',
    replyCode: 550,
    status: '5.7.1',
    weight: 8,
    stage: 'rcpt',
    provider: 'microsoft',
    text: "550 5.7.1 Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). [{host}]",
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'authentication',
    replyCode: 550,
    status: '5.7.26',
    weight: 6,
    stage: 'end-of-data',
    provider: 'google',
    text: '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. {id} - gsmtp',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'policy',
    replyCode: 550,
    status: '5.7.1',
    weight: 5,
    stage: 'rcpt',
    text: '550 5.7.1 <{to}>: Message rejected due to local policy',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'spam-content',
    replyCode: 550,
    status: '5.7.1',
    weight: 4,
    stage: 'end-of-data',
    text: '550 5.7.1 Message {id} rejected as spam by content filter (score {n})',
  },
  {
    outcome: 'bounced',
    class: 'permanent',
    cause: 'domain-invalid',
    replyCode: null,
    status: '5.4.4',
    weight: 6,
    stage: null,
    text: 'Host or domain name not found. Name service error for name={dom} type=A: Host not found',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'network',
    replyCode: null,
    status: '4.4.1',
    weight: 8,
    stage: 'connect',
    text: 'connect to mx1.{dom}[{ip}]:25: Connection timed out',
  },
  {
    outcome: 'deferred',
    class: 'temporary',
    cause: 'tls',
    replyCode: null,
    status: '4.7.5',
    weight: 2,
    stage: 'connect',
    text: 'TLS is required, but was not offered by host mx1.{dom}[{ip}]',
  },
  {
    outcome: 'expired',
    class: 'permanent',
    cause: 'expired',
    replyCode: null,
    status: '4.4.1',
    weight: 2,
    stage: null,
    text: 'message expired after 5 days in the queue; last reply: connect to mx1.{dom}[{ip}]:25: Connection timed out',
  },
];

interface RejectKind {
  cause: string;
  class: RejectRow['class'];
  replyCode: number;
  status: string;
  weight: number;
  stage: string;
  text: string;
}

const REJECTS: readonly RejectKind[] = [
  {
    cause: 'reputation-blocklist',
    class: 'permanent',
    replyCode: 554,
    status: '5.7.1',
    weight: 40,
    stage: 'rcpt',
    text: '554 5.7.1 Service unavailable; Client host [{cip}] blocked using zen.spamhaus.org',
  },
  {
    cause: 'recipient-unknown',
    class: 'permanent',
    replyCode: 550,
    status: '5.1.1',
    weight: 30,
    stage: 'rcpt',
    text: '550 5.1.1 <{to}>: Recipient address rejected: User unknown in local recipient table',
  },
  {
    cause: 'reverse-dns',
    class: 'temporary',
    replyCode: 450,
    status: '4.7.1',
    weight: 20,
    stage: 'rcpt',
    text: '450 4.7.1 Client host rejected: cannot find your hostname, [{cip}]',
  },
  {
    cause: 'relay-denied',
    class: 'permanent',
    replyCode: 554,
    status: '5.7.1',
    weight: 10,
    stage: 'rcpt',
    text: '554 5.7.1 <{to}>: Relay access denied',
  },
];

interface Receiver {
  domain: string;
  provider: string | null;
  mx: string;
  /** Share of mail that fails for this domain. */
  trouble: number;
}

/** The same receiving world as the log generator: big providers first, then a long tail. */
function receivers(rng: Rng, count: number): Receiver[] {
  return buildReceivers(rng, count).map((r) => ({
    domain: r.domain,
    provider: r.provider === '' ? null : r.provider,
    mx: r.mx,
    trouble: r.trouble,
  }));
}

const pickWeighted = <T extends { weight: number }>(rng: Rng, items: readonly T[]): T => {
  let total = 0;
  for (const i of items) total += i.weight;
  let t = rng.next() * total;
  for (const i of items) if ((t -= i.weight) < 0) return i;
  return items[items.length - 1]!;
};

/** n upper-case hex digits, eight per random draw (the generator feeds 10 million rows: keep it cheap). */
const hex = (rng: Rng, n: number) => {
  let s = '';
  while (s.length < n)
    s += Math.floor(rng.next() * 0x100000000)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0');
  return s.slice(0, n);
};

export interface GenerateOptions {
  seed?: number;
  /** Delivery attempts to generate (rejects come on top, about 4% of that). */
  attempts: number;
  from: number;
  to: number;
  hosts?: readonly string[];
  domains?: number;
  /** A window in which one provider rate-limits us hard: the dashboard's "why since 14:00" story. */
  incident?: { from: number; to: number; provider: string } | null;
}

export interface GeneratedBatch {
  attempts: AttemptRow[];
  rejects: RejectRow[];
  /** The life of each message whose attempts are in the batch, with its id (1, 2, ... in order). */
  messages: MessageRow[];
}

/** Deterministic traffic as stored rows, in batches of about `batchSize` attempts, roughly in time order. */
export function* generateRows(options: GenerateOptions, batchSize = 5000): Generator<GeneratedBatch> {
  const rng = createRng(options.seed ?? 42);
  const recv = receivers(rng, options.domains ?? 300);
  const zipf = createZipf(recv.length, 1.1);
  const hosts = options.hosts ?? ['mx1.sender.example'];
  const span = options.to - options.from;
  const ourIp = '192.0.2.25';
  const byProvider = new Map<string | null, Failure[]>();
  for (const r of recv) {
    if (!byProvider.has(r.provider)) {
      byProvider.set(
        r.provider,
        FAILURES.filter((f) => !f.provider || f.provider === r.provider),
      );
    }
  }
  let batch: GeneratedBatch = { attempts: [], rejects: [], messages: [] };
  let made = 0;
  let msg = 0;
  while (made < options.attempts) {
    const ts0 = options.from + Math.floor((made / options.attempts) * span) + rng.int(1000);
    const r = recv[zipf(rng)]!;
    const host = hosts[rng.int(hosts.length)]!;
    const queueId = hex(rng, 10);
    const recipient = `${localPart(rng)}${rng.int(1000)}@${r.domain}`;
    const sender = `news${rng.int(5)}@sender.example`;
    const messageId = `<${hex(rng, 16).toLowerCase()}@sender.example>`;
    msg++;
    const inIncident =
      options.incident &&
      r.provider === options.incident.provider &&
      ts0 >= options.incident.from &&
      ts0 < options.incident.to;
    // Its life, as correlation stores it; ended below by its last attempt. No random draw: the traffic stays
    // what it was before lives were stored.
    const life: MessageRow = {
      id: msg,
      host,
      mta: 'postfix',
      queueId,
      firstTs: ts0,
      lastTs: ts0,
      sender,
      senderDomain: 'sender.example',
      size: 2000 + ((msg * 7919) % 60000),
      nrcpt: 1,
      messageId,
      clientHost: 'app1.sender.example',
      clientIp: '192.0.2.10',
      notificationOf: null,
      expiredAt: null,
      closedAt: null,
    };
    const firstOfLife = batch.attempts.length;
    const base = {
      message: life,
      host,
      mta: 'postfix' as const,
      program: 'postfix/smtp',
      queueId,
      recipient,
      origRecipient: null,
      recipientDomain: r.domain,
      sender,
      senderDomain: 'sender.example',
      relayHost: r.mx,
      relayIp: `198.51.100.${1 + (msg % 250)}`,
      port: 25,
      dsn: null,
      delay: null,
      transport: 'smtp',
      provider: r.provider,
      blocklist: null,
      classConflict: null,
      messageId,
    };
    const fill = (text: string) =>
      text
        .replaceAll('{to}', recipient)
        .replaceAll('{dom}', r.domain)
        .replaceAll('{ip}', ourIp)
        .replace(
          '{host}',
          () => `AM${rng.int(9)}PR0${rng.int(9)}MB${rng.int(9999)}.eurprd07.prod.outlook.com`,
        )
        .replace('{id}', () => `${hex(rng, 8).toLowerCase()}-${hex(rng, 6).toLowerCase()}`)
        .replace('{n}', () => String(rng.int(600)));
    const attempt = (ts: number, f: Failure | null): AttemptRow => ({
      ...base,
      ts: Math.min(ts, options.to - 1),
      outcome: f ? f.outcome : 'sent',
      stage: f ? f.stage : null,
      replyCode: f ? f.replyCode : 250,
      enhancedStatus: f ? (f.replyCode === null ? null : f.status) : '2.0.0',
      dsn: f ? f.status : '2.0.0',
      diagnostic: f ? fill(f.text) : `250 2.0.0 OK ${hex(rng, 10)} - queued as ${hex(rng, 12)}`,
      delay: rng.int(300) / 10,
      class: f ? f.class : 'success',
      cause: f ? f.cause : null,
      hardBounce: f
        ? f.cause === 'recipient-unknown' || (f.cause === 'domain-invalid' && f.class === 'permanent')
        : false,
    });
    const candidates = byProvider.get(r.provider)!;
    if (inIncident && rng.chance(0.6)) {
      const f =
        candidates.find((c) => c.cause === 'rate-limited' && c.provider === r.provider) ?? candidates[0]!;
      batch.attempts.push(attempt(ts0, f));
      made++;
    } else if (rng.chance(r.trouble * 2)) {
      const f = pickWeighted(rng, candidates);
      batch.attempts.push(attempt(ts0, f));
      made++;
      // Deferrals come back: most are delivered on a later try, some give up for good.
      if (f.outcome === 'deferred' && made < options.attempts) {
        const later = ts0 + (5 + rng.int(55)) * 60_000;
        const final = rng.chance(0.8)
          ? null
          : (candidates.find((c) => c.cause === f.cause && c.class === 'permanent') ?? null);
        batch.attempts.push(attempt(later, final));
        made++;
      }
    } else {
      batch.attempts.push(attempt(ts0, null));
      made++;
    }
    if (batch.attempts.length > firstOfLife) {
      const last = batch.attempts[batch.attempts.length - 1]!;
      life.lastTs = last.ts;
      life.closedAt = last.outcome === 'deferred' ? null : last.ts;
      batch.messages.push(life);
    }
    if (rng.chance(0.04)) {
      const k = pickWeighted(rng, REJECTS);
      const cip = `203.0.113.${rng.int(254) + 1}`;
      batch.rejects.push({
        ts: ts0,
        host,
        mta: 'postfix',
        program: 'postfix/smtpd',
        queueId: null,
        action: 'reject',
        clientHost: rng.chance(0.5) ? 'unknown' : `client${rng.int(99)}.${rng.pick(SYLLABLES)}.example`,
        clientIp: cip,
        helo: `${rng.pick(SYLLABLES)}${rng.pick(SYLLABLES)}.example`,
        sender: `${localPart(rng)}@${rng.pick(SYLLABLES)}.example`,
        recipient: `${localPart(rng)}@sender.example`,
        recipientDomain: 'sender.example',
        stage: k.stage,
        replyCode: k.replyCode,
        enhancedStatus: k.status,
        diagnostic: k.text.replaceAll('{cip}', cip).replaceAll('{to}', `${localPart(rng)}@sender.example`),
        class: k.class,
        cause: k.cause,
        provider: null,
      });
    }
    if (batch.attempts.length >= batchSize) {
      yield batch;
      batch = { attempts: [], rejects: [], messages: [] };
    }
  }
  if (batch.attempts.length > 0 || batch.rejects.length > 0) yield batch;
}
