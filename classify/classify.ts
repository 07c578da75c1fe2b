/** The classifier: one reply (codes, text, stage, remote host, outcome) in, class, cause, provider and action out. */

import type { Outcome, SmtpStage } from '../parsers/types.js';
import { composeAction, inboundAction } from './action.js';
import { findBlocklist } from './blocklists.js';
import { basicCause, codeCause } from './code-causes.js';
import { gates, scanText } from './dispatch.js';
import { CAUSE_INFO } from './causes.js';
import { extractReplyCode, extractSpecificStatus, extractStage } from './extract.js';
import { PROVIDER_CODES, type ProviderCode } from './provider-codes.js';
import {
  providerFromDomain,
  providerFromHost,
  providerFromMarkers,
  providerFromTextHost,
} from './providers.js';
import { judgeClass, mostSpecific, normReply, normStatus } from './reply-class.js';
import { STRONG_RULES, WEAK_RULES, matchRule } from './rules.js';
import type { Cause, Classification, ClassifyInput, FailureClass } from './types.js';

/** Longest text the rules look at: replies beyond this are noise, and it bounds regex work. */
const MAX_TEXT = 2000;

const SUCCESS_ACTION = 'Delivered: nothing to do.';
const STAGES: ReadonlySet<string> = new Set(['connect', 'helo', 'mail', 'rcpt', 'data', 'end-of-data']);
const OUTCOMES: ReadonlySet<string> = new Set(['sent', 'deferred', 'bounced', 'expired']);

const temporaryWordsRe = /temporar|try (?:again )?later|will (?:be )?retr|deferred|delayed|greylist/i;
const finalWordsRe =
  /giving up|gave up|not going to try again|expired|permanent|could not be delivered|undeliverable/i;
// Multi-line replies joined into one line repeat "550-5.7.1" in the middle of sentences.
const continuationRe = /\s[245]\d\d(?:[- ]#?[245]\.\d{1,3}\.\d{1,3}|-)(?=\s|\S)/g;
const dnsWordsRe = /\bDNS\b|lookup|name service|resolv|name ?server/i;

function providerCodeFor(provider: string | null, probe: string): ProviderCode | null {
  for (let i = 0; i < PROVIDER_CODES.length; i++) {
    const pc = PROVIDER_CODES[i]!;
    if ((pc.provider === provider || pc.distinctive === true) && gates.providerCodes(i) && pc.re.test(probe))
      return pc;
  }
  return null;
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
  const outcome: Outcome | null =
    typeof input.outcome === 'string' && OUTCOMES.has(input.outcome) ? input.outcome : null;
  const judged = judgeClass(status, dsn, reply, outcome);
  let klass: FailureClass | null = judged.klass;
  const conflict = judged.conflict;
  const remoteHost = typeof input.remoteHost === 'string' ? input.remoteHost : null;
  const recipientDomain = typeof input.recipientDomain === 'string' ? input.recipientDomain : null;
  // Our own rejects of remote clients: we are the receiver, no provider answered.
  const inbound = input.direction === 'inbound';

  // Deliveries are the bulk of a log: answer them without the phrase machinery.
  if (klass === 'success') {
    return {
      class: 'success',
      cause: null,
      hardBounce: false,
      action: SUCCESS_ACTION,
      replyCode: reply,
      enhancedStatus: status,
      provider: inbound
        ? null
        : (providerFromHost(remoteHost) ?? providerFromDomain(recipientDomain) ?? providerFromMarkers(text)),
      blocklist: null,
      conflict,
    };
  }

  const words = text.length > 0 ? text.replace(continuationRe, '') : text;
  const probe = causeStatus !== null && !words.includes(causeStatus) ? `${causeStatus} ${words}` : words;
  scanText(text, probe);
  const stage: SmtpStage | null =
    typeof input.stage === 'string' && STAGES.has(input.stage)
      ? input.stage
      : text.length > 0
        ? extractStage(text, gates.stages)
        : null;
  const provider = inbound
    ? null
    : (providerFromHost(remoteHost) ??
      providerFromMarkers(text, gates.markers) ??
      providerFromDomain(recipientDomain) ??
      providerFromTextHost(text));

  let cause: Cause | null = null;
  let source: Source = 'none';
  const pc = probe.length > 0 && !inbound ? providerCodeFor(provider, probe) : null;
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
    // "Try again later" says less than a security or policy status (x.7.x) next to it.
    if (rule && !(rule.cause === 'remote-error' && causeStatus?.charAt(2) === '7')) {
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
  // A reject of a remote client says nothing about addresses we mail: no hard bounce there.
  const hardBounce =
    !inbound && (cause === 'recipient-unknown' || (cause === 'domain-invalid' && klass === 'permanent'));
  return {
    class: klass,
    cause,
    hardBounce,
    action: inbound
      ? inboundAction(cause, blocklist)
      : composeAction(cause, causeStatus, pc, blocklist, provider),
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
