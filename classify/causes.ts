/** What each cause id means for an admin and what to do about it: the text the dashboard, reports and alerts show. */

import { LOCAL_CAUSE_INFO } from './causes-local.js';
import type { Cause, FailureClass } from './types.js';

export interface CauseInfo {
  cause: Cause;
  title: string;
  meaning: string;
  /** Whose side the fix is usually on. */
  side: 'recipient' | 'sender' | 'remote' | 'network' | 'local' | 'unknown';
  /** What to do when our MTA sent the mail (delivery attempts), true whatever the class. */
  action: string;
  /** The first step when the failure is temporary (the MTA keeps the message and retries). */
  whenTemporary: string;
  /** The first step when the failure is permanent (the MTA returned the message). */
  whenPermanent: string;
  /** What to do when our MTA refused a remote client (rejects): we are the receiver. */
  inboundAction: string;
}

const RETRIES = 'The MTA keeps the message and retries it by itself.';

export const CAUSE_INFO: Readonly<Record<Cause, CauseInfo>> = {
  'recipient-unknown': {
    cause: 'recipient-unknown',
    title: 'Recipient does not exist',
    meaning:
      'The receiving server says there is no mailbox with this address (or it has moved without a forward).',
    side: 'recipient',
    action:
      'Once the refusal is final, stop mailing this address: add it to your suppression list. Check the local part and the domain for typos; if the person is real, ask them for their current address. Repeated sends to dead addresses hurt your reputation.',
    whenTemporary:
      'The receiver does not know the mailbox yet or right now; if the next tries say the same, treat the address as dead.',
    whenPermanent: 'The refusal is final: the address is dead.',
    inboundAction:
      'Our server refused mail for a mailbox that does not exist here. Nothing to do unless the address should exist (then add the mailbox or alias); many such rejects from one client are address harvesting.',
  },
  'domain-invalid': {
    cause: 'domain-invalid',
    title: 'Recipient domain cannot receive mail',
    meaning:
      'The recipient domain does not exist in DNS, publishes a null MX, or has no server that accepts mail for it.',
    side: 'recipient',
    action:
      'Check the domain for typos (gmial.com, hotmial.com ...) and look it up with `dig MX <domain>` and `dig A <domain>`. If the domain should work, its owner must fix its MX records.',
    whenTemporary:
      'The lookup may recover; if the domain still has no mail server after a day, treat its addresses as dead.',
    whenPermanent: 'NXDOMAIN or a null MX (`0 .`) means the address is dead: suppress it.',
    inboundAction:
      'We refused mail for a domain we do not serve or that does not resolve. If it should be ours, check the relay, virtual or local domain lists.',
  },
  'mailbox-full': {
    cause: 'mailbox-full',
    title: 'Recipient mailbox is full',
    meaning: 'The mailbox exists but is over its storage quota or message limit.',
    side: 'recipient',
    action:
      'Nothing to fix on your side. Large attachments make it worse: send links instead. A mailbox that stays full for weeks is probably abandoned.',
    whenTemporary: `${RETRIES} It goes through once the recipient clears space.`,
    whenPermanent:
      'The message was returned: resend it later, and suppress the address if it keeps coming back full.',
    inboundAction: 'A local mailbox is over quota: tell its owner or raise the quota.',
  },
  'mailbox-disabled': {
    cause: 'mailbox-disabled',
    title: 'Recipient account disabled',
    meaning: 'The account exists but is disabled, suspended, locked or inactive, so it accepts no mail.',
    side: 'recipient',
    action:
      'Reach the person by another channel. Inactive accounts are often recycled into spam traps, so do not keep mailing them.',
    whenTemporary: 'The account may be locked for a while; pause mailing it if the next tries say the same.',
    whenPermanent: 'Treat the address as inactive: suppress it.',
    inboundAction:
      'A local account is disabled, so mail to it is refused as configured. Re-enable it or set up a forward if mail should still arrive.',
  },
  'recipient-filtered': {
    cause: 'recipient-filtered',
    title: 'Refused by a recipient-side filter',
    meaning:
      'A filter or preference on the recipient side refused the message (often after DATA): a blocked sender, a group or list restriction, or a recipient rule.',
    side: 'recipient',
    action:
      'Check whether the recipient blocked your address or only accepts mail from approved senders (groups and lists often do), and ask them to allow your address or domain.',
    whenTemporary: 'A retry does not change a recipient rule; ask the recipient before it expires.',
    whenPermanent: 'Do not resend the same message unchanged.',
    inboundAction:
      'A local filter or user rule refused the message. Check that rule if the sender is legitimate.',
  },
  'sender-rejected': {
    cause: 'sender-rejected',
    title: 'Sender address refused',
    meaning:
      'The envelope sender (MAIL FROM) or its domain was refused: the domain does not resolve, the address is not verifiable, it may not post to that list, or it is blocked by the receiver.',
    side: 'sender',
    action:
      'Check the envelope sender your MTA uses: its domain must resolve (MX or A record) and the address should accept bounces. Avoid placeholder senders like root@localhost or unqualified host names (set myorigin or qualify_domain); for a list or group, the sender must be allowed to post.',
    whenTemporary: 'Fix the sender before the retries run out; the same sender will be refused again.',
    whenPermanent: 'Resend from a sender address the receiver accepts.',
    inboundAction:
      "We refused the client's envelope sender (unresolvable domain, failed verification or an access rule). If a legitimate sender is hit, review the sender restrictions for it.",
  },
  'reputation-blocklist': {
    cause: 'reputation-blocklist',
    title: 'Blocklisted or poor reputation',
    meaning: 'Our sending IP or domain is on a DNS blocklist or has a poor reputation with the receiver.',
    side: 'sender',
    action:
      'Look up your sending IP and domain on the list named in the reply (and at a multi-list checker). Find and stop the cause first (compromised account, open relay, bad list), then request delisting through the list or provider form, and watch complaint rates and list hygiene.',
    whenTemporary:
      'Retrying faster will not help: the block lifts only as the reputation recovers, so lower the volume to this receiver meanwhile.',
    whenPermanent: 'Resending is refused until the listing is gone.',
    inboundAction:
      'We refused a client listed on a DNS blocklist or with bad reputation: normal spam defence. If a legitimate sender is hit, allow-list its IP in the client access rules and tell it to get delisted.',
  },
  'reverse-dns': {
    cause: 'reverse-dns',
    title: 'Reverse DNS or HELO name problem',
    meaning:
      'The sending IP has no PTR record, its PTR does not resolve back to the IP, or the HELO/EHLO name is invalid or does not match.',
    side: 'sender',
    action:
      'Give the sending IP a PTR record (ask whoever owns the IP range) that names a host whose A/AAAA record points back to the same IP, and make the MTA announce that same fully qualified name in HELO/EHLO (Postfix smtp_helo_name, Exim helo_data).',
    whenTemporary: 'Retries fail the same way until the DNS is fixed.',
    whenPermanent: 'Resend once the PTR record is in place.',
    inboundAction:
      'We refused a client without valid reverse DNS or with a bad HELO name. If a legitimate server is hit, allow-list it or relax the hostname checks for it.',
  },
  authentication: {
    cause: 'authentication',
    title: 'SPF, DKIM or DMARC failed',
    meaning:
      'The receiver checked SPF, DKIM and/or DMARC for the sending domain and they failed or were missing.',
    side: 'sender',
    action:
      'Check that the sending IP is in the SPF record of the envelope domain, that outgoing mail is DKIM-signed with a published key, and that the From: domain aligns with SPF or DKIM as its DMARC policy requires. Read the Authentication-Results of a test message to a mailbox you control.',
    whenTemporary: 'Retries fail the same way until the records are fixed.',
    whenPermanent: 'Resend once SPF or DKIM passes for the From: domain.',
    inboundAction:
      "The client's message failed SPF, DKIM or DMARC here, usually spoofing. A legitimate sender must fix its records; allow-list it meanwhile if needed.",
  },
  'spam-content': {
    cause: 'spam-content',
    title: 'Judged spam or malware',
    meaning: 'The content scored as spam, carried a listed URL, or was found to contain a virus or malware.',
    side: 'sender',
    action:
      'Review what was sent: links to listed domains, URL shorteners, attachments, spammy wording, a missing unsubscribe link. Scan for malware, check whether an account was compromised, and test the message with a spam scorer.',
    whenTemporary: 'The same content will be judged the same way on the next try.',
    whenPermanent: 'Do not resend the message unchanged.',
    inboundAction:
      "Our content filter refused the message as spam or malware. If it was legitimate, check the filter's log and scores for a false positive.",
  },
  'message-format': {
    cause: 'message-format',
    title: 'Malformed message',
    meaning: 'The message breaks RFC 5322 or MIME rules (headers, encoding, 8-bit data, line length).',
    side: 'sender',
    action:
      'Inspect the raw message: exactly one From: (with one address), Date: and Message-ID:, no duplicated headers, 8-bit text properly encoded, lines under 998 characters. Fix the application or library that builds it.',
    whenTemporary: 'The same message fails again on every try.',
    whenPermanent: 'Resend only after the message is fixed.',
    inboundAction:
      'We refused a malformed message. The sending software must fix it; relax the header checks only for a known sender.',
  },
  'message-too-large': {
    cause: 'message-too-large',
    title: 'Message too large',
    meaning: 'The message exceeds a size limit of the receiving system or mailbox.',
    side: 'sender',
    action:
      'Send large files as links instead of attachments, or shrink them; base64 adds about a third to the size of attachments. Check your own message_size_limit too.',
    whenTemporary: 'The size will not change between tries.',
    whenPermanent: 'Resend a smaller message.',
    inboundAction:
      'The message exceeded our size limit. Raise the limit (Postfix message_size_limit) if such messages are expected.',
  },
  policy: {
    cause: 'policy',
    title: 'Refused by site policy',
    meaning: 'A policy or generic security rule of the receiving site refused the message.',
    side: 'remote',
    action:
      'Read the full reply text and any URL it gives; it usually names the rule. If it is unclear, contact the receiving postmaster (postmaster@ their domain) with the full reply, time and your sending IP.',
    whenTemporary: 'If the next tries are refused too, the rule is not a passing one.',
    whenPermanent: 'Resending unchanged meets the same rule.',
    inboundAction:
      'One of our own policy rules refused it; the reply text names the rule. Adjust the rule if it hit legitimate mail.',
  },
  'auth-required': {
    cause: 'auth-required',
    title: 'SMTP authentication required',
    meaning:
      'The server wants our client to authenticate (SMTP AUTH) first, or rejected the credentials given.',
    side: 'sender',
    action:
      'Enable SMTP authentication for this relay (Postfix smtp_sasl_auth_enable and smtp_sasl_password_maps), use the full address as user name, check the password, and use the submission port 587 with STARTTLS (or 465).',
    whenTemporary: 'Retries fail the same way until the client logs in.',
    whenPermanent: 'Resend once the client authenticates.',
    inboundAction:
      'A client tried to send without authenticating or with bad credentials. Repeated failures from one IP are usually password guessing: block it (for example with fail2ban).',
  },
  'relay-denied': {
    cause: 'relay-denied',
    title: 'Relaying denied',
    meaning: 'The server does not accept mail for that domain from us and will not pass it on.',
    side: 'sender',
    action:
      'Check the MX lookup and routing: you may be delivering to the wrong server (stale transport map, relayhost, or DNS). If that server is your smarthost, authenticate or get your IP added to its allowed networks.',
    whenTemporary: 'Retries go to the same server until the routing changes.',
    whenPermanent: 'Resend once the routing or the relay permission is fixed.',
    inboundAction:
      'We refused to relay for a client outside our networks, which is correct. If the client is ours, add it to the trusted networks or make it authenticate.',
  },
  'rate-limited': {
    cause: 'rate-limited',
    title: 'Rate limited',
    meaning:
      'Too many messages, recipients or connections in too short a time; the receiver asks us to slow down.',
    side: 'sender',
    action:
      'Slow down for that destination: lower concurrency and messages per connection (Postfix per-destination concurrency and rate delay) and spread bulk sends over time. Sudden volume spikes and complaints make limits stricter.',
    whenTemporary: `${RETRIES} It goes through once the rate drops.`,
    whenPermanent: 'The message was returned: resend it later at a lower rate.',
    inboundAction:
      'Our rate or connection limits refused a client sending too fast. Raise the limits for legitimate bulk senders only.',
  },
  greylisted: {
    cause: 'greylisted',
    title: 'Greylisted',
    meaning:
      'The receiver temporarily refuses mail from unknown senders and accepts it when the sender retries.',
    side: 'remote',
    action:
      'If the same message is greylisted for hours, check that each new attempt comes from the same IP and envelope sender (VERP or a pool of IPs restarts greylisting).',
    whenTemporary: `No action needed. ${RETRIES} The next attempt, usually minutes later, is normally accepted.`,
    whenPermanent:
      'A greylisting server should not refuse for good: resend, and ask its postmaster if it repeats.',
    inboundAction:
      'Our greylisting deferred an unknown client; legitimate servers retry and get through. Nothing to do.',
  },
  tls: {
    cause: 'tls',
    title: 'TLS problem',
    meaning:
      'STARTTLS was required, failed, or the certificate or TLS policy (MTA-STS, DANE, REQUIRETLS) did not fit.',
    side: 'network',
    action:
      "Test the handshake with `openssl s_client -starttls smtp -connect <mx>:25`. Check your client's TLS settings (protocols, ciphers, CA bundle) and any TLS policy or MTA-STS/DANE entry for that domain; if the remote certificate is broken, tell its postmaster.",
    whenTemporary: 'Retries fail the same way until one side changes its TLS setup.',
    whenPermanent: 'Resend once TLS works with that server.',
    inboundAction:
      'TLS failed with the client, or we required TLS and it did not use it. If many clients fail, check our certificate and TLS settings.',
  },
  network: {
    cause: 'network',
    title: 'Network or DNS failure',
    meaning:
      'The connection was refused, timed out or lost, DNS lookups failed temporarily, or the mail looped between servers.',
    side: 'network',
    action:
      'Test from this host: `dig MX <domain>`, then `nc -v <mx> 25`. Check outbound port 25 (many clouds block it), firewalls and your resolver; for loops, check MX and transport settings on both sides.',
    whenTemporary: `${RETRIES} Act only if it persists.`,
    whenPermanent: 'The message was returned: resend it once the destination answers.',
    inboundAction:
      'The connection with the client broke or a lookup failed during our checks; usually transient.',
  },
  'remote-error': {
    cause: 'remote-error',
    title: 'Remote server error',
    meaning:
      'The remote system failed, is full or misconfigured, or the SMTP dialogue broke down (protocol error).',
    side: 'remote',
    action:
      'The fault is usually on the receiving side: if it persists, contact the receiving postmaster with the full reply. For syntax or command errors, check your MTA and any proxy or filter in between.',
    whenTemporary: RETRIES,
    whenPermanent: 'The message was returned: resend it once the receiving side is fixed.',
    inboundAction:
      'Our server had a problem processing the transaction. Check its log for warnings and errors around that time.',
  },
  expired: {
    cause: 'expired',
    title: 'Gave up after retrying',
    meaning: 'The MTA retried until its maximum queue lifetime and then returned the message.',
    side: 'network',
    action:
      'Look at the deferral reason of the earlier attempts for this recipient: that is the real cause. Check that the domain has working MX hosts reachable on port 25.',
    whenTemporary: 'The message is still queued and will be returned when its lifetime ends.',
    whenPermanent: 'Resend once the cause is fixed.',
    inboundAction:
      'The message stayed in our queue until it expired. Look at the earlier deferrals for the reason.',
  },
  unclassified: {
    cause: 'unclassified',
    title: 'Unclassified',
    meaning: 'The reply does not carry enough information to tell the cause.',
    side: 'unknown',
    action:
      'Read the full reply text in the log; if it names a URL or code, follow it. Contact the receiving postmaster with the time, your sending IP and the full reply if it repeats.',
    whenTemporary: RETRIES,
    whenPermanent: 'The message was returned.',
    inboundAction: 'Read the full reject text in the log; it names the check that refused the client.',
  },
  ...LOCAL_CAUSE_INFO,
};

export function causeInfo(cause: Cause): CauseInfo {
  return CAUSE_INFO[cause];
}

/** The first step for a class: what the retry machinery does, so that no action contradicts its class. */
export function classStep(cause: Cause, klass: FailureClass | null): string | null {
  if (klass === 'temporary') return CAUSE_INFO[cause].whenTemporary;
  if (klass === 'permanent') return CAUSE_INFO[cause].whenPermanent;
  return null;
}
