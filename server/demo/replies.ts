/**
 * What receivers answer in generated traffic. Each scenario is one way a delivery goes; texts
 * imitate the shapes real receivers write (codes, continuation lines, provider codes) in our own
 * words. Placeholders: {to} recipient, {ip} our sending address, {dom} recipient domain.
 */

type Flow =
  | 'bounce' // fails at the first try
  | 'defer-sent' // deferred one or more times, then delivered
  | 'defer-bounce' // deferred, then refused for good
  | 'defer-expire'; // deferred until the queue lifetime ends

export interface Scenario {
  key: string;
  flow: Flow;
  weight: number;
  /** dsn= Postfix writes; for local causes there is no remote reply. */
  dsn: string;
  /** Remote reply (code first), or null for a local cause described by `local`. */
  reply: string | null;
  local?: string;
  stage: 'CONNECT' | 'HELO' | 'MAIL FROM' | 'RCPT TO' | 'end of DATA';
  /** For defer-bounce: the final permanent reply. */
  final?: { dsn: string; reply: string };
}

const GENERIC: Scenario[] = [
  {
    key: 'user-unknown',
    flow: 'bounce',
    weight: 30,
    dsn: '5.1.1',
    stage: 'RCPT TO',
    reply: '550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table',
  },
  {
    key: 'user-unknown-2',
    flow: 'bounce',
    weight: 8,
    dsn: '5.1.1',
    stage: 'RCPT TO',
    reply: '550 5.1.1 {to}... No such user here',
  },
  {
    key: 'mailbox-full',
    flow: 'defer-bounce',
    weight: 8,
    dsn: '4.2.2',
    stage: 'RCPT TO',
    reply: '452 4.2.2 <{to}>: Mailbox is over quota, try again later',
    final: { dsn: '5.2.2', reply: '552 5.2.2 <{to}>: Mailbox full and not accepting messages' },
  },
  {
    key: 'greylist',
    flow: 'defer-sent',
    weight: 10,
    dsn: '4.2.0',
    stage: 'RCPT TO',
    reply: '450 4.2.0 <{to}>: Recipient address rejected: Greylisted, please come back in 5 minutes',
  },
  {
    key: 'greylist-2',
    flow: 'defer-sent',
    weight: 4,
    dsn: '4.7.1',
    stage: 'RCPT TO',
    reply: '451 4.7.1 Try again later: greylisting in effect for {ip}',
  },
  {
    key: 'spamhaus',
    flow: 'bounce',
    weight: 5,
    dsn: '5.7.1',
    stage: 'RCPT TO',
    reply:
      '554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; listed in the PBL',
  },
  {
    key: 'barracuda',
    flow: 'bounce',
    weight: 2,
    dsn: '5.7.1',
    stage: 'CONNECT',
    reply: '554 5.7.1 Service unavailable; Client host [{ip}] blocked using b.barracudacentral.org',
  },
  {
    key: 'dmarc',
    flow: 'bounce',
    weight: 3,
    dsn: '5.7.1',
    stage: 'end of DATA',
    reply: '550 5.7.1 Message rejected: DMARC policy of sender domain is reject, SPF and DKIM did not align',
  },
  {
    key: 'spf',
    flow: 'bounce',
    weight: 2,
    dsn: '5.7.23',
    stage: 'MAIL FROM',
    reply: '550 5.7.23 SPF check failed: {ip} is not permitted to send for the sender domain',
  },
  {
    key: 'rate',
    flow: 'defer-sent',
    weight: 6,
    dsn: '4.7.0',
    stage: 'MAIL FROM',
    reply: '421 4.7.0 Too many concurrent connections from {ip}, slow down',
  },
  {
    key: 'timeout',
    flow: 'defer-sent',
    weight: 4,
    dsn: '4.4.1',
    stage: 'CONNECT',
    reply: null,
    local: 'connect to {mx}[{mxip}]:25: Connection timed out',
  },
  {
    key: 'refused-expire',
    flow: 'defer-expire',
    weight: 1,
    dsn: '4.4.1',
    stage: 'CONNECT',
    reply: null,
    local: 'connect to {mx}[{mxip}]:25: Connection refused',
  },
  {
    key: 'lost',
    flow: 'defer-sent',
    weight: 3,
    dsn: '4.4.2',
    stage: 'RCPT TO',
    reply: null,
    local: 'lost connection with {mx}[{mxip}] while sending RCPT TO',
  },
  {
    key: 'no-domain',
    flow: 'bounce',
    weight: 5,
    dsn: '5.4.4',
    stage: 'CONNECT',
    reply: null,
    local: 'Host or domain name not found. Name service error for name={dom} type=AAAA: Host not found',
  },
  {
    key: 'too-large',
    flow: 'bounce',
    weight: 2,
    dsn: '5.3.4',
    stage: 'end of DATA',
    reply: '552 5.3.4 Message size exceeds fixed limit',
  },
  {
    key: 'spam',
    flow: 'bounce',
    weight: 4,
    dsn: '5.7.1',
    stage: 'end of DATA',
    reply: '550 5.7.1 Message rejected as spam by content filter (score 14.2)',
  },
  {
    key: 'disabled',
    flow: 'bounce',
    weight: 3,
    dsn: '5.2.1',
    stage: 'RCPT TO',
    reply: '550 5.2.1 <{to}>: Recipient account is disabled',
  },
  {
    key: 'ptr',
    flow: 'defer-sent',
    weight: 2,
    dsn: '4.7.1',
    stage: 'RCPT TO',
    reply: '450 4.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]',
  },
  {
    key: 'tls',
    flow: 'defer-sent',
    weight: 1,
    dsn: '4.7.5',
    stage: 'CONNECT',
    reply: null,
    local: 'Cannot start TLS: handshake failure',
  },
  {
    key: 'remote-error',
    flow: 'defer-sent',
    weight: 3,
    dsn: '4.3.0',
    stage: 'end of DATA',
    reply: '451 4.3.0 Temporary server error. Please try again later',
  },
  {
    key: 'format',
    flow: 'bounce',
    weight: 1,
    dsn: '5.6.0',
    stage: 'end of DATA',
    reply: '550 5.6.0 Message headers fail syntax check: duplicate Message-ID',
  },
];

const BY_PROVIDER: Record<string, Scenario[]> = {
  google: [
    {
      key: 'g-unknown',
      flow: 'bounce',
      weight: 30,
      dsn: '5.1.1',
      stage: 'RCPT TO',
      reply:
        "550-5.1.1 The address you sent to does not exist here. Check the spelling 550-5.1.1 of the recipient's address and try again. Details: 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser x12si34 - gsmtp",
    },
    {
      key: 'g-rate',
      flow: 'defer-sent',
      weight: 12,
      dsn: '4.7.28',
      stage: 'end of DATA',
      reply:
        '421-4.7.28 Mail from your address [{ip}] shows an unusual rate of 421-4.7.28 unsolicited messages, so it is being limited. Review our 421 4.7.28 sender guidelines. https://support.google.com/mail/?p=UnsolicitedRateLimitError y3si9 - gsmtp',
    },
    {
      key: 'g-auth',
      flow: 'bounce',
      weight: 10,
      dsn: '5.7.26',
      stage: 'end of DATA',
      reply:
        '550-5.7.26 This message fails DMARC checks for the sender domain and was 550-5.7.26 refused under its policy. Authenticate with SPF and DKIM. 550 5.7.26 https://support.google.com/mail/answer/81126 z1si2 - gsmtp',
    },
    {
      key: 'g-full',
      flow: 'defer-sent',
      weight: 6,
      dsn: '4.2.2',
      stage: 'RCPT TO',
      reply:
        '452-4.2.2 The recipient mailbox is out of storage space. 452 4.2.2 https://support.google.com/mail/?p=OverQuotaTemp q7si1 - gsmtp',
    },
    {
      key: 'g-block',
      flow: 'defer-sent',
      weight: 6,
      dsn: '4.7.0',
      stage: 'MAIL FROM',
      reply:
        '421-4.7.0 [{ip}] Our system has found a suspicious volume of mail from this 421-4.7.0 address; messages are deferred to protect users. 421 4.7.0 https://support.google.com/mail/answer/188131 k2si5 - gsmtp',
    },
    {
      key: 'g-spam',
      flow: 'bounce',
      weight: 4,
      dsn: '5.7.1',
      stage: 'end of DATA',
      reply:
        '550-5.7.1 This message looks like unsolicited mail and was refused. 550 5.7.1 https://support.google.com/mail/?p=UnsolicitedMessageError m4si8 - gsmtp',
    },
  ],
  microsoft: [
    {
      key: 'm-unknown',
      flow: 'bounce',
      weight: 30,
      dsn: '5.5.0',
      stage: 'RCPT TO',
      reply:
        '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]',
    },
    {
      key: 'm-block',
      flow: 'bounce',
      weight: 14,
      dsn: '5.7.1',
      stage: 'RCPT TO',
      reply:
        '550 5.7.1 Mail from [{ip}] was refused because part of its network is on our block list (S3150). [AM4PEPF00025F9B.EURPRD83.prod.outlook.com]',
    },
    {
      key: 'm-rate',
      flow: 'defer-sent',
      weight: 8,
      dsn: '4.7.650',
      stage: 'MAIL FROM',
      reply:
        '451 4.7.650 The mail server [{ip}] is temporarily rate limited because of IP reputation. [VI1EUR04FT021.eop-eur04.prod.protection.outlook.com]',
    },
    {
      key: 'm-auth',
      flow: 'bounce',
      weight: 5,
      dsn: '5.7.509',
      stage: 'end of DATA',
      reply:
        '550 5.7.509 Access denied, sending domain does not pass DMARC verification and has a DMARC policy of reject.',
    },
  ],
  yahoo: [
    {
      key: 'y-tss04',
      flow: 'defer-sent',
      weight: 18,
      dsn: '4.7.0',
      stage: 'MAIL FROM',
      reply:
        '421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    },
    {
      key: 'y-unknown',
      flow: 'bounce',
      weight: 25,
      dsn: '5.0.0',
      stage: 'RCPT TO',
      reply:
        "554 delivery error: dd This user doesn't have a {dom} account ({to}) [0] - mta4021.mail.bf1.yahoo.com",
    },
    {
      key: 'y-auth',
      flow: 'bounce',
      weight: 6,
      dsn: '5.7.9',
      stage: 'end of DATA',
      reply:
        '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.',
    },
  ],
  'united-internet': [
    {
      key: 'x-block',
      flow: 'bounce',
      weight: 10,
      dsn: '5.0.0',
      stage: 'CONNECT',
      reply:
        '554-{mx} (mxgmx) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601',
    },
    {
      key: 'x-unknown',
      flow: 'bounce',
      weight: 25,
      dsn: '5.0.0',
      stage: 'RCPT TO',
      reply: '550 Requested action not taken: mailbox unavailable',
    },
  ],
};

export function scenariosFor(provider: string): readonly Scenario[] {
  const specific = BY_PROVIDER[provider];
  return specific ? [...specific, ...GENERIC.filter((s) => s.weight <= 5)] : GENERIC;
}
