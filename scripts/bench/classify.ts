/** Classifier throughput: a million varied replies (our own reply shapes, cycled with variations). */

import { classify } from '../../classify/index.js';
import type { ClassifyInput } from '../../classify/types.js';
import type { Outcome, SmtpStage } from '../../parsers/types.js';
import type { BenchRow } from './types.js';

// Reply shapes from our own test set; {u} {d} {ip} {id} {n} are filled with varying values.
const TEMPLATES: readonly string[] = [
  '550 5.1.1 <{u}@{d}>: Recipient address rejected: User unknown in virtual mailbox table',
  "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser {id}.{n} - gsmtp",
  '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [{id}.eurprd01.prod.exchangelabs.com]',
  "554 delivery error: dd This user doesn't have a yahoo.com account ({u}@yahoo.com) [0] - mta{n}.mail.gq1.yahoo.com",
  '452-4.2.2 The email account that you tried to reach is over quota. Please direct 452-4.2.2 the recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp {id} - gsmtp',
  '552 5.2.2 <{u}@{d}>: Recipient address rejected: Mailbox is full',
  '550 5.2.1 The email account that you tried to reach is disabled. {id} - gsmtp',
  'Host or domain name not found. Name service error for name={d} type=MX: Host not found',
  '553 5.1.8 <{u}@{d}>: Sender address rejected: Domain not found',
  '554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}',
  "550 5.7.1 Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). [{id}.eurprd04.prod.outlook.com]",
  '550 5.7.606 Access denied, banned sending IP [{ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions.',
  '421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  '450 4.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]',
  "550-5.7.26 Unauthenticated email from {d} is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of {d} domain if 550-5.7.26 this was a legitimate mail. {id} - gsmtp",
  '550 5.7.509 Access denied, sending domain [{d}] does not pass DMARC verification and has a DMARC policy of reject.',
  '550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. {id} - gsmtp',
  '554 5.7.0 Reject, id={n}-07 - INFECTED: Eicar-Signature',
  '550 5.7.1 Messages with multiple addresses in From: header are not accepted.',
  '552 5.3.4 Message size exceeds fixed limit',
  '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes',
  '530 5.7.0 Authentication required',
  '554 5.7.1 <{u}@{d}>: Relay access denied',
  '450-4.2.1 The user you are trying to contact is receiving mail at a rate that 450-4.2.1 prevents additional messages from being delivered. {id} - gsmtp',
  '450 4.2.0 <{u}@{d}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{d}.html',
  '530 5.7.0 Must issue a STARTTLS command first',
  'connect to mx.{d}[{ip}]:25: Connection timed out',
  'lost connection with mx.{d}[{ip}] while receiving the initial server greeting',
  '451 4.3.0 Error: queue file write error',
  'retry timeout exceeded',
  'SMTP error from remote mail server after RCPT TO:<{u}@{d}>: 550 5.1.1 <{u}@{d}>... User unknown',
  'host mx.{d}[{ip}] said: 554 5.7.1 {u}@{d}: Recipient address rejected: Access denied (in reply to RCPT TO command)',
  '250 2.0.0 OK  {n} {id} - gsmtp',
  '250 2.0.0 Ok: queued as {id}',
];

const HOSTS = [
  'gmail-smtp-in.l.google.com',
  'example-com.mail.protection.outlook.com',
  'mta6.am0.yahoodns.net',
  'mx01.mail.icloud.com',
  'mx00.emig.gmx.net',
  'mx.example.net',
  null,
];
const STAGES: readonly (SmtpStage | null)[] = ['rcpt', 'end-of-data', 'mail', 'connect', null];
const OUTCOMES: readonly Outcome[] = ['bounced', 'deferred', 'sent', 'bounced'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.co.uk', 'corp.example'];
const USERS = ['alice', 'bob.smith', 'info', 'no-reply', 'j.doe+news'];

/** A deterministic pool of varied inputs: every template with several fills, codes given or not. */
export function buildReplyPool(size: number): ClassifyInput[] {
  const pool: ClassifyInput[] = [];
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; pool.length < size; i++) {
    const template = TEMPLATES[i % TEMPLATES.length]!;
    const d = DOMAINS[next(DOMAINS.length)]!;
    const text = template
      .replaceAll('{u}', USERS[next(USERS.length)]!)
      .replaceAll('{d}', d)
      .replaceAll('{ip}', `198.51.100.${next(250) + 1}`)
      .replaceAll('{id}', `a${next(1e9).toString(36)}`)
      .replaceAll('{n}', String(next(1e6)));
    const withCodes = next(2) === 0;
    const code = /^(\d{3})[ -](\d\.\d{1,3}\.\d{1,3})?/.exec(text);
    pool.push({
      diagnostic: text,
      replyCode: withCodes && code ? Number(code[1]) : null,
      enhancedStatus: withCodes && code?.[2] ? code[2] : null,
      stage: STAGES[next(STAGES.length)]!,
      remoteHost: HOSTS[next(HOSTS.length)]!,
      outcome: OUTCOMES[next(OUTCOMES.length)]!,
      recipientDomain: d,
    });
  }
  return pool;
}

/** The slowest of five calls on a long reply built to make a careless regex backtrack. */
function timeHostileReply(): number {
  const hostile = `550 ${'a'.repeat(20000)} ${'user '.repeat(5000)} ${'5.'.repeat(5000)}`;
  let slowest = 0;
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    classify({ diagnostic: hostile });
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.round(slowest * 100) / 100;
}

export async function benchClassify(opts: { replies: number }): Promise<BenchRow[]> {
  const pool = buildReplyPool(Math.min(opts.replies, 20_000));
  // Warm up the regexes and the JIT before measuring.
  for (const input of pool.slice(0, 2000)) classify(input);
  let checksum = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < opts.replies; i++) {
    const c = classify(pool[i % pool.length]!);
    if (c.hardBounce) checksum++;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await Promise.resolve();
  const hostileMs = timeHostileReply();
  const label = opts.replies >= 1_000_000 ? `${opts.replies / 1_000_000}M` : String(opts.replies);
  return [
    {
      section: 'classify',
      name: `${label} varied replies`,
      value: Math.round((opts.replies * 1000) / ms),
      unit: 'replies/s',
      note: `${pool.length} distinct inputs from ${TEMPLATES.length} reply shapes, cycled; ${checksum} hard bounces`,
    },
    {
      section: 'classify',
      name: `${label} varied replies, per CPU second`,
      value: Math.round((opts.replies * 1000) / cpuMs),
      unit: 'replies/s',
      note: 'CPU time of this process: steadier than wall time on a shared machine',
    },
    { section: 'classify', name: `${label} varied replies, total time`, value: Math.round(ms), unit: 'ms' },
    {
      section: 'classify',
      name: 'hostile reply, one call',
      value: hostileMs,
      unit: 'ms',
      note: 'a 40 KB reply of repeated words and status fragments: log text must not slow the classifier',
    },
  ];
}

if (process.argv[1]?.endsWith('bench/classify.js') === true) {
  const n = Number(process.argv[2] ?? 1_000_000);
  for (const row of await benchClassify({ replies: n })) {
    process.stdout.write(
      `${row.section}\t${row.name}\t${row.value} ${row.unit}${row.note ? `\t${row.note}` : ''}\n`,
    );
  }
}
