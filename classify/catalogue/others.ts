/**
 * Apple, GMX/WEB.DE, Telekom, Orange, Comcast, Mail.ru, Yandex, Zoho and the filtering gateways
 * (Mimecast, Proofpoint, Barracuda, Cisco): their documented replies, in our words.
 */

import type { ProviderCode } from '../provider-codes.js';

const ICLOUD = 'https://smtp.codes/icloud';
const GMX = 'https://postmaster.gmx.com/en/error-messages';
const UNITED = 'https://smtp.codes/unitedinternet/';
const TONLINE = 'https://postmaster.t-online.de/index.en.html';
const ORANGE = 'https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/';
const COMCAST = 'https://postmaster.comcast.net/mail-error-codes.html';
const YANDEX = 'https://yandex.com/support/mail/bounces/yandex.html';
const ZOHO = 'https://smtp.codes/zoho';
const MIMECAST =
  'https://mimecastsupport.zendesk.com/hc/en-us/articles/34000709564691-Policies-Mimecast-SMTP-Error-Codes';
const PROOFPOINT = 'http://www.hunter.cuny.edu/icit/help-docs/archive/proofpoint/spam-interception';
const CISCO =
  'https://cisco.com/c/en/us/support/docs/security/email-security-appliance/200436-Identify-and-allow-poor-SenderBase-Reput.html';

export const OTHER_CODES: readonly ProviderCode[] = [
  // ---- Apple ----
  {
    provider: 'apple',
    label: '5.7.1 [CS01] Message rejected due to local policy',
    codes: ['5.7.1', 'CS01'],
    re: /\[CS0\d\] Message rejected due to local policy/i,
    cause: 'policy',
    distinctive: true,
    meaning:
      "iCloud's filters refused the message under their own policy (reputation, authentication or content together); the code names no single reason.",
    action:
      'Check SPF, DKIM and DMARC, the reputation of the sending IP and domain, and links in the content; if it persists, contact the iCloud postmaster with the full reply.',
    source: ICLOUD,
  },
  {
    provider: 'apple',
    label: '4.7.1 deferred due to excessive volume',
    codes: ['4.7.1'],
    re: /deferred due to excessive volume/i,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'The iCloud recipient is receiving more mail than iCloud accepts for now.',
    action: 'Nothing to fix on your side; lower the rate to iCloud if it happens for many recipients.',
    source: ICLOUD,
  },
  // ---- GMX / WEB.DE / mail.com ----
  {
    provider: 'united-internet',
    label: '554 IP address is block listed',
    codes: ['554'],
    cause: 'reputation-blocklist',
    meaning: 'GMX and WEB.DE refuse the connection because the sending IP is on a block list.',
    action:
      'Follow the case link in the reply (postmaster.gmx.net or postmaster.web.de): it names the list and offers a contact form once the cause is fixed.',
    source: GMX,
  },
  {
    provider: 'united-internet',
    label: '550 Requested action not taken: mailbox unavailable',
    codes: ['550'],
    cause: 'recipient-unknown',
    meaning: 'GMX and WEB.DE use this wording for an address that does not exist.',
    action: 'Suppress the address; GMX and WEB.DE do not reuse it soon.',
    source: UNITED,
  },
  {
    provider: 'united-internet',
    label: '550 Reject due to SPF policy',
    codes: ['550'],
    cause: 'authentication',
    meaning:
      "GMX and WEB.DE check SPF strictly: the originating IP is not permitted by the sender domain's record.",
    action: 'Publish the IP (ip4:) or your provider (include:) in that record.',
    source: UNITED,
  },
  // ---- Telekom (T-Online) ----
  {
    provider: 't-online',
    label: '554 ... (BL)',
    codes: ['BL'],
    re: /A problem occurred\..{0,160}\(BL\)|t-online\.de\b.{0,160}\(BL\)/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Telekom (T-Online) refuses connections from the sending IP: its own block list, which also holds IPs with no known reputation.',
    action:
      "Ask Telekom to lift the block through https://postmaster.t-online.de/; they ask that the domain in the IP's reverse DNS name has a reachable website with contact details.",
    source: TONLINE,
  },
  {
    provider: 't-online',
    label: '554 Dialup/transient IP not allowed (DIAL)',
    codes: ['DIAL'],
    re: /Dialup\/transient IP not allowed/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Telekom treats the sending IP as a dial-up or transient address.',
    action:
      'Send through a mail gateway with a static IP, or give the host name a website with contact details and write to Telekom as the reply says.',
    source: TONLINE,
  },
  // ---- Orange ----
  {
    provider: 'orange',
    label: 'OFR004_104',
    codes: ['OFR004_104'],
    re: /OFR004_104|trop de connexions/i,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'Orange refuses the connection: too many simultaneous connections from the sending IP.',
    action:
      'Keep only a few parallel connections to Orange (Postfix per-destination concurrency for orange.fr and wanadoo.fr). See https://postmaster.orange.fr/',
    source: ORANGE,
  },
  {
    provider: 'orange',
    label: 'OFR_999 / OFR004_105 / service refused',
    codes: ['OFR_999', 'OFR004_105'],
    re: /service refus[eé]|OFR_999|OFR004_105/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Orange temporarily refuses mail from the sending IP, typically after complaints or other reputation signals.',
    action:
      "Pause bulk mail to orange.fr and wanadoo.fr for a few hours, keep few connections, and check the IP at Orange's reputation provider (https://csi.cloudmark.com/en/reset/) and the guidelines at https://postmaster.orange.fr/ before raising volume again.",
    source: ORANGE,
  },
  {
    provider: 'orange',
    label: 'OFR_506 Mail rejete',
    codes: ['OFR_506'],
    re: /\bOFR_?506\b/i,
    cause: 'spam-content',
    distinctive: true,
    meaning: "Orange's filter refused the message after DATA as spam or malware.",
    action:
      'Review the content and links of the message, and check the complaint rate of the stream it belongs to.',
    source: 'https://doc.gadz.org/pages/diffpages.action?originalId=21791317&pageId=21792015',
  },
  // ---- Comcast ----
  {
    provider: 'comcast',
    label: 'BL000000-BL000111 / ES000001 / ES000010',
    codes: ['BL000000', 'BL000001', 'ES000001', 'ES000010'],
    re: /\bBL000[01]{3}\b|\bES0000[01]{2}\b/,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Comcast blocks the IP: spam-like sending patterns (BL000000), a listing on Spamhaus, Cloudmark or SenderScore (other BL codes), or a dynamic/residential address (ES codes).',
    action:
      'Follow the FAQ link in the reply: get delisted at the list it names, or send from a static IP with a proper PTR for ES codes.',
    source: COMCAST,
  },
  {
    provider: 'comcast',
    label: '421 Too many sessions opened',
    codes: ['421'],
    cause: 'rate-limited',
    meaning: 'Comcast allows a small number of simultaneous connections per IP.',
    action: 'Lower the per-destination concurrency for comcast.net.',
    source: 'http://security.comcast.net/get-help/Mail-Delivery-Error-Messages.aspx',
  },
  // ---- Yandex ----
  {
    provider: 'yandex',
    label: 'Policy rejection on the target address',
    codes: ['550'],
    re: /Policy rejection on the target address/i,
    cause: 'mailbox-disabled',
    distinctive: true,
    meaning: "Yandex blocked the recipient's account for violating its user agreement.",
    action: 'Reach the recipient another way; the account owner must unblock it at Yandex.',
    source: YANDEX,
  },
  {
    provider: 'yandex',
    label: 'Message rejected under suspicion of SPAM',
    codes: ['554'],
    cause: 'spam-content',
    meaning: "Yandex's filter judged the message spam.",
    action: 'Review content and list quality; Yandex publishes requirements for mailing lists.',
    source: YANDEX,
  },
  {
    provider: 'yandex',
    label: 'Mailbox size limit exceeded',
    codes: ['552'],
    cause: 'mailbox-full',
    meaning: 'The Yandex mailbox is full, usually because its owner rarely uses it.',
    action: 'Tell the recipient another way: Yandex keeps the mailbox full until its owner logs in.',
    source: YANDEX,
  },
  // ---- Mail.ru ----
  {
    provider: 'mailru',
    label: '550 spam message rejected',
    codes: ['550'],
    cause: 'spam-content',
    meaning: "Mail.ru's filter judged the message spam; the reply carries a link to ask for a review.",
    action: 'Open the link in the reply to request a review, and review the content and list quality.',
    source: 'https://errorsmaster.ru/oshibka-550-spam-message-rejected',
  },
  // ---- Zoho ----
  {
    provider: 'zoho',
    label: '5.4.1 Mail rejected by destination domain',
    codes: ['5.4.1'],
    re: /Mail rejected by destination domain|Mailbox delivery restricted by policy/i,
    cause: 'recipient-filtered',
    distinctive: true,
    meaning: 'The Zoho-hosted recipient domain has filters that refuse this message.',
    action: "Contact the recipient domain's administrator by another channel to adjust its filters.",
    source: ZOHO,
  },
  // ---- Mimecast ----
  {
    provider: 'mimecast',
    label: '451 Internal resource temporarily unavailable',
    codes: ['451'],
    re: /internal resource (?:is )?temporarily unavailable/i,
    cause: 'greylisted',
    distinctive: true,
    meaning:
      'Mimecast greylists senders it has not seen (IP, sender and recipient together); a poor IP reputation gives the same answer.',
    action:
      'Mimecast accepts a retry from the same IP and envelope after a short wait. Changing envelope senders per message (VERP) restarts greylisting every time; if it never passes, the recipient admin can bypass the check for your IP.',
    source: MIMECAST,
  },
  {
    provider: 'mimecast',
    label: '421 Sender address blocked',
    codes: ['421'],
    re: /sender address blocked/i,
    cause: 'reputation-blocklist',
    meaning: "The Mimecast customer's blocked-senders policy holds your IP or address.",
    action:
      "Only the recipient organisation's Mimecast administrator can lift it: contact the recipient by another channel.",
    source: MIMECAST,
  },
  {
    provider: 'mimecast',
    label: '550 Rejected by header based Anti-Spoofing policy',
    codes: ['550'],
    re: /Anti-Spoofing policy/i,
    cause: 'authentication',
    distinctive: true,
    meaning:
      "Mimecast's anti-spoofing policy refused a message that claims the recipient organisation's own domain from outside.",
    action:
      'If you send for that organisation (a third-party service), its Mimecast admin must allow your IP or authenticated domain.',
    source: MIMECAST,
  },
  // ---- Proofpoint ----
  {
    provider: 'proofpoint',
    label: '550 5.7.0 Local Policy Violation',
    codes: ['5.7.0'],
    re: /Local Policy Violation/i,
    cause: 'reputation-blocklist',
    meaning:
      'Proofpoint refuses mail from IPs on its real-time block list with this text (the policy is the IP reputation check).',
    action:
      'Look up the sending IP at https://ipcheck.proofpoint.com/ and request removal there once the cause is fixed.',
    source: PROOFPOINT,
  },
  // ---- Barracuda ----
  {
    provider: 'barracuda',
    label: '554 blocked using Barracuda Reputation',
    codes: ['554'],
    cause: 'reputation-blocklist',
    meaning: "The Barracuda gateway found the sending IP on Barracuda's reputation list (BRBL).",
    action:
      'Request removal at https://www.barracudacentral.org/rbl/removal-request once the cause is fixed.',
    source: 'http://tig.csail.mit.edu/wiki/TIG/EmailBlockedByBarracuda',
  },
  {
    provider: 'barracuda',
    label: '550 cuda_nsu 5.1.1 User unknown',
    codes: ['5.1.1'],
    cause: 'recipient-unknown',
    meaning:
      'The Barracuda gateway checked the recipient against the mail server behind it: it does not exist.',
    action: 'Suppress the address.',
    source: 'https://smtp.codes/550',
  },
  // ---- Cisco ----
  {
    provider: 'cisco',
    label: "554 rejected due to the sending MTA's poor reputation",
    codes: ['554'],
    cause: 'reputation-blocklist',
    meaning: "A Cisco Secure Email gateway refused the connection for the IP's SenderBase reputation score.",
    action:
      'Check the IP at https://talosintelligence.com/reputation_center and fix what lowers it; the recipient admin can also allow your IP.',
    source: CISCO,
  },
];
