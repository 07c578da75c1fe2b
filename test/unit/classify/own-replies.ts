/**
 * Our own set of realistic replies, written here in the shapes real receivers use (addresses and IPs
 * from documentation ranges). It guards the rules against fitting only the Sisimai dev set.
 */

import type { Outcome, SmtpStage } from '../../../parsers/types.js';
import type { Cause } from '../../../classify/types.js';

export interface OwnReply {
  text: string;
  cause: Cause;
  reply?: number;
  status?: string;
  stage?: SmtpStage;
  host?: string;
  outcome?: Outcome;
  provider?: string;
  blocklist?: string;
}

export const OWN_REPLIES: readonly OwnReply[] = [
  // recipient-unknown
  {
    cause: 'recipient-unknown',
    stage: 'rcpt',
    text: '550 5.1.1 <jdoe@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
  },
  {
    cause: 'recipient-unknown',
    host: 'gmail-smtp-in.l.google.com',
    provider: 'google',
    text: "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-5a1c8e2f3b8si1234.12 - gsmtp",
  },
  {
    cause: 'recipient-unknown',
    host: 'eur.olc.protection.outlook.com',
    provider: 'microsoft',
    text: '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]',
  },
  {
    cause: 'recipient-unknown',
    host: 'mta7.am0.yahoodns.net',
    provider: 'yahoo',
    text: "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com",
  },
  { cause: 'recipient-unknown', stage: 'rcpt', text: '550 No Such User Here' },
  {
    cause: 'recipient-unknown',
    host: 'mx01.mail.icloud.com',
    provider: 'apple',
    text: '550 5.1.1 <nobody@icloud.com>: user does not exist',
  },
  { cause: 'recipient-unknown', text: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found' },
  {
    cause: 'recipient-unknown',
    text: '550 5.1.1 <info@example.de>: Recipient address rejected: Mailbox does not exist',
  },
  {
    cause: 'recipient-unknown',
    stage: 'rcpt',
    reply: 550,
    text: 'Requested action not taken: mailbox unavailable',
  },
  {
    cause: 'recipient-unknown',
    host: 'mx00.emig.gmx.net',
    provider: 'united-internet',
    text: '550 Requested action not taken: mailbox unavailable',
  },
  {
    cause: 'recipient-unknown',
    host: 'mxs.mail.ru',
    provider: 'mailru',
    text: '550 5.1.1 <x@mail.ru>: Recipient address rejected: User unknown',
  },
  { cause: 'recipient-unknown', text: '550 5.1.6 Recipient no longer on server; mailbox has moved' },
  { cause: 'recipient-unknown', status: '5.1.1', text: '' },

  // recipient-filtered
  { cause: 'recipient-filtered', stage: 'end-of-data', text: '550 5.1.1 User unknown' },
  { cause: 'recipient-filtered', text: '553 5.7.1 Sender blocked by recipient' },
  {
    cause: 'recipient-filtered',
    text: '550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group',
  },
  {
    cause: 'recipient-filtered',
    text: '554 5.7.1 <a@example.com>: Recipient address rejected: This recipient does not accept mail from you',
  },
  { cause: 'recipient-filtered', text: "550 Message rejected by the recipient's filter rules" },
  {
    cause: 'recipient-filtered',
    host: 'aspmx.l.google.com',
    text: '550-5.7.1 The user or domain that you are sending to (or from) has a policy that 550-5.7.1 prohibited the mail that you sent. - gsmtp',
  },

  // mailbox-full
  {
    cause: 'mailbox-full',
    text: '452-4.2.2 The email account that you tried to reach is over quota. Please direct 452-4.2.2 the recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp d75a77b69052e-1234 - gsmtp',
  },
  { cause: 'mailbox-full', text: '552 5.2.2 <x@example.org>: Recipient address rejected: Mailbox is full' },
  { cause: 'mailbox-full', text: '450 4.2.2 <x@example.net>: user is overquota' },
  { cause: 'mailbox-full', text: '552 5.2.2 Mailbox size limit exceeded' },
  {
    cause: 'mailbox-full',
    text: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
  },
  { cause: 'mailbox-full', text: 'mailbox is full: retry timeout exceeded' },
  { cause: 'mailbox-full', text: '552 5.2.2 <x@example.com> Quota exceeded (mailbox for user is full)' },

  // mailbox-disabled
  {
    cause: 'mailbox-disabled',
    provider: 'google',
    text: '550-5.2.1 The email account that you tried to reach is disabled. Learn more at 550 5.2.1 https://support.google.com/mail/?p=DisabledUser a1-20020a05600c.1 - gsmtp',
  },
  {
    cause: 'mailbox-disabled',
    host: 'mta5.am0.yahoodns.net',
    text: '554 30 Sorry, your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30).',
  },
  { cause: 'mailbox-disabled', text: '550 5.2.1 Mailbox disabled for this recipient - x@example.com' },
  { cause: 'mailbox-disabled', text: '550 5.7.13 Account suspended' },
  { cause: 'mailbox-disabled', text: '550 Recipient account is inactive' },
  { cause: 'mailbox-disabled', text: '550 5.2.1 <x@example.fr>: Recipient address rejected: inactive user' },

  // domain-invalid
  {
    cause: 'domain-invalid',
    status: '5.4.4',
    text: 'Host or domain name not found. Name service error for name=exmaple.com type=MX: Host not found',
  },
  { cause: 'domain-invalid', status: '5.1.10', text: 'Domain example.net does not accept mail (nullMX)' },
  { cause: 'domain-invalid', text: 'all relevant MX records point to non-existent hosts' },
  {
    cause: 'domain-invalid',
    stage: 'rcpt',
    text: '550 5.1.2 <x@nonexistent.example>: Recipient address rejected: Domain not found',
  },
  { cause: 'domain-invalid', text: '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain' },
  {
    cause: 'domain-invalid',
    text: '553 5.1.2 <x@example.xx>... Host unknown (Name server: example.xx: host not found)',
  },
  { cause: 'domain-invalid', text: '556 5.1.10 Recipient address has null MX' },

  // sender-rejected
  // An address between the words: the sender and its refusal stand further apart.
  {
    cause: 'sender-rejected',
    text: '553 5.7.1 Sender address <news@example.com> is not accepted by this system',
  },
  {
    cause: 'sender-rejected',
    stage: 'mail',
    text: '553 5.1.8 <bounce@mail.example.com>: Sender address rejected: Domain not found',
  },
  {
    cause: 'sender-rejected',
    text: '550 5.1.0 <root@localhost.localdomain>: Sender address rejected: need fully-qualified address',
  },
  {
    cause: 'sender-rejected',
    text: '550-Verification failed for <news@example.org> 550 Sender verify failed',
  },
  { cause: 'sender-rejected', text: '501 5.1.7 Bad sender address syntax' },
  {
    cause: 'sender-rejected',
    stage: 'mail',
    text: '550 5.7.1 <list@example.org>: Sender address rejected: Access denied',
  },
  { cause: 'sender-rejected', text: '550 5.1.8 Access denied, bad outbound sender.' },
  { cause: 'sender-rejected', stage: 'mail', text: '553 5.1.7 No such domain example.invalid' },

  // reputation-blocklist
  {
    cause: 'reputation-blocklist',
    text: '421 4.7.0 We have received an unusual volume of complaints about mail from your IP. Retry later',
  },
  {
    cause: 'reputation-blocklist',
    blocklist: 'zen.spamhaus.org',
    text: '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10',
  },
  {
    cause: 'reputation-blocklist',
    provider: 'microsoft',
    blocklist: 'Microsoft (S3150)',
    text: "550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM4PEPF00012345.eurprd04.prod.outlook.com]",
  },
  {
    cause: 'reputation-blocklist',
    text: '550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To request removal from this list please visit https://sender.office.com/ and follow the directions.',
  },
  {
    cause: 'reputation-blocklist',
    blocklist: 'spamhaus',
    provider: 'yahoo',
    text: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.20, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
  },
  {
    cause: 'reputation-blocklist',
    text: "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.",
  },
  {
    cause: 'reputation-blocklist',
    text: '550 5.7.1 Mail from 192.0.2.5 refused - see http://www.barracudacentral.org/reputation',
  },
  {
    cause: 'reputation-blocklist',
    blocklist: 'bl.spamcop.net',
    text: '554 5.7.1 Your IP 192.0.2.7 is listed in bl.spamcop.net',
  },
  {
    cause: 'reputation-blocklist',
    host: 'mx00.gmx.net',
    text: '554-gmx.net (mxgmx101) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed.',
  },
  {
    cause: 'reputation-blocklist',
    provider: 'comcast',
    text: '554 resimta-ch2-18v.sys.comcast.net comcast 192.0.2.1 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001',
  },
  {
    cause: 'reputation-blocklist',
    provider: 'google',
    text: '421-4.7.0 [192.0.2.44] Our system has detected that this message is 421-4.7.0 suspicious due to the very low reputation of the sending IP 421-4.7.0 address. - gsmtp',
  },
  {
    cause: 'reputation-blocklist',
    text: '554 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.33',
  },
  {
    cause: 'reputation-blocklist',
    stage: 'connect',
    text: '554 mx.example.net ESMTP not accepting messages from you',
  },

  // reverse-dns
  {
    cause: 'reverse-dns',
    stage: 'rcpt',
    text: '450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.44]',
  },
  {
    cause: 'reverse-dns',
    text: '550-5.7.25 [192.0.2.44] The IP address sending this message does not have a 550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not 550-5.7.25 point to the sending IP. - gsmtp',
  },
  {
    cause: 'reverse-dns',
    text: '504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname',
  },
  { cause: 'reverse-dns', text: '550 5.7.1 Client host rejected: cannot find your hostname, [192.0.2.9]' },
  { cause: 'reverse-dns', text: '554 5.7.1 Reverse DNS lookup failed for host 192.0.2.9' },
  { cause: 'reverse-dns', stage: 'helo', reply: 550, text: '550 Access denied' },

  // authentication
  {
    cause: 'authentication',
    text: "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if 550-5.7.26 this was a legitimate mail. - gsmtp",
  },
  {
    cause: 'authentication',
    text: '550 5.7.23 The message was rejected because of Sender Policy Framework violation',
  },
  {
    cause: 'authentication',
    text: '550 5.7.509 Access denied, sending domain [EXAMPLE.COM] does not pass DMARC verification and has a DMARC policy of reject.',
  },
  {
    cause: 'authentication',
    text: '550 5.7.1 SPF check failed: 192.0.2.1 is not allowed to send mail from example.com',
  },
  {
    cause: 'authentication',
    host: 'gmail-smtp-in.l.google.com',
    text: "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. Gmail requires all bulk senders to authenticate with SPF. 421 4.7.27 - gsmtp",
  },
  { cause: 'authentication', text: '550 5.7.1 Email rejected per DMARC policy for example.com' },
  {
    cause: 'authentication',
    host: 'mta6.am0.yahoodns.net',
    text: '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.',
  },

  // spam-content
  {
    cause: 'spam-content',
    host: 'alt1.gmail-smtp-in.l.google.com',
    text: '550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp',
  },
  { cause: 'spam-content', text: '554 5.7.1 Message rejected as spam by Content Filtering.' },
  { cause: 'spam-content', text: '550 5.7.1 Message content rejected, UBE, id=12345-01' },
  { cause: 'spam-content', text: '554 5.7.0 Reject, id=12345-07 - INFECTED: Eicar-Signature' },
  { cause: 'spam-content', text: '550 High probability of spam' },
  {
    cause: 'spam-content',
    text: '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Spam detected',
  },
  { cause: 'spam-content', text: '554 5.7.1 Spam message rejected' },

  // message-format
  {
    cause: 'message-format',
    text: '550 5.7.1 Messages with multiple addresses in From: header are not accepted.',
  },
  { cause: 'message-format', text: '554 5.6.0 Message contains invalid header' },
  { cause: 'message-format', text: '550 5.6.0 Lone CR or LF in headers (see RFC2822 section 2.2)' },
  { cause: 'message-format', text: '554 5.6.0 Message has no Date: header' },
  {
    cause: 'message-format',
    text: '550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant and include a valid From address',
  },
  {
    cause: 'message-format',
    text: '550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds',
  },

  // message-too-large
  { cause: 'message-too-large', text: '552 5.3.4 Message size exceeds fixed limit' },
  {
    cause: 'message-too-large',
    text: "552-5.2.3 Your message exceeded Google's message size limits. Please visit 552-5.2.3 https://support.google.com/mail/?p=MaxSizeError to view our size guidelines. - gsmtp",
  },
  { cause: 'message-too-large', text: '552 5.2.3 Message too large' },
  {
    cause: 'message-too-large',
    text: '550 5.3.4 SMTPSEND.SizeLimit; message exceeds fixed maximum message size',
  },
  { cause: 'message-too-large', text: '552 Message size exceeds maximum permitted' },

  // policy
  { cause: 'policy', text: '550 5.7.1 Message rejected due to local policy' },
  {
    cause: 'policy',
    text: '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes',
  },
  { cause: 'policy', text: '550 administrative prohibition' },
  { cause: 'policy', text: '550 5.7.1 Command rejected' },
  { cause: 'policy', text: '554 5.7.1 Access denied' },
  {
    cause: 'policy',
    text: '550 5.7.520 Access denied, Your organization does not allow external forwarding.',
  },

  // auth-required
  { cause: 'auth-required', text: '530 5.7.0 Authentication required' },
  {
    cause: 'auth-required',
    text: '535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp',
  },
  {
    cause: 'auth-required',
    text: '530 5.7.57 Client not authenticated to send mail. [BN6PR04CA0001.namprd04.prod.outlook.com]',
  },
  { cause: 'auth-required', text: '550 5.7.1 Relaying denied, authenticate first' },
  { cause: 'auth-required', text: '535 5.7.3 Authentication unsuccessful' },
  { cause: 'auth-required', text: '553 5.7.1 <x@example.com>: Sender address rejected: not logged in' },

  // relay-denied
  { cause: 'relay-denied', text: '554 5.7.1 <x@example.com>: Relay access denied' },
  { cause: 'relay-denied', text: '550 5.7.1 Unable to relay for x@example.com' },
  { cause: 'relay-denied', text: '550 relay not permitted' },
  { cause: 'relay-denied', text: '550 5.7.64 TenantAttribution; Relay Access Denied' },
  { cause: 'relay-denied', text: '550 Sorry, relaying denied from your location' },

  // rate-limited
  {
    cause: 'rate-limited',
    provider: 'yahoo',
    text: '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  },
  { cause: 'rate-limited', text: '421 4.7.0 Too many connections from your IP' },
  // A rate limit that names its wait is still a rate limit, not greylisting.
  {
    cause: 'rate-limited',
    text: '450 4.7.1 Too many messages from your IP in a short period, try again in 15 minutes',
  },
  { cause: 'greylisted', text: '451 4.7.1 Please try again in 5 minutes' },
  {
    cause: 'rate-limited',
    text: '450-4.2.1 The user you are trying to contact is receiving mail at a rate that 450-4.2.1 prevents additional messages from being delivered. - gsmtp',
  },
  {
    // Gmail's wording says rate limited, but it is a verdict on reputation (see the provider catalogue).
    cause: 'reputation-blocklist',
    host: 'gmail-smtp-in.l.google.com',
    text: '421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
  },
  { cause: 'rate-limited', text: '452 4.5.3 Too many recipients' },
  {
    cause: 'rate-limited',
    text: '451 4.7.500 Server busy. Please try again later from [192.0.2.9]. (S77719)',
  },
  { cause: 'rate-limited', text: '421 4.3.2 Connection rate limit exceeded' },
  { cause: 'rate-limited', text: '550 Ip frequency limited' },

  // greylisted
  {
    cause: 'greylisted',
    text: '450 4.2.0 <x@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
  },
  { cause: 'greylisted', text: '451 4.7.1 Greylisting in action, please come back later' },
  {
    cause: 'greylisted',
    text: '450 4.7.1 <x@example.org>: Recipient address rejected: Greylisting in effect, please come back later',
  },
  { cause: 'greylisted', text: '451 Temporary rejection: your host is greylisted, please try again later' },
  { cause: 'greylisted', text: '451 4.7.1 Greylisted, please try again later' },
  { cause: 'greylisted', text: '421 4.7.0 Message deferred, greylisting' },

  // tls
  { cause: 'tls', text: '530 5.7.0 Must issue a STARTTLS command first' },
  { cause: 'tls', text: '454 4.7.0 TLS not available due to local problem' },
  {
    cause: 'tls',
    outcome: 'deferred',
    text: 'TLS is required, but was not offered by host mx.example.com[192.0.2.1]',
  },
  { cause: 'tls', outcome: 'deferred', text: 'Cannot start TLS: handshake failure' },
  {
    cause: 'tls',
    host: 'gmail-smtp-in.l.google.com',
    text: "421-4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection. - gsmtp",
  },
  { cause: 'tls', text: '550 5.7.30 REQUIRETLS support required' },

  // network
  {
    cause: 'network',
    outcome: 'deferred',
    text: 'connect to mx.example.com[192.0.2.1]:25: Connection timed out',
  },
  {
    cause: 'network',
    outcome: 'deferred',
    text: 'connect to mx.example.com[192.0.2.1]:25: Connection refused',
  },
  {
    cause: 'network',
    outcome: 'deferred',
    text: 'lost connection with mx.example.com[192.0.2.1] while receiving the initial server greeting',
  },
  {
    cause: 'network',
    outcome: 'deferred',
    text: 'Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again',
  },
  { cause: 'network', outcome: 'bounced', text: 'mail for example.com loops back to myself' },
  {
    cause: 'network',
    outcome: 'deferred',
    text: 'conversation with mx.example.com[192.0.2.1] timed out while sending RCPT TO',
  },

  // remote-error
  { cause: 'remote-error', text: '451 4.3.0 Error: queue file write error' },
  { cause: 'remote-error', text: '451 4.3.5 Server configuration problem' },
  { cause: 'remote-error', text: '421 4.3.2 System not accepting network messages' },
  { cause: 'remote-error', text: '500 5.5.1 Command unrecognized' },
  { cause: 'remote-error', text: '451 Temporary local problem - please try later' },
  { cause: 'remote-error', text: '554 5.3.0 Internal server error' },

  // expired
  { cause: 'expired', outcome: 'expired', text: '' },
  { cause: 'expired', text: 'retry timeout exceeded' },
  { cause: 'expired', text: 'Message expired: unable to deliver in 840 minutes.' },
  { cause: 'expired', text: '550 4.4.7 QUEUE.Expired; message expired' },
  { cause: 'expired', text: 'Envelope expired' },
  {
    cause: 'expired',
    outcome: 'expired',
    text: 'delivery temporarily suspended: host mx.example.com[192.0.2.1] refused to talk to me: 421 Try later',
  },

  // A second batch, written after the rules, to check they generalise to other MTAs' wording.
  { cause: 'recipient-unknown', text: 'Sorry, no mailbox here by that name. (#5.1.1)' },
  { cause: 'recipient-unknown', text: 'This address no longer accepts mail.' },
  { cause: 'domain-invalid', text: "Sorry, I couldn't find any host named example.invalid. (#5.1.2)" },
  { cause: 'network', text: 'Connected to 192.0.2.1 but connection died. (#4.4.2)' },
  { cause: 'relay-denied', text: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)" },
  { cause: 'mailbox-full', text: 'user is over quota' },
  { cause: 'network', text: '451 4.4.1 reply: read error from mx.example.com.' },
  { cause: 'expired', text: 'Cannot send message for 5 days' },
  { cause: 'remote-error', text: '554 5.3.0 unknown mailer error 1' },
  { cause: 'network', text: 'MX list for example.com. points back to mx.example.com' },
  { cause: 'network', text: '554 5.4.6 Too many hops 26 (25 max)' },
  { cause: 'domain-invalid', text: 'Unrouteable address' },
  { cause: 'expired', text: 'retry time not reached for any host after a long failure period' },
  {
    cause: 'remote-error',
    text: 'Child process of local_delivery transport returned 69 (could mean service or program unavailable)',
  },
  { cause: 'network', text: 'Remote host closed connection in response to end of data' },
  { cause: 'recipient-unknown', text: '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##' },
  { cause: 'mailbox-full', text: '554 5.2.2 STOREDRV.Deliver: mailbox full' },
  { cause: 'network', text: '554 5.4.14 Hop count exceeded - possible mail loop ATTR34' },
  { cause: 'recipient-unknown', text: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)' },
  { cause: 'recipient-unknown', text: '552 1 Requested mail action aborted, mailbox not found' },
  { cause: 'mailbox-disabled', text: 'The user(s) account is disabled.' },
  { cause: 'authentication', text: '550 5.7.1 Unauthenticated email is not accepted from this domain' },
  { cause: 'spam-content', text: '554 5.7.1 Message rejected because of unacceptable content' },
  { cause: 'mailbox-full', text: 'Your message to x@example.com was automatically rejected: Quota exceeded' },
  {
    cause: 'domain-invalid',
    text: 'Technical details of permanent failure: DNS Error: Domain name not found',
  },
  {
    cause: 'network',
    text: 'The recipient server did not accept our requests to connect. [mx.example.com. 192.0.2.2: timed out]',
  },
  { cause: 'recipient-unknown', text: '550 5.1.1 <x@example.jp>... User unknown' },
  { cause: 'mailbox-disabled', text: '550 5.2.1 <x@example.jp>... Mailbox disabled for this recipient' },
  { cause: 'recipient-unknown', text: '550 Invalid recipient <x@example.com>' },
  { cause: 'recipient-unknown', text: 'RCPT TO:<x@example.org> 550 Recipient not found' },
  { cause: 'sender-rejected', text: '553 5.1.7 The sender address <root> is not a valid RFC-5321 address.' },
  {
    cause: 'reputation-blocklist',
    text: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation, http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.1',
  },
  { cause: 'reputation-blocklist', text: '421 4.7.0 192.0.2.1 is listed on the UCEPROTECT-Level1 list' },
  {
    cause: 'reputation-blocklist',
    text: '550 5.7.1 Email rejected because 192.0.2.1 is listed by bl.spamcop.net',
  },
  {
    cause: 'reputation-blocklist',
    text: '554 5.7.1 Your mail server 192.0.2.1 has been blocked due to spam complaints',
  },
  {
    cause: 'rate-limited',
    text: '421 4.7.0 Try again later, closing connection. Too many messages in this session',
  },
  { cause: 'rate-limited', text: '450 4.7.1 Sender rate limit exceeded' },
  { cause: 'greylisted', text: '450 4.7.1 Please retry later, you are greylisted for 300 seconds' },
  { cause: 'tls', text: '454 4.7.0 TLS required but not supported' },
  { cause: 'auth-required', text: '530 5.5.1 Authentication Required.' },
  { cause: 'message-too-large', text: '552 5.3.4 Message too big for system' },
  { cause: 'message-format', text: '550 5.6.0 Message header size exceeds limit' },
  { cause: 'policy', text: '550 5.7.1 Delivery not authorized, message refused' },
  { cause: 'spam-content', text: '550 5.7.1 This message was classified as SPAM and may not be delivered' },
  {
    cause: 'spam-content',
    text: '554 5.7.1 The message was rejected because it contains prohibited virus or spam content',
  },
  { cause: 'mailbox-disabled', text: '550 5.7.1 Recipient is inactive' },
  { cause: 'remote-error', text: '451 4.3.0 Mail server temporarily rejected message.' },
  { cause: 'remote-error', text: '421 Service not available, closing transmission channel' },
  { cause: 'reverse-dns', text: '550 5.7.1 Access denied. IP name lookup failed [192.0.2.1]' },
  { cause: 'reverse-dns', text: '421 Cannot resolve your hostname, try again later' },
  {
    cause: 'sender-rejected',
    text: '550 5.7.1 <x@example.com>: Sender address rejected: not owned by user y@example.com',
  },
  { cause: 'recipient-unknown', text: '550 #5.1.0 Address rejected x@example.com' },
  {
    cause: 'rate-limited',
    text: '451 4.7.652 The mail server [192.0.2.3] has exceeded the maximum number of connections. (S3115)',
  },
  {
    cause: 'reputation-blocklist',
    text: "550-5.7.1 [192.0.2.5] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. - gsmtp",
  },
  {
    cause: 'reputation-blocklist',
    stage: 'connect',
    text: '554-web.de (mxweb112) Nemesis ESMTP Service not available 554-No SMTP service 554-Reject due to policy restrictions. 554 For explanation visit https://postmaster.web.de/error-messages?ip=192.0.2.9&c=rbl',
  },
  // Postfix and Exim wording of their own (not the remote's) failures.
  { cause: 'tls', outcome: 'deferred', text: 'Server certificate not verified' },
  {
    cause: 'auth-required',
    outcome: 'deferred',
    text: 'SASL authentication failed; server mail.example.net[192.0.2.4] said: 535 5.7.8 Error: authentication failed',
  },
  {
    cause: 'network',
    outcome: 'deferred',
    text: 'lost connection with mx.example.com[192.0.2.1] while sending end of data -- message may be sent more than once',
  },
  {
    cause: 'remote-error',
    outcome: 'deferred',
    text: 'smtp transport process returned non-zero status 0x000b: terminated by signal 11',
  },
  { cause: 'network', outcome: 'bounced', text: 'Too many "Received" headers - suspected mail loop' },
  {
    cause: 'mailbox-full',
    outcome: 'bounced',
    text: 'mailbox is full (MTA-imposed quota exceeded while writing to tmp/1700000000.P123.host)',
  },
  {
    cause: 'message-too-large',
    outcome: 'bounced',
    text: 'message size 31457280 exceeds size limit 26214400 of server mx.example.com[192.0.2.1]',
  },
  { cause: 'recipient-unknown', outcome: 'bounced', text: 'unknown user: "alice"' },
  // A third batch: wordings from many receivers' bounce texts, written after the rules.
  { cause: 'recipient-unknown', text: '550 5.1.1 <x@example.jp>: Recipient address rejected: Invalid user' },
  { cause: 'recipient-unknown', text: '550 sorry, no mailbox here by that name (#5.7.17)' },
  { cause: 'recipient-unknown', text: '550 Mailbox not present' },
  { cause: 'recipient-unknown', text: '550 5.1.1 this user does not exist' },
  { cause: 'recipient-unknown', text: '550 5.1.1 Sorry, badrcptto' },
  { cause: 'recipient-unknown', text: 'vdeliver: Invalid or unknown virtual user' },
  { cause: 'recipient-unknown', text: '550 Destination addresses were unknown' },
  { cause: 'recipient-unknown', text: '550 Address unknown' },
  { cause: 'recipient-unknown', text: '550 There is no one at this address' },
  { cause: 'domain-invalid', text: '550 5.1.2 <x@example.jp>: Recipient address rejected: Domain not found' },
  { cause: 'domain-invalid', text: 'Name or service not known' },
  { cause: 'domain-invalid', text: '553 5.1.2 Recipient domain must exist' },
  { cause: 'mailbox-full', text: '552 5.2.2 Delivery failed: Over quota' },
  { cause: 'mailbox-full', text: '550 5.2.2 mailfolder is full' },
  { cause: 'mailbox-full', text: '452 4.2.2 User has too many messages on the server' },
  { cause: 'mailbox-full', text: '552 5.2.2 recipient reached disk quota' },
  { cause: 'mailbox-disabled', text: '550 5.2.1 Account suspended' },
  { cause: 'mailbox-disabled', text: '550 5.2.1 This account has been disabled or discontinued' },
  { cause: 'mailbox-disabled', text: '550 5.7.1 mailbox currently suspended' },
  { cause: 'mailbox-disabled', text: '550 User suspended' },
  { cause: 'recipient-filtered', text: '550 5.7.1 Refused due to recipient preferences' },
  { cause: 'recipient-filtered', text: '550 You have been blocked by the recipient' },
  { cause: 'sender-rejected', text: '553 5.1.8 Domain of sender address x@example.invalid does not exist' },
  { cause: 'sender-rejected', text: '550 5.7.1 sender is in my badmailfrom list' },
  { cause: 'sender-rejected', text: '550 Unroutable sender address' },
  {
    cause: 'reputation-blocklist',
    text: '550 5.7.1 Connections not accepted from IP addresses on Spamhaus XBL',
  },
  { cause: 'reputation-blocklist', text: '554 5.7.1 You are not allowed to connect.' },
  { cause: 'reputation-blocklist', text: '550 Your remotehost looks suspiciously like spammer' },
  { cause: 'reputation-blocklist', text: '554 We do not accept mail from dynamic IPs' },
  {
    cause: 'reputation-blocklist',
    text: '550 5.7.1 Mail refused - 192.0.2.1 - See http://www.dnsbl.example.org/',
  },
  { cause: 'spam-content', text: '550 5.7.1 Message considered as spam or virus' },
  { cause: 'spam-content', text: '554 Rejected: SpamAssassin score 12.3' },
  { cause: 'spam-content', text: '550 Your message has triggered a SPAM block' },
  { cause: 'spam-content', text: '554 Transaction failed spam message not queued' },
  { cause: 'policy', text: '550 5.7.1 Message rejected by the policy of example.com' },
  { cause: 'policy', text: '552 5.7.0 an illegal attachment on your message' },
  { cause: 'relay-denied', text: '550 we do not relay' },
  { cause: 'relay-denied', text: '550 5.7.1 This system is not configured to relay mail' },
  { cause: 'auth-required', text: '530 5.7.1 Authentication turned on in your email client' },
  { cause: 'rate-limited', text: '452 4.3.2 All available IPs are at maximum connection limit' },
  { cause: 'rate-limited', text: '421 4.7.0 Too many concurrent SMTP connections' },
  { cause: 'rate-limited', text: '450 4.7.1 Please try again slower' },
  { cause: 'rate-limited', text: '554 Throttling failure: Maximum sending rate exceeded.' },
  { cause: 'tls', text: '530 5.7.0 STARTTLS is required to send mail' },
  { cause: 'network', text: '421 4.4.2 Connection dropped' },
  { cause: 'network', text: 'Hop count exceeded - possible mail loop' },
  { cause: 'network', text: 'Malformed name server reply' },
  { cause: 'expired', text: 'Delivery expired (message too old)' },
  { cause: 'expired', text: 'Message timed out' },
  { cause: 'remote-error', text: '451 4.3.0 Local configuration error' },
  { cause: 'remote-error', text: '421 4.3.0 Interrupted system call' },
  { cause: 'message-too-large', text: '552 5.3.4 Message too big' },
  { cause: 'message-too-large', text: '552 Max message size exceeded' },
  {
    cause: 'message-format',
    text: '554 5.6.0 Message contains bare LF and is violating 822.bis section 2.3',
  },
  {
    cause: 'reverse-dns',
    text: '550 5.7.1 Please get a custom reverse DNS name from your ISP for your host',
  },
  { cause: 'reverse-dns', text: '450 4.7.1 No matches to nameserver query' },
  { cause: 'authentication', text: '550 5.7.1 DKIM failure' },
  { cause: 'authentication', text: '550 5.7.1 SPF fail - not authorized' },
  // Current wording of large receivers (2024-2025).
  {
    cause: 'reputation-blocklist',
    text: '550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/192.0.2.1 (AS3130). [BN8NAM11FT012.eop-nam11.prod.protection.outlook.com]',
  },
  { cause: 'rate-limited', text: '451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS8)' },
  { cause: 'spam-content', text: '550 5.7.350 Remote server returned message detected as spam' },
  {
    cause: 'sender-rejected',
    text: '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.',
  },
  {
    cause: 'reputation-blocklist',
    host: 'aspmx.l.google.com',
    text: '550-5.7.1 [192.0.2.1] Gmail has detected that this message is likely suspicious due to the very low reputation of the sending domain.',
  },
  {
    cause: 'authentication',
    text: "421-4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message.",
  },
  { cause: 'tls', text: '421-4.7.0 TLS required for RCPT domain, closing connection.' },
  { cause: 'authentication', text: "550 5.7.1 Your message was rejected due to example.com's DMARC policy." },
  {
    cause: 'policy',
    text: '554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
  },
  {
    cause: 'policy',
    text: '554-Transaction failed 554-Reject due to policy restrictions. 554 For explanation visit https://postmaster.gmx.net/en/case?c=hi&i=ip&v=192.0.2.1&r=1',
  },
  {
    cause: 'reputation-blocklist',
    text: '554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)',
  },
  { cause: 'recipient-unknown', text: '550 5.1.1 <x@t-online.de> user unknown' },
  {
    cause: 'mailbox-full',
    text: '552 5.2.2 <x@example.de> Mailbox is full / Blocks limit exceeded / Inode limit exceeded',
  },
  { cause: 'reputation-blocklist', text: '550 5.7.1 Rejected: 192.0.2.1 listed at zen.spamhaus.org' },
  { cause: 'sender-rejected', text: '550 5.7.27 Sender address has null MX' },
  {
    cause: 'authentication',
    host: 'gmail-smtp-in.l.google.com',
    text: '550 5.7.27 The sender does not meet basic SPF requirements',
  },
  {
    cause: 'rate-limited',
    host: 'smtp-in.orange.fr',
    text: '421 mwinf5c10 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR004_104 [104]',
  },
  {
    cause: 'reputation-blocklist',
    host: 'smtp-in.orange.fr',
    text: '421 mwinf5c40 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]',
  },
  {
    cause: 'greylisted',
    host: 'eu-smtp-inbound-1.mimecast.com',
    provider: 'mimecast',
    text: '451 Internal resource is temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [Xy2kQ0aBc.eu12]',
  },
  // Our own server's rejects of remote clients (Postfix and Exim wording).
  {
    cause: 'remote-error',
    text: '503 5.5.0 <DATA>: Data command rejected: Improper use of SMTP command pipelining',
  },
  {
    cause: 'reverse-dns',
    text: 'rejected EHLO from [192.0.2.50]: syntactically invalid argument(s): _bad_name_',
  },
  { cause: 'sender-rejected', text: 'rejected RCPT <a@example.org>: Sender verify failed' },
  {
    cause: 'sender-rejected',
    text: 'sender verify fail for <news@example.net>: all relevant MX records point to non-existent hosts',
  },
  {
    cause: 'remote-error',
    text: 'SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection',
  },
  {
    cause: 'policy',
    host: 'gmail-smtp-in.l.google.com',
    text: '421-4.7.0 Try again later, closing connection. (EHLO) a1-20020a17090a - gsmtp',
  },
  { cause: 'recipient-unknown', text: 'User not listed in public Name & Address Book' },
  { cause: 'recipient-unknown', text: 'Unable to deliver: the recipient is not in the Domino directory' },
  { cause: 'expired', text: 'Delivery attempts will continue to be made for 4 day(s)' },
  {
    cause: 'network',
    text: 'Your message could not be delivered because the destination server was unreachable',
  },
];
