/** The classifier: one reply (codes, text, stage, remote host, outcome) in, class, cause, provider and action out. */

import type { Outcome, SmtpStage } from '../parsers/types.js';
import { findBlocklist, blocklistInfo } from './blocklists.js';
import { gates, scanText } from './dispatch.js';
import { CAUSE_INFO } from './causes.js';
import { BASIC_BY_CODE } from './codes-basic.js';
import { ENHANCED_BY_KEY } from './codes-enhanced.js';
import { extractReplyCode, extractSpecificStatus, extractStage } from './extract.js';
import { PROVIDER_CODES, type ProviderCode } from './provider-codes.js';
import {
  providerFromDomain,
  providerFromHost,
  providerFromMarkers,
  providerFromTextHost,
  providerInfo,
} from './providers.js';
import { STRONG_RULES, WEAK_RULES, matchRule } from './rules.js';
import type { Cause, Classification, ClassifyInput, FailureClass } from './types.js';

/** Longest text the rules look at: replies beyond this are noise, and it bounds regex work. */
const MAX_TEXT = 2000;

const statusRe = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
const SUCCESS_ACTION = 'Delivered: nothing to do.';
const STAGES: ReadonlySet<string> = new Set(['connect', 'helo', 'mail', 'rcpt', 'data', 'end-of-data']);
const OUTCOMES: ReadonlySet<string> = new Set(['sent', 'deferred', 'bounced', 'expired']);

const temporaryWordsRe = /temporar|try (?:again )?later|will (?:be )?retr|deferred|delayed|greylist/i;
const finalWordsRe =
  /giving up|gave up|not going to try again|expired|permanent|could not be delivered|undeliverable/i;
// Multi-line replies joined into one line repeat "550-5.7.1" in the middle of sentences.
const continuationRe = /\s[245]\d\d(?:[- ]#?[245]\.\d{1,3}\.\d{1,3}|-)(?=\s|\S)/g;
const dnsWordsRe = /\bDNS\b|lookup|name service|resolv|name ?server/i;

function normStatus(s: unknown): string | null {
  if (typeof s !== 'string' || s.length > 11) return null;
  const t = s.trim();
  return statusRe.test(t) ? t : null;
}

function normReply(n: unknown): number | null {
  if (typeof n === 'number' && Number.isInteger(n) && n >= 200 && n <= 599) return n;
  if (typeof n === 'string' && /^[2-5]\d\d$/.test(n)) return Number(n);
  return null;
}

function classOfDigit(d: string | number): FailureClass | null {
  const c = typeof d === 'number' ? Math.floor(d / 100) : d.charCodeAt(0) - 48;
  if (c === 2 || c === 3) return 'success';
  if (c === 4) return 'temporary';
  if (c === 5) return 'permanent';
  return null;
}

function classOfOutcome(o: Outcome | null): FailureClass | null {
  if (o === 'sent') return 'success';
  if (o === 'deferred' || o === 'expired') return 'temporary';
  if (o === 'bounced') return 'permanent';
  return null;
}

function isGeneric(status: string): boolean {
  return status.endsWith('.0.0');
}

/** The enhanced status that says the most: a specific one wins over x.0.0. */
function mostSpecific(a: string | null, b: string | null, c: string | null): string | null {
  if (a && !isGeneric(a)) return a;
  if (b && !isGeneric(b)) return b;
  if (c && !isGeneric(c)) return c;
  return a ?? b ?? c;
}

function describeConflict(
  status: string | null,
  statusClass: FailureClass | null,
  dsn: string | null,
  dsnClass: FailureClass | null,
  reply: number | null,
  replyClass: FailureClass | null,
  outcome: Outcome | null,
  outcomeClass: FailureClass | null,
): string | null {
  const parts: string[] = [];
  if (status && statusClass) parts.push(`enhanced status ${status} is ${statusClass}`);
  if (dsn && dsnClass && dsn !== status) parts.push(`dsn ${dsn} is ${dsnClass}`);
  if (reply !== null && replyClass) parts.push(`reply ${reply} is ${replyClass}`);
  if (outcome && outcomeClass) parts.push(`outcome ${outcome} is ${outcomeClass}`);
  const classes = [statusClass, dsn !== status ? dsnClass : null, replyClass, outcomeClass].filter(
    (c): c is FailureClass => c !== null,
  );
  for (let i = 1; i < classes.length; i++) if (classes[i] !== classes[0]) return parts.join(', ');
  return null;
}

function providerCodeFor(provider: string | null, probe: string): ProviderCode | null {
  for (let i = 0; i < PROVIDER_CODES.length; i++) {
    const pc = PROVIDER_CODES[i]!;
    if ((pc.provider === provider || pc.distinctive === true) && gates.providerCodes(i) && pc.re.test(probe))
      return pc;
  }
  return null;
}

function codeCause(status: string | null, strongOnly: boolean, provider: string | null): Cause | null {
  if (!status) return null;
  const entry = ENHANCED_BY_KEY.get(status.slice(2));
  if (!entry) {
    // Unregistered detail (provider-specific such as 5.7.606): fall back to the subject.
    if (strongOnly) return null;
    const subject = ENHANCED_BY_KEY.get(`${status.charAt(2)}.0`);
    return subject && subject.causes[0] !== 'unclassified' ? subject.causes[0]! : null;
  }
  if (strongOnly && entry.weak === true) return null;
  const first = entry.causes[0]!;
  if (first === 'unclassified') return null;
  // Microsoft uses 5.1.10 for unknown recipients rather than null MX.
  if (entry.code === 'X.1.10' && provider === 'microsoft') return 'recipient-unknown';
  // X.4.4 is a dead domain only when permanent.
  if (entry.code === 'X.4.4' && status.charAt(0) === '4') return 'network';
  return first;
}

function basicCause(reply: number | null, stage: SmtpStage | null): Cause | null {
  if (reply === null) return null;
  if (reply === 550 || reply === 553) {
    if (stage === 'rcpt') return 'recipient-unknown';
    if (stage === 'mail') return 'sender-rejected';
    if (stage === 'connect') return 'reputation-blocklist';
    if (stage === 'helo') return 'reverse-dns';
    return 'policy';
  }
  if (reply === 554 || reply === 521 || reply === 571) {
    if (stage === 'connect') return 'reputation-blocklist';
    if (stage === 'helo') return 'reverse-dns';
  }
  const entry = BASIC_BY_CODE.get(reply);
  return entry?.causes[0] ?? null;
}

function composeAction(
  cause: Cause,
  status: string | null,
  pc: ProviderCode | null,
  blocklist: string | null,
  provider: string | null,
): string {
  const base = CAUSE_INFO[cause].action;
  if (pc) return pc.cause ? pc.action : `${pc.action} ${base}`;
  if (blocklist !== null && (cause === 'reputation-blocklist' || cause === 'spam-content')) {
    const info = blocklistInfo(blocklist);
    const where = info?.url ? ` (lookup and removal: ${info.url})` : '';
    const what = info?.content === true ? 'a domain or URL in the message' : 'your sending IP or domain';
    return `The reply names ${info?.operator ?? blocklist} (${blocklist}), which lists ${what}${where}. ${base}`;
  }
  const entry = status !== null ? ENHANCED_BY_KEY.get(status.slice(2)) : undefined;
  if (entry && entry.weak !== true && entry.causes[0] === cause) return `${entry.action} ${base}`;
  if (provider !== null && CAUSE_INFO[cause].side === 'sender') {
    const p = providerInfo(provider);
    if (p?.url) return `${base} ${p.name} sender help: ${p.url}`;
  }
  return base;
}

type Source = 'provider' | 'strong' | 'code' | 'weak' | 'basic' | 'outcome' | 'none';

function classifyUnsafe(input: ClassifyInput): Classification {
  const rawText = typeof input.diagnostic === 'string' ? input.diagnostic : '';
  const text = rawText.length > MAX_TEXT ? rawText.slice(0, MAX_TEXT) : rawText;
  const given = normStatus(input.enhancedStatus);
  const dsn = normStatus(input.dsn);
  const textStatus = text.length > 0 ? extractSpecificStatus(text) : null;
  const status = given ?? textStatus ?? dsn;
  const causeStatus = mostSpecific(textStatus, given, dsn);
  const reply = normReply(input.replyCode) ?? (text.length > 0 ? extractReplyCode(text) : null);
  const words = text.length > 0 ? text.replace(continuationRe, '') : text;
  const probe = causeStatus !== null && !words.includes(causeStatus) ? `${causeStatus} ${words}` : words;
  scanText(text, probe);
  const stage: SmtpStage | null =
    typeof input.stage === 'string' && STAGES.has(input.stage)
      ? input.stage
      : text.length > 0
        ? extractStage(text, gates.stages)
        : null;
  const outcome: Outcome | null =
    typeof input.outcome === 'string' && OUTCOMES.has(input.outcome) ? input.outcome : null;

  const statusClass = status ? classOfDigit(status) : null;
  const dsnClass = dsn ? classOfDigit(dsn) : null;
  const replyClass = reply !== null ? classOfDigit(reply) : null;
  const outcomeClass = classOfOutcome(outcome);
  let klass: FailureClass | null = statusClass ?? replyClass ?? outcomeClass;
  const first = statusClass ?? replyClass ?? outcomeClass;
  const agree =
    (statusClass === null || statusClass === first) &&
    (dsnClass === null || dsnClass === first) &&
    (replyClass === null || replyClass === first) &&
    (outcomeClass === null || outcomeClass === first);
  const conflict = agree
    ? null
    : describeConflict(status, statusClass, dsn, dsnClass, reply, replyClass, outcome, outcomeClass);

  const remoteHost = typeof input.remoteHost === 'string' ? input.remoteHost : null;
  const provider =
    providerFromHost(remoteHost) ??
    providerFromMarkers(text, gates.markers) ??
    providerFromDomain(typeof input.recipientDomain === 'string' ? input.recipientDomain : null) ??
    providerFromTextHost(text);

  if (klass === 'success') {
    return {
      class: 'success',
      cause: null,
      hardBounce: false,
      action: SUCCESS_ACTION,
      replyCode: reply,
      enhancedStatus: status,
      provider,
      blocklist: null,
      conflict,
    };
  }

  let cause: Cause | null = null;
  let source: Source = 'none';
  const pc = probe.length > 0 ? providerCodeFor(provider, probe) : null;
  if (pc?.cause) {
    cause = pc.cause;
    source = 'provider';
  }
  if (cause === null && words.length > 0) {
    const rule = matchRule(STRONG_RULES, words, gates.strong);
    if (rule) {
      cause = rule.cause;
      source = 'strong';
    }
  }
  if (cause === null) {
    cause = codeCause(causeStatus, true, provider);
    if (cause !== null) source = 'code';
  }
  if (cause === null && words.length > 0) {
    const rule = matchRule(WEAK_RULES, words, gates.weak);
    if (rule) {
      cause = rule.cause;
      source = 'weak';
    }
  }
  if (cause === null) {
    cause = codeCause(causeStatus, false, provider);
    if (cause !== null) source = 'code';
  }
  if (cause === null) {
    cause = basicCause(reply, stage);
    if (cause !== null) source = 'basic';
  }
  if (cause === null && outcome === 'expired') {
    cause = 'expired';
    source = 'outcome';
  }
  cause ??= 'unclassified';

  // No code and no outcome: decide temporary or permanent from the wording.
  klass ??=
    cause === 'greylisted' || (temporaryWordsRe.test(text) && !finalWordsRe.test(text))
      ? 'temporary'
      : 'permanent';

  // Stage and class sharpen what the words alone say.
  if (source !== 'provider') {
    if (cause === 'recipient-unknown' && (stage === 'data' || stage === 'end-of-data'))
      cause = 'recipient-filtered';
    else if ((cause === 'recipient-unknown' || cause === 'domain-invalid') && stage === 'mail')
      cause = 'sender-rejected';
    else if (cause === 'domain-invalid' && klass === 'temporary' && dnsWordsRe.test(text)) cause = 'network';
    else if (
      (source === 'weak' || source === 'basic' || source === 'code') &&
      (cause === 'policy' || cause === 'remote-error' || cause === 'unclassified') &&
      klass === 'permanent'
    ) {
      if (stage === 'connect') cause = 'reputation-blocklist';
      else if (stage === 'helo') cause = 'reverse-dns';
    }
    if (outcome === 'expired' && source !== 'strong') cause = 'expired';
  }

  const blocklist = text.length > 0 ? findBlocklist(text, gates.blocklists) : null;
  const hardBounce = cause === 'recipient-unknown' || (cause === 'domain-invalid' && klass === 'permanent');
  return {
    class: klass,
    cause,
    hardBounce,
    action: composeAction(cause, causeStatus, pc, blocklist, provider),
    replyCode: reply,
    enhancedStatus: status,
    provider,
    blocklist,
    conflict,
  };
}

const FALLBACK: Classification = {
  class: 'permanent',
  cause: 'unclassified',
  hardBounce: false,
  action: CAUSE_INFO.unclassified.action,
  replyCode: null,
  enhancedStatus: null,
  provider: null,
  blocklist: null,
  conflict: null,
};

/** Classifies one reply. Pure and total: any input, even malformed, gets an answer. */
export function classify(input: ClassifyInput): Classification {
  try {
    // Callers feed parsed JSON too: guard against null and non-objects despite the type.
    const safe: unknown = input;
    return classifyUnsafe(typeof safe === 'object' && safe !== null ? safe : {});
  } catch {
    return { ...FALLBACK };
  }
}
