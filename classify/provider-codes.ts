/**
 * What big receivers mean by their own codes and wordings, and what they ask senders to do.
 * Facts from their postmaster documentation, written in our words.
 */

import type { Cause } from './types.js';

export interface ProviderCode {
  /** Provider id the rule belongs to; the rule also fires when its marker is unmistakable in the text. */
  provider: string;
  /** Label shown by `explain` (e.g. "S3150", "5.7.606-649"). */
  label: string;
  re: RegExp;
  /** Overrides the phrase rules when set. */
  cause?: Cause;
  /** Fires even without knowing the provider (the code or wording belongs only to them). */
  distinctive?: boolean;
  meaning: string;
  action: string;
}

const GOOGLE_GUIDE = 'https://support.google.com/mail/answer/81126';
const GOOGLE_PMT = 'https://postmaster.google.com/';
const MS_DELIST = 'https://sender.office.com/';
const MS_SNDS = 'https://sendersupport.olc.protection.outlook.com/snds/';
const YAHOO_CODES = 'https://senders.yahooinc.com/smtp-error-codes/';
const YAHOO_HUB = 'https://senders.yahooinc.com/';

export const PROVIDER_CODES: readonly ProviderCode[] = [
  // ---- Google ----
  {
    provider: 'google',
    label: '4.7.28 / 5.7.28',
    re: /[45]\.7\.28\b|unusual rate of unsolicited/i,
    cause: 'rate-limited',
    meaning:
      'Gmail saw an unusual rate of unsolicited mail from your IP, DKIM domain or linked URLs and throttles (4.7.28) or blocks (5.7.28) it.',
    action: `Cut volume to Gmail now and stop mailing unengaged, purchased or old addresses. Check spam rate and IP/domain reputation in Google Postmaster Tools (${GOOGLE_PMT}); keep the user-reported spam rate well under 0.3%. Let the MTA retry slowly. Guidelines: ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '4.7.27 / 5.7.27',
    re: /[45]\.7\.27\b/,
    cause: 'authentication',
    meaning:
      'Gmail: SPF did not pass for the envelope sender domain (rate limited at 4.7.27, blocked at 5.7.27).',
    action: `Add the sending IP (or your provider's include:) to the SPF record of the MAIL FROM domain and check it evaluates to pass; Gmail expects SPF or DKIM for all senders and both for bulk senders. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '4.7.30 / 5.7.30',
    re: /[45]\.7\.30\b.*DKIM|DKIM.*[45]\.7\.30\b/i,
    cause: 'authentication',
    meaning: 'Gmail: DKIM did not pass for the message.',
    action: `Sign outgoing mail with DKIM, publish the selector's key in DNS and make sure nothing rewrites the message after signing. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '4.7.32 / 5.7.32',
    re: /[45]\.7\.32\b|not aligned with .{0,40}(?:SPF|DKIM)/i,
    cause: 'authentication',
    meaning:
      'Gmail: the From: domain is not aligned with the domain that passed SPF or DKIM (DMARC alignment).',
    action: `Make the From: domain match the DKIM d= domain or the envelope sender domain (same organisational domain), and publish a DMARC record for it. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '4.7.29 / 5.7.29',
    re: /[45]\.7\.29\b.*TLS|TLS.*[45]\.7\.29\b/i,
    cause: 'tls',
    meaning: 'Gmail: the message was not sent over TLS, which Gmail requires from bulk senders.',
    action:
      'Enable opportunistic STARTTLS on outbound mail (Postfix smtp_tls_security_level = may, with a CA bundle), then retry.',
  },
  {
    provider: 'google',
    label: '4.7.26 / 5.7.26',
    re: /[45]\.7\.26\b/,
    cause: 'authentication',
    meaning:
      "Gmail: the message is unauthenticated (neither SPF nor DKIM passed) or fails the From: domain's DMARC policy.",
    action: `Make SPF or DKIM pass for the sending domain (bulk senders: both, plus DMARC). If the reply names a DMARC policy, the From: domain requires alignment: sign with DKIM d= that domain or send from its envelope domain. Check the Authentication-Results of a test to a Gmail account. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '5.7.25 / 4.7.23',
    re: /5\.7\.25\b|4\.7\.23\b/,
    cause: 'reverse-dns',
    meaning: 'Gmail: the sending IP has no PTR record, or the PTR name does not resolve back to the IP.',
    action: `Gmail refuses mail from IPs without forward-confirmed reverse DNS. Ask the owner of the IP range to set a PTR whose host name has an A/AAAA record pointing back to the same IP, and use that name in HELO. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '4.7.0 / 5.7.1 (reputation)',
    re: /low reputation|reputation of the sending/i,
    cause: 'reputation-blocklist',
    meaning: 'Gmail deferred or blocked the message because the sending IP or domain has a low reputation.',
    action: `Check IP and domain reputation and spam rate in Google Postmaster Tools (${GOOGLE_PMT}). Authenticate with SPF, DKIM and DMARC, mail only engaged recipients, raise volume gradually on new IPs, and keep retrying slowly; reputation recovers with clean traffic. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '5.7.1 (unsolicited)',
    re: /likely unsolicited|unsolicited mail|spam content/i,
    cause: 'spam-content',
    meaning: 'Gmail judged this message to be unsolicited mail.',
    action: `Review content and list quality (links, URL shorteners, images, missing unsubscribe); check that recipients asked for the mail. Use Postmaster Tools (${GOOGLE_PMT}) to watch spam rate. See ${GOOGLE_GUIDE}`,
  },
  {
    provider: 'google',
    label: '5.7.1 (recipient policy)',
    re: /has a policy that prohibited/i,
    cause: 'recipient-filtered',
    meaning:
      'The Google Workspace domain (sender or recipient side) has an admin policy that refuses this mail.',
    action:
      'Ask the recipient organisation (its Google Workspace admin) whether it restricts who may mail it; nothing in your setup will change this.',
  },
  {
    provider: 'google',
    label: '5.7.0 (attachment security)',
    re: /content presents a potential|potential security issue|attachment.{0,40}(?:blocked|not allowed)/i,
    cause: 'policy',
    distinctive: true,
    meaning:
      'Gmail blocked the message because of attachment types it does not allow (executables, some archives, macro documents).',
    action:
      'Do not attach executable files or archives that contain them; share such files through a link. See https://support.google.com/mail/answer/6590',
  },
  {
    provider: 'google',
    label: '4.2.1 / 5.2.1 (receiving rate)',
    re: /receiving mail at a rate|ReceivingRate/i,
    cause: 'rate-limited',
    meaning:
      'The Gmail recipient receives mail faster than Gmail allows; the limit is on the recipient, not on you.',
    action:
      'Nothing to fix on your side. 4.2.1 retries by itself; a 5.2.1 (ReceivingRatePerm) means give up on this message and retry much later.',
  },
  {
    provider: 'google',
    label: '4.2.2 / 5.2.2 (OverQuota)',
    re: /OverQuota|out of storage space/i,
    cause: 'mailbox-full',
    meaning:
      'The Gmail account is out of storage; a permanent 5.2.2 with "inactive" means it has been full for long.',
    action: 'Retries may succeed if the user frees space; a long-inactive full mailbox should be suppressed.',
  },
  {
    provider: 'google',
    label: '4.7.0 (IP not allowed)',
    re: /IP not in whitelist|not in (?:the )?allow ?list for RCPT domain/i,
    cause: 'policy',
    meaning:
      'The Google Workspace domain only accepts mail from IPs its admin allowed (inbound gateway setting).',
    action: "Send to the domain's real inbound gateway (check its MX), or ask its admin to add your IP.",
  },
  {
    provider: 'google',
    label: '421-4.7.0 (other)',
    re: /\b4\.7\.0\b/,
    meaning:
      'Gmail deferred the message or connection for a security or policy reason it does not detail (often reputation, missing authentication or missing TLS).',
    action: `Let the MTA retry slowly. Confirm SPF and DKIM pass, the sending IP has matching reverse DNS, and TLS is used; watch IP and domain reputation in Google Postmaster Tools (${GOOGLE_PMT}).`,
  },
  // ---- Microsoft ----
  {
    provider: 'microsoft',
    label: 'S3150 / S3140',
    re: /\bS31[45]0\b|part of their network is on our block list/,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: "Outlook.com's own block list holds your IP (or its network range).",
    action: `Request removal through Microsoft's delist portal (${MS_DELIST}); fix the source of spam first. Enrol the IP in SNDS (${MS_SNDS}) and the junk mail reporting programme to watch it.`,
  },
  {
    provider: 'microsoft',
    label: '5.7.606-649',
    re: /\b5\.7\.6(?:0[6-9]|[1-3]\d|4\d)\b|banned sending IP/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Microsoft banned the sending IP (access denied, banned sending IP).',
    action: `Use the delist portal ${MS_DELIST}: enter the IP, confirm by email, and wait for the listing to lift (it can take a day). Find why the IP was listed (compromised account, bad list) first.`,
  },
  {
    provider: 'microsoft',
    label: '5.7.511',
    re: /\b5\.7\.511\b/,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Microsoft banned the sender (access denied, banned sender).',
    action:
      'Microsoft asks for delisting by mailing the full non-delivery report to delist@microsoft.com; fix the cause first.',
  },
  {
    provider: 'microsoft',
    label: '5.7.708',
    re: /\b5\.7\.708\b|traffic not accepted from this IP/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Exchange Online refuses traffic from this IP because of its reputation (common for new or high-risk sending IPs).',
    action:
      'Send through an IP with an established reputation, or contact Microsoft support with the report; warm up new IPs gradually.',
  },
  {
    provider: 'microsoft',
    label: '4.7.650-651 (S3113/S3114/S775/S843)',
    re: /\b4\.7\.65[01]\b|\(S(?:3113|3114|775|843|844)\)|rate limited due to (?:IP )?reputation/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Outlook.com temporarily rate-limits the IP because of its reputation.',
    action: `Slow down to Outlook.com, check the IP's data in SNDS (${MS_SNDS}) and complaint rates, and let the MTA retry. If it lasts, open a ticket through ${MS_DELIST}.`,
  },
  {
    provider: 'microsoft',
    label: '4.7.500-699',
    re: /\b4\.7\.[56]\d\d\b/,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'Outlook.com/Exchange Online defers: server busy or the IP is being rate limited.',
    action: `Lower concurrency and volume to Microsoft and let retries run; check SNDS (${MS_SNDS}) for the IP.`,
  },
  {
    provider: 'microsoft',
    label: '5.7.509',
    re: /\b5\.7\.509\b|does not pass DMARC/i,
    cause: 'authentication',
    distinctive: true,
    meaning: 'Microsoft: the sending domain fails DMARC and its policy is reject.',
    action:
      "Fix SPF/DKIM alignment for the From: domain (DKIM d= the From: domain, or an aligned envelope domain); if you send for another domain, that domain's DMARC policy forbids it.",
  },
  {
    provider: 'microsoft',
    label: '5.7.515',
    re: /\b5\.7\.515\b|required authentication level/i,
    cause: 'authentication',
    distinctive: true,
    meaning:
      'Outlook.com: the sending domain does not meet its authentication requirements for high-volume senders (SPF, DKIM and DMARC).',
    action:
      'Publish SPF and DKIM that pass and a DMARC record (at least p=none) aligned with the From: domain, then resend.',
  },
  {
    provider: 'microsoft',
    label: '5.7.510',
    re: /\b5\.7\.510\b|does not accept email over IPv6/i,
    cause: 'policy',
    distinctive: true,
    meaning: 'The Microsoft 365 domain does not accept mail over IPv6 from you.',
    action:
      'Deliver to it over IPv4 (Postfix smtp_address_preference = ipv4 for that destination), or authenticate the IPv6 mail fully.',
  },
  {
    provider: 'microsoft',
    label: '5.7.512',
    re: /\b5\.7\.512\b|must be RFC 5322 section 3\.6\.2 compliant/i,
    cause: 'message-format',
    distinctive: true,
    meaning: 'Microsoft refuses messages without a valid From: header (RFC 5322 section 3.6.2).',
    action: 'Give every message exactly one From: header with a valid address.',
  },
  {
    provider: 'microsoft',
    label: '5.7.520',
    re: /\b5\.7\.520\b|does not allow external forwarding/i,
    cause: 'policy',
    distinctive: true,
    meaning: "The sender's Microsoft 365 organisation forbids automatic external forwarding.",
    action: 'The forwarding mailbox owner or admin must allow external forwarding, or stop forwarding.',
  },
  {
    provider: 'microsoft',
    label: '5.7.57',
    re: /\b5\.7\.57\b|not authenticated to send anonymous mail/i,
    cause: 'auth-required',
    distinctive: true,
    meaning: 'Exchange Online wants SMTP AUTH on the submission endpoint (client submission without login).',
    action: 'Authenticate to smtp.office365.com on port 587 with STARTTLS, or use a connector for your IP.',
  },
  {
    provider: 'microsoft',
    label: '5.7.64',
    re: /\b5\.7\.64\b|TenantAttribution/i,
    cause: 'relay-denied',
    distinctive: true,
    meaning: 'Exchange Online cannot attribute the connection to a tenant connector, so it will not relay.',
    action:
      'Check the inbound connector in the Microsoft 365 tenant: sender IP or certificate must match it.',
  },
  {
    provider: 'microsoft',
    label: '5.7.133-136',
    re: /\b5\.7\.13[3-6]\b/,
    cause: 'recipient-filtered',
    distinctive: true,
    meaning: 'The recipient group or mailbox only accepts mail from authenticated or listed senders.',
    action: 'Ask the group owner to allow external senders or add your address.',
  },
  {
    provider: 'microsoft',
    label: '5.4.1 (directory-based edge blocking)',
    re: /\b5\.4\.1\b.{0,60}access denied/i,
    cause: 'recipient-unknown',
    meaning: 'Microsoft 365 has no such recipient in the tenant directory (directory-based edge blocking).',
    action: 'Suppress the address; check it for typos.',
  },
  {
    provider: 'microsoft',
    label: '5.1.10',
    re: /\b5\.1\.10\b/,
    cause: 'recipient-unknown',
    meaning:
      'Microsoft: the recipient was not found by SMTP address lookup (Microsoft uses 5.1.10 for unknown users).',
    action: 'Suppress the address; check it for typos.',
  },
  {
    provider: 'microsoft',
    label: '5.1.351',
    re: /\b5\.1\.351\b/,
    distinctive: true,
    meaning: 'Exchange relayed a rejection from the next server: the text after "->" is the real reply.',
    action: 'Read the nested reply after "->" in the text; it carries the real reason.',
  },
  {
    provider: 'microsoft',
    label: '5.4.316 / 4.4.316',
    re: /\b[45]\.4\.316\b/,
    cause: 'network',
    distinctive: true,
    meaning: 'Exchange could not connect to the destination (connection refused) until the message expired.',
    action:
      'Check that the destination MX accepts connections on port 25 (from Microsoft 365 ranges if it is yours).',
  },
  {
    provider: 'microsoft',
    label: '5.2.121 / 5.2.122',
    re: /\b5\.2\.12[12]\b/,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'The Microsoft 365 recipient has reached its hourly receiving limit.',
    action: 'Nothing to fix on your side; retry later.',
  },
  {
    provider: 'microsoft',
    label: '5.7.750',
    re: /\b5\.7\.750\b|sending from unregistered domains/i,
    cause: 'sender-rejected',
    distinctive: true,
    meaning:
      'Exchange Online refuses mail whose sender domain is not an accepted (added and verified) domain of the sending Microsoft 365 tenant.',
    action:
      'Add and verify the sender domain in the Microsoft 365 tenant that relays the mail, or send from a domain it already has.',
  },
  // ---- Telekom (T-Online) ----
  {
    provider: 't-online',
    label: '(BL)',
    re: /A problem occurred\..{0,160}\(BL\)|t-online\.de\b.{0,160}\(BL\)/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Telekom (T-Online) refuses connections from the sending IP (its own block list, marked BL).',
    action:
      "Ask Telekom to lift the block through https://postmaster.t-online.de/; they typically ask that the domain in the IP's reverse DNS name has a reachable website with contact details.",
  },
  // ---- Orange ----
  {
    provider: 'orange',
    label: 'OFR004_104',
    re: /OFR004_104|trop de connexions/i,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'Orange refuses the connection: too many simultaneous connections from the sending IP.',
    action:
      'Keep only a few parallel connections to Orange (Postfix per-destination concurrency for orange.fr and wanadoo.fr) and let retries run. See https://postmaster.orange.fr/',
  },
  {
    provider: 'orange',
    label: 'OFR_999 / OFR004_105 / service refused',
    re: /service refus[eé]|OFR_999|OFR004_105/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Orange temporarily refuses mail from the sending IP, typically after complaints or other reputation signals.',
    action:
      "Pause bulk mail to orange.fr and wanadoo.fr for a few hours, keep few connections, and check the IP at Orange's reputation provider (https://csi.cloudmark.com/en/reset/) and the guidelines at https://postmaster.orange.fr/ before raising volume again.",
  },
  // ---- Mimecast ----
  {
    provider: 'mimecast',
    label: '451 internal resource temporarily unavailable',
    re: /internal resource (?:is )?temporarily unavailable/i,
    cause: 'greylisted',
    distinctive: true,
    meaning:
      'Mimecast greylists senders it has not seen (IP, sender and recipient together); a poor IP reputation gives the same answer.',
    action:
      'Let the MTA retry: Mimecast accepts a retry from the same IP and envelope after a short wait. Changing envelope senders per message (VERP) restarts greylisting every time; if it never passes, the recipient admin can bypass the check for your IP.',
  },
  {
    provider: 'mimecast',
    label: '421 sender address blocked',
    re: /sender address blocked/i,
    cause: 'reputation-blocklist',
    meaning: "The Mimecast customer's blocked-senders policy holds your IP or address.",
    action:
      "Only the recipient organisation's Mimecast administrator can lift it: contact the recipient by another channel.",
  },
  // ---- Yahoo / AOL ----
  {
    provider: 'yahoo',
    label: 'TSS04 / TS01 / TS02',
    re: /\[?TSS04\]?|\[TS0[12]\]/,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'Yahoo temporarily defers mail from the IP for unexpected volume or user complaints.',
    action: `Slow down to Yahoo/AOL, drop unengaged recipients, join the Yahoo complaint feedback loop and check ${YAHOO_HUB}; retries go through once the rate is acceptable. Codes: ${YAHOO_CODES}`,
  },
  {
    provider: 'yahoo',
    label: 'TS03 / TSS09',
    re: /\[?TSS09\]?|\[TS03\]|permanently deferred/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Yahoo permanently defers the IP: retrying will not help.',
    action: `Stop sending to Yahoo/AOL from this IP, fix what caused complaints, then ask Yahoo Sender Support through ${YAHOO_HUB} to review the IP. Codes: ${YAHOO_CODES}`,
  },
  {
    provider: 'yahoo',
    label: 'TSS11',
    re: /\[?TSS11\]?|excessive unknown recipients/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Yahoo defers because too many of your recipients do not exist (a sign of an old or bought list).',
    action: `Remove unknown and inactive addresses (suppress every hard bounce), then retry. ${YAHOO_CODES}`,
  },
  {
    provider: 'yahoo',
    label: 'BL21 / BL22 / BL23',
    re: /\[BL2[123]\]/,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Yahoo refuses connections because the IP is on a public blocklist (BL21 Spamhaus, BL23 SpamCop).',
    action: `Get the IP delisted at the list named, then retry. ${YAHOO_CODES}`,
  },
  {
    provider: 'yahoo',
    label: '5.7.9 (policy)',
    re: /5\.7\.9 Message not accepted for policy reasons/i,
    cause: 'policy',
    meaning: 'Yahoo refused the message for policy reasons (content, authentication or reputation signals).',
    action: `Check SPF/DKIM/DMARC for the sending domain, the content and complaint rates; see ${YAHOO_CODES}`,
  },
  {
    provider: 'yahoo',
    label: '554.30 (disabled mailbox)',
    re: /This mailbox is disabled|554\.30/i,
    cause: 'mailbox-disabled',
    meaning: 'The Yahoo/AOL mailbox is disabled.',
    action: 'Suppress the address: disabled Yahoo accounts do not come back.',
  },
];
