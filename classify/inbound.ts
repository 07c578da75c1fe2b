/**
 * Rejects this server issued (Postfix smtpd, postscreen, cleanup and milter; Exim rejected
 * RCPT/MAIL/after DATA/local_scan): why we refused someone's mail, in the receiver's terms, and
 * what the receiving admin might do. Pure and total, like the classifier.
 */

import { findBlocklist } from './blocklists.js';
import { extractReplyCode, extractSpecificStatus } from './extract.js';
import { normReply, normStatus } from './reply-class.js';
import type { FailureClass, InboundCause } from './types.js';

export interface InboundCauseInfo {
  cause: InboundCause;
  title: string;
  meaning: string;
  /** What the receiving admin might do (never a sender-side step). */
  action: string;
}

export const INBOUND_CAUSE_INFO: Readonly<Record<InboundCause, InboundCauseInfo>> = {
  'client-blocklisted': {
    cause: 'client-blocklisted',
    title: 'Client on a blocklist',
    meaning:
      'The connecting client is listed on a DNS blocklist this server checks (postscreen, reject_rbl_client).',
    action:
      'Normal spam defence; check that none of these is a correspondent you want. A false positive from that list? Whitelist the client (a permit entry in the client access map or postscreen_access_list, before the DNSBL check).',
  },
  'client-reverse-dns': {
    cause: 'client-reverse-dns',
    title: 'Client without valid reverse DNS or HELO',
    meaning:
      'The client has no PTR record, a PTR that does not match, or announced a HELO name that is not valid.',
    action:
      'Mostly botnets and dial-up hosts. If a real mail server of a correspondent is hit, allow it in the client or HELO access map rather than relaxing the check for everyone.',
  },
  'sender-refused': {
    cause: 'sender-refused',
    title: 'Sender address refused',
    meaning:
      'The envelope sender was refused: its domain does not resolve, sender verification (callout) failed, or an access rule names it.',
    action:
      "Usually forged senders. If a correspondent is hit, check its domain's MX or A record; a cached callout failure expires by itself, or clear it from the callout cache after the sender fixes its server.",
  },
  'recipient-unknown-here': {
    cause: 'recipient-unknown-here',
    title: 'No such user here',
    meaning: 'Mail was addressed to a mailbox or alias that does not exist on this server.',
    action:
      'Nothing to do unless the address should exist: then add the mailbox or alias. Many of these from one client are address harvesting (consider postscreen or a rate limit for it).',
  },
  'relay-attempt': {
    cause: 'relay-attempt',
    title: 'Relay attempt refused',
    meaning: 'A client outside our networks tried to send through this server to a domain we do not handle.',
    action:
      'Correct refusal: an open relay would be abused. If the client is one of your own users or servers, make it authenticate (SASL) or add it to mynetworks.',
  },
  greylisting: {
    cause: 'greylisting',
    title: 'Greylisted',
    meaning: 'Our greylisting deferred a client it has not seen with this sender and recipient before.',
    action:
      'A greylist delay, nothing to do: real servers retry and get through. Only if a correspondent complains about delays, whitelist its IP range in the greylisting service.',
  },
  protocol: {
    cause: 'protocol',
    title: 'SMTP protocol violation',
    meaning:
      'The client broke the SMTP dialogue: it spoke before the greeting (pregreet), pipelined without permission, sent bad syntax or non-SMTP commands, or timed out.',
    action:
      'Almost always spam software; nothing to do. A real server hit by this has a broken or misconfigured MTA or a middlebox in the path.',
  },
  content: {
    cause: 'content',
    title: 'Refused for its content',
    meaning:
      'A header or body check, a milter, a content scanner or Exim local_scan refused the message (spam, virus, banned attachment).',
    action:
      "Check the filter's log for the score or rule. A false positive? Allow the sender in the filter (a whitelist entry or a lower score for its domain) rather than disabling the rule.",
  },
  'policy-here': {
    cause: 'policy-here',
    title: 'Refused by our policy',
    meaning:
      'One of our access rules refused it: an access map, an SPF or DMARC policy check, a size limit or a restriction class.',
    action:
      'The reject text names the rule. If it hit legitimate mail, adjust that rule or add an exception for the sender or client.',
  },
  'rate-here': {
    cause: 'rate-here',
    title: 'Client over our limits',
    meaning:
      'The client opened too many connections, sent too many recipients or messages, or made too many errors.',
    action:
      'Limits protect the server; nothing to do for unknown clients. For a legitimate bulk sender, raise its limits (smtpd_client_* or anvil settings, Exim ratelimit) for its IPs only.',
  },
  'other-inbound': {
    cause: 'other-inbound',
    title: 'Other refusal',
    meaning: 'This server refused the message for a reason not recognised here.',
    action: 'Read the full reject line; it names the check that refused the client.',
  },
};

export interface InboundInput {
  diagnostic?: string | null;
  replyCode?: number | null;
  enhancedStatus?: string | null;
  /** The program that logged the reject: smtpd, postscreen, cleanup (header/body checks, milters) ... */
  program?: string | null;
}

export interface InboundClassification {
  cause: InboundCause;
  class: FailureClass;
  replyCode: number | null;
  enhancedStatus: string | null;
  /** The blocklist the reject names, or null. */
  blocklist: string | null;
  action: string;
  reason: string;
}

interface InboundRule {
  cause: InboundCause;
  detects: string;
  re: RegExp;
}

// Ordered: the named check first (a blocklist hit beats the "Client host rejected" around it).
const RULES: readonly InboundRule[] = [
  {
    cause: 'greylisting',
    detects: 'a greylisting deferral',
    re: /gr[ae]y[- ]?list|postgrey|greylistd|try again later, (?:you are|sender) (?:is )?greylisted/i,
  },
  {
    cause: 'client-blocklisted',
    detects: 'a DNS blocklist hit on the client',
    re: /blocked using|\bDNSBL\b|\bRBL\b|listed (?:in|on|at) \S+\.\S+|spamhaus|spamcop|barracudacentral|\bsorbs\b|blocklisted|blacklisted/i,
  },
  {
    cause: 'relay-attempt',
    detects: 'a relay attempt',
    re: /relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited)|relay not permitted|relaying denied|not permitted to relay/i,
  },
  {
    cause: 'sender-refused',
    detects: 'a refused envelope sender',
    re: /Sender address rejected|sender verify failed|callout verification failure|\bcallout\b.{0,40}fail|rejected MAIL\b|Sender verification|sender domain .{0,40}(?:not|does not)|Domain of sender address|bad sender|unverified sender/i,
  },
  {
    cause: 'client-reverse-dns',
    detects: 'a client without valid reverse DNS or with a bad HELO name',
    re: /cannot find your (?:reverse )?hostname|reverse (?:DNS|hostname)|Helo command rejected: (?:Host not found|need fully-qualified|Invalid name)|invalid HELO|HELO .{0,40}(?:not a valid|invalid|forged)|not a fully.qualified|client host name|unknown\[[^\]]*\]: .{0,30}hostname/i,
  },
  {
    cause: 'recipient-unknown-here',
    detects: 'a recipient that does not exist here',
    re: /User unknown|unknown user|no such user|Unknown local part|Unrouteable address|undeliverable address|mailbox unavailable|does not exist|not found in (?:the )?(?:local|virtual)|invalid recipient|unknown recipient|Recipient address rejected: (?:User|Mailbox)/i,
  },
  {
    cause: 'rate-here',
    detects: 'a client over a connection, recipient or error limit',
    re: /too many (?:connections|recipients|messages|errors|invalid recipients|unknown recipients|concurrent|bad commands|authentication)|rate limit|ratelimit|Error: too much mail|exceeded (?:the )?(?:connection|message|recipient)/i,
  },
  {
    cause: 'protocol',
    detects: 'an SMTP protocol violation or timeout',
    re: /PREGREET|pipelining|synchroni[sz]ation error|protocol error|NON-SMTP COMMAND|BARE NEWLINE|HANGUP|Error: need (?:RCPT|MAIL)|send HELO\/EHLO first|Bad (?:sequence|command)|syntax error|Must issue a STARTTLS|command timeout|timeout after|lost connection after|improper command|SMTP command line too long/i,
  },
  {
    cause: 'content',
    detects: 'a header, body, milter or scanner verdict on the content',
    re: /milter-reject|header .{0,200}(?:rejected|not allowed)|body .{0,200}rejected|\bcontent\b|spam|virus|malware|infected|banned (?:attachment|file)|local_scan|after DATA|end-of-message|END-OF-MESSAGE|scored \d/i,
  },
  {
    cause: 'policy-here',
    detects: 'one of our access or policy rules',
    re: /Access denied|Client host rejected|Recipient address rejected|Helo command rejected|\bSPF\b|\bDMARC\b|\bDKIM\b|policy|message size exceeds|too (?:big|large)|not allowed|blocked|prohibited/i,
  },
];

const MAX_TEXT = 2000;

/** Classifies one reject this server issued. */
export function classifyInbound(input: InboundInput): InboundClassification {
  const safe: unknown = input;
  const o = (typeof safe === 'object' && safe !== null ? safe : {}) as InboundInput;
  const raw = typeof o.diagnostic === 'string' ? o.diagnostic : '';
  const text = raw.length > MAX_TEXT ? raw.slice(0, MAX_TEXT) : raw;
  const status = normStatus(o.enhancedStatus) ?? (text.length > 0 ? extractSpecificStatus(text) : null);
  const reply = normReply(o.replyCode) ?? (text.length > 0 ? extractReplyCode(text) : null);
  const digit = status?.charAt(0) ?? (reply !== null ? String(reply).charAt(0) : null);
  // A reject with no code is a refusal all the same.
  const klass: FailureClass = digit === '4' ? 'temporary' : 'permanent';
  const blocklist = text.length > 0 ? findBlocklist(text) : null;
  let rule = RULES.find((r) => r.re.test(text)) ?? null;
  // postscreen refuses for the client's behaviour before any content was sent.
  if (rule === null && typeof o.program === 'string' && /postscreen/i.test(o.program)) {
    rule = RULES.find((r) => r.cause === 'protocol') ?? null;
  }
  const cause: InboundCause = rule?.cause ?? (blocklist !== null ? 'client-blocklisted' : 'other-inbound');
  const info = INBOUND_CAUSE_INFO[cause];
  const action =
    cause === 'client-blocklisted' && blocklist !== null
      ? info.action.replace('that list', blocklist)
      : info.action;
  return {
    cause,
    class: klass,
    replyCode: reply,
    enhancedStatus: status,
    blocklist,
    action,
    reason: rule
      ? `The reject text shows ${rule.detects}.`
      : 'The reject text names no check this classifier knows.',
  };
}
