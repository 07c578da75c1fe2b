/** Google (Gmail, Google Workspace): its documented SMTP replies, in our words. */

import type { ProviderCode } from '../provider-codes.js';

const CODES = 'https://support.google.com/a/answer/3726730';
const PMT = 'https://postmaster.google.com/';

export const GOOGLE_CODES: readonly ProviderCode[] = [
  {
    provider: 'google',
    label: '4.7.28 / 5.7.28',
    codes: ['4.7.28', '5.7.28'],
    re: /[45]\.7\.28\b|unusual rate of unsolicited/i,
    cause: 'reputation-blocklist',
    meaning:
      'Gmail saw an unusual rate of unsolicited mail from your IP, DKIM or SPF domain and blocks it for a while: a reputation verdict, even though the wording says rate limited.',
    action: `Slowing down alone will not lift it. Stop mailing unengaged, purchased or old addresses, check spam rate and IP/domain reputation in Google Postmaster Tools (${PMT}), and keep the user-reported spam rate well under 0.3%.`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.27 / 5.7.27',
    codes: ['4.7.27', '5.7.27'],
    re: /[45]\.7\.27\b/,
    cause: 'authentication',
    meaning: 'Gmail: SPF did not pass for the envelope sender domain.',
    action: `Add the sending IP (or your provider's include:) to the SPF record of the MAIL FROM domain and check it evaluates to pass; Gmail expects SPF or DKIM from all senders and both from bulk senders.`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.30 / 5.7.30',
    codes: ['4.7.30', '5.7.30'],
    re: /[45]\.7\.30\b.*DKIM|DKIM.*[45]\.7\.30\b/i,
    cause: 'authentication',
    meaning: 'Gmail: DKIM did not pass for the message.',
    action: `Sign outgoing mail with DKIM, publish the selector's key in DNS and make sure nothing rewrites the message after signing.`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.32 / 5.7.32',
    codes: ['4.7.32', '5.7.32'],
    re: /[45]\.7\.32\b|not aligned with .{0,40}(?:SPF|DKIM)/i,
    cause: 'authentication',
    meaning:
      'Gmail: the From: domain is not aligned with the domain that passed SPF or DKIM (DMARC alignment).',
    action: `Make the From: domain match the DKIM d= domain or the envelope sender domain (same organisational domain), and publish a DMARC record for it.`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.29 / 5.7.29',
    codes: ['4.7.29', '5.7.29'],
    re: /[45]\.7\.29\b.*TLS|TLS.*[45]\.7\.29\b/i,
    cause: 'tls',
    meaning: 'Gmail: the message was not sent over TLS, which Gmail requires from bulk senders.',
    action:
      'Enable opportunistic STARTTLS on outbound mail (Postfix smtp_tls_security_level = may, with a CA bundle).',
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.26 / 5.7.26',
    codes: ['4.7.26', '5.7.26'],
    re: /[45]\.7\.26\b/,
    cause: 'authentication',
    meaning:
      "Gmail: the message is unauthenticated (neither SPF nor DKIM passed) or fails the From: domain's DMARC policy.",
    action: `Make SPF or DKIM pass for the sending domain (bulk senders: both, plus DMARC). If the reply names a DMARC policy, the From: domain requires alignment: sign with DKIM d= that domain or send from its envelope domain.`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.7.25 / 4.7.23',
    codes: ['5.7.25', '4.7.25', '4.7.23'],
    re: /5\.7\.25\b|4\.7\.23\b/,
    cause: 'reverse-dns',
    meaning: 'Gmail refuses mail from an IP without forward-confirmed reverse DNS (PTR and matching A/AAAA).',
    action:
      'Check both directions from outside: `dig -x <ip>` must give a name whose A or AAAA record is the same IP.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.0 / 5.7.1 (reputation)',
    codes: ['4.7.0', '5.7.1'],
    re: /low reputation|reputation of the sending/i,
    cause: 'reputation-blocklist',
    meaning: 'Gmail deferred or blocked the message because the sending IP or domain has a low reputation.',
    action: `Check IP and domain reputation and spam rate in Google Postmaster Tools (${PMT}). Authenticate with SPF, DKIM and DMARC, mail only engaged recipients and raise volume gradually on new IPs; reputation recovers with clean traffic.`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.7.1 (unsolicited)',
    codes: ['5.7.1'],
    re: /likely unsolicited|unsolicited mail|spam content/i,
    cause: 'spam-content',
    meaning: 'Gmail judged this message to be unsolicited mail.',
    action: `Review content and list quality (links, URL shorteners, images, a missing unsubscribe link); check that recipients asked for the mail, and watch the spam rate in Postmaster Tools (${PMT}).`,
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.7.1 (recipient policy)',
    codes: ['5.7.1'],
    re: /has a policy that prohibited/i,
    cause: 'recipient-filtered',
    meaning:
      'The Google Workspace domain (sender or recipient side) has an admin policy that refuses this mail.',
    action:
      'Ask the recipient organisation (its Google Workspace admin) whether it restricts who may mail it; nothing in your setup will change this.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.7.0 (attachment security)',
    codes: ['5.7.0', '5.7.1'],
    re: /content presents a potential|potential security issue|attachment.{0,40}(?:blocked|not allowed)|illegal attachment/i,
    cause: 'policy',
    distinctive: true,
    meaning:
      'Gmail blocked the message because of attachment types it does not allow (executables, some archives, macro documents).',
    action:
      'Do not attach executable files or archives that contain them; share such files through a link. See https://support.google.com/mail/answer/6590',
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.2.1 / 5.2.1 (receiving rate)',
    codes: ['4.2.1'],
    re: /receiving mail at a rate|receiving mail too quickly|ReceivingRate/i,
    cause: 'rate-limited',
    meaning:
      'The Gmail recipient receives mail faster than Gmail allows; the limit is on the recipient, not on you.',
    action: 'Nothing to fix on your side; a 5.2.1 ReceivingRatePerm means giving up on this message for now.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.2.2 / 5.2.2 (OverQuota)',
    codes: ['4.2.2', '5.2.2'],
    re: /OverQuota|out of storage space/i,
    cause: 'mailbox-full',
    meaning:
      'The Gmail account is out of storage; a permanent 5.2.2 with "inactive" means it has been full for long.',
    action: 'A long-inactive full mailbox should be suppressed.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.2.1 (account disabled)',
    codes: ['5.2.1'],
    cause: 'mailbox-disabled',
    meaning: 'Gmail uses 5.2.1 for an account that exists but is disabled.',
    action: 'Suppress the address: disabled Gmail accounts rarely come back.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.1.1 (no such account)',
    codes: ['5.1.1'],
    cause: 'recipient-unknown',
    meaning:
      'Gmail: no account has this address (Gmail ignores dots in the local part, so check other typos).',
    action: 'Suppress the address unless the person gives you a corrected one.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '5.2.3 (size)',
    codes: ['5.2.3'],
    cause: 'message-too-large',
    meaning: "The message exceeds Google's message size limit.",
    action: 'Send large files as a link (for example a shared Drive file) instead of an attachment.',
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.0 (IP not allowed)',
    codes: ['4.7.0'],
    re: /IP not in whitelist|not in (?:the )?allow ?list for RCPT domain/i,
    cause: 'policy',
    meaning:
      'The Google Workspace domain only accepts mail from IPs its admin allowed (inbound gateway setting).',
    action: "Send to the domain's real inbound gateway (check its MX), or ask its admin to add your IP.",
    source: CODES,
  },
  {
    provider: 'google',
    label: '4.7.0 (other)',
    codes: ['4.7.0'],
    re: /\b4\.7\.0\b/,
    meaning:
      'Gmail deferred the message or connection for a security or policy reason it does not detail (often reputation, missing authentication or missing TLS).',
    action: 'Confirm SPF and DKIM pass, the sending IP has matching reverse DNS, and TLS is used.',
    source: CODES,
  },
];
