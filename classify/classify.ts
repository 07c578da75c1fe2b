/** The classifier: one reply (codes, text, stage, remote host, outcome) in, class, cause, provider, action and reason out. */

import type { Outcome, SmtpStage } from '../parsers/types.js';
import { composeAction, inboundAction } from './action.js';
import { findBlocklist } from './blocklists.js';
import { basicCause, codeCause, codeDisagrees } from './code-causes.js';
import { CAUSE_INFO } from './causes.js';
import { gates, meaningCandidates, providerRuleCandidates, scanText } from './dispatch.js';
import { extractReplyCode, extractSpecificStatus, extractStage } from './extract.js';
import { matchCandidates, STRONG_MEANINGS, WEAK_MEANINGS, type Meaning } from './meanings.js';
import { PROVIDER_RULES, type ProviderCode } from './provider-codes.js';
import {
  providerFromDomain,
  providerFromHost,
  providerFromMarkers,
  providerFromTextHost,
  providerInfo,
} from './providers.js';
import { classReason, type Decision } from './reason.js';
import { judgeClass, mostSpecific, normReply, normStatus } from './reply-class.js';
import { CAUSES, type Cause, type Classification, type ClassifyInput, type FailureClass } from './types.js';

/** Longest text the rules look at: replies beyond this are noise, and it bounds regex work. */
export const MAX_TEXT = 2000;

const SUCCESS_ACTION = 'Delivered: nothing to do.';
const STAGES: ReadonlySet<string> = new Set(['connect', 'helo', 'mail', 'rcpt', 'data', 'end-of-data']);
const OUTCOMES: ReadonlySet<string> = new Set(['sent', 'deferred', 'bounced', 'expired']);

const temporaryWordsRe = /temporar|try (?:again )?later|will (?:be )?retr|deferred|delayed|greylist/i;
const finalWordsRe =
  /giving up|gave up|not going to try again|expired|permanent|could not be delivered|undeliverable/i;
// Multi-line replies joined into one line repeat "550-5.7.1" in the middle of sentences.
const continuationRe = /\s[245]\d\d(?:[- ]#?[245]\.\d{1,3}\.\d{1,3}|-)(?=\s|\S)/g;
const continuationProbeRe = /(?:^|\s)[245]\d\d-/;
const dnsWordsRe = /\bDNS\b|lookup|name service|resolv|name ?server/i;

const ruleOut: number[] = [];
const textHostMay = (): boolean => gates.textHost(0);

function providerCodeFor(provider: string | null, probe: string): ProviderCode | null {
  for (const i of providerRuleCandidates(provider, ruleOut)) {
    const pc = PROVIDER_RULES[i]!;
    if (pc.re.test(probe)) return pc;
  }
  return null;
}

/**
 * Actions depend on a handful of values that repeat across a log: compose each combination once.
 * Nested maps keyed by the values themselves, so that a lookup builds no string.
 */
type ActionCache = Map<ProviderCode | string | null, Map<string | null, Map<string | null, string>>>;
const CLASS_SLOT: Readonly<Record<FailureClass, number>> = { success: 1, temporary: 2, permanent: 3 };
const causeSlot = new Map<Cause, number>(CAUSES.map((c, i) => [c, i]));
const actionCache: (ActionCache | undefined)[] = [];
const ACTION_CACHE_MAX = 4096;
let actionCacheSize = 0;

function actionFor(
  cause: Cause,
  klass: FailureClass | null,
  status: string | null,
  pc: ProviderCode | null,
  blocklist: string | null,
  provider: string | null,
): string {
  const slot = causeSlot.get(cause)! * 4 + (klass === null ? 0 : CLASS_SLOT[klass]);
  let byFirst = actionCache[slot];
  if (byFirst === undefined) actionCache[slot] = byFirst = new Map();
  const first = pc ?? status;
  let bySecond = byFirst.get(first);
  if (bySecond === undefined)
    byFirst.set(first, (bySecond = new Map<string | null, Map<string | null, string>>()));
  let byThird = bySecond.get(blocklist);
  if (byThird === undefined) bySecond.set(blocklist, (byThird = new Map<string | null, string>()));
  const hit = byThird.get(provider);
  if (hit !== undefined) return hit;
  const action = composeAction(cause, klass, status, pc, blocklist, provider);
  if (actionCacheSize >= ACTION_CACHE_MAX) {
    actionCache.length = 0;
    actionCacheSize = 0;
  }
  byThird.set(provider, action);
  actionCacheSize++;
  return action;
}

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
  const remoteHost = typeof input.remoteHost === 'string' ? input.remoteHost : null;
  const recipientDomain = typeof input.recipientDomain === 'string' ? input.recipientDomain : null;
  // Our own rejects of remote clients: we are the receiver, no provider answered.
  const inbound = input.direction === 'inbound';

  // Deliveries are the bulk of a log: answer them without the phrase machinery.
  if (klass === 'success') {
    const reason = classReason(judged);
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
      reason,
      conflict: judged.against.length > 0 ? reason : null,
    };
  }

  // Only multi-line replies need it; most texts have no "550-" and are read as they are.
  const words = text.length > 0 && continuationProbeRe.test(text) ? text.replace(continuationRe, '') : text;
  const probe = causeStatus !== null && !words.includes(causeStatus) ? `${causeStatus} ${words}` : words;
  scanText(text, words, probe === words ? null : causeStatus);
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
      providerFromTextHost(text, textHostMay));

  let cause: Cause | null = null;
  let decision: Decision = { kind: 'none' };
  const pc = probe.length > 0 && !inbound ? providerCodeFor(provider, probe) : null;
  if (pc?.cause) {
    cause = pc.cause;
    decision = {
      kind: 'provider',
      provider: providerInfo(pc.provider)?.name ?? pc.provider,
      label: pc.label,
    };
  }
  let meaning: Meaning | null = null;
  if (cause === null && words.length > 0) {
    meaning = matchCandidates(STRONG_MEANINGS, words, meaningCandidates.strong());
    if (meaning) {
      cause = meaning.cause;
      decision = { kind: 'meaning', meaning, strong: true };
    }
  }
  if (cause === null) {
    cause = codeCause(causeStatus, true, provider);
    if (cause !== null) decision = { kind: 'code', status: causeStatus! };
  }
  if (cause === null && words.length > 0) {
    const weak = matchCandidates(WEAK_MEANINGS, words, meaningCandidates.weak());
    // "Try again later" says less than a security or policy status (x.7.x) next to it.
    if (weak && !(weak.cause === 'remote-error' && causeStatus?.charAt(2) === '7')) {
      cause = weak.cause;
      decision = { kind: 'meaning', meaning: weak, strong: false };
    }
  }
  if (cause === null) {
    cause = codeCause(causeStatus, false, provider);
    if (cause !== null) decision = { kind: 'code', status: causeStatus! };
  }
  if (cause === null) {
    cause = basicCause(reply, stage);
    if (cause !== null) decision = { kind: 'basic', reply: reply!, stage };
  }
  if (cause === null && outcome === 'expired') {
    cause = 'expired';
    decision = { kind: 'outcome' };
  }
  cause ??= 'unclassified';

  // No code and no outcome: decide temporary or permanent from the wording, if it says anything.
  if (klass === null && (cause !== 'unclassified' || inbound)) {
    klass =
      cause === 'greylisted' || (temporaryWordsRe.test(text) && !finalWordsRe.test(text))
        ? 'temporary'
        : 'permanent';
  }

  // Stage and class sharpen what the words alone say.
  let sharpened: string | null = null;
  if (decision.kind !== 'provider') {
    const before = cause;
    if (cause === 'recipient-unknown' && (stage === 'data' || stage === 'end-of-data'))
      cause = 'recipient-filtered';
    else if ((cause === 'recipient-unknown' || cause === 'domain-invalid') && stage === 'mail')
      cause = 'sender-rejected';
    else if (cause === 'domain-invalid' && klass === 'temporary' && dnsWordsRe.test(text)) cause = 'network';
    else if (
      (decision.kind === 'basic' ||
        decision.kind === 'code' ||
        (decision.kind === 'meaning' && !decision.strong)) &&
      (cause === 'policy' || cause === 'remote-error' || cause === 'unclassified') &&
      klass === 'permanent'
    ) {
      if (stage === 'connect') cause = 'reputation-blocklist';
      else if (stage === 'helo') cause = 'reverse-dns';
    }
    if (outcome === 'expired' && !(decision.kind === 'meaning' && decision.strong)) cause = 'expired';
    if (cause !== before) sharpened = `at the ${stage ?? 'final'} stage this means ${cause}`;
    if (cause !== before && outcome === 'expired' && cause === 'expired')
      sharpened = 'the MTA gave up (expired)';
  }

  // A code whose specific meaning the text overrides is a disagreement worth showing.
  const textOverrode =
    (decision.kind === 'meaning' || decision.kind === 'provider') &&
    causeStatus !== null &&
    codeDisagrees(causeStatus, cause, provider);
  const blocklist = text.length > 0 ? findBlocklist(text, gates.blocklists) : null;
  // A reject of a remote client says nothing about addresses we mail: no hard bounce there.
  const hardBounce =
    !inbound && (cause === 'recipient-unknown' || (cause === 'domain-invalid' && klass === 'permanent'));
  const reason = causeReasonText(
    decision,
    cause,
    sharpened,
    textOverrode ? causeStatus : null,
    judged,
    klass,
  );
  return {
    class: klass,
    cause,
    hardBounce,
    action: inbound
      ? inboundAction(cause, blocklist)
      : actionFor(cause, klass, causeStatus, pc, blocklist, provider),
    replyCode: reply,
    enhancedStatus: status,
    provider,
    blocklist,
    reason,
    conflict: judged.against.length > 0 || textOverrode ? reason : null,
  };
}

function causeReasonText(
  decision: Decision,
  cause: Cause,
  sharpened: string | null,
  overriddenStatus: string | null,
  judged: ReturnType<typeof judgeClass>,
  klass: FailureClass | null,
): string {
  let what: string;
  switch (decision.kind) {
    case 'provider':
      what = `${decision.provider} documents ${decision.label} as ${cause}`;
      break;
    case 'meaning':
      what = `The text says ${decision.meaning.detects} (${decision.meaning.id})`;
      break;
    case 'code':
      what = `The enhanced status ${decision.status} means ${cause}`;
      break;
    case 'basic':
      what = `Reply ${decision.reply}${decision.stage ? ` at ${decision.stage}` : ''} usually means ${cause}`;
      break;
    case 'outcome':
      what = 'The MTA gave up after retrying';
      break;
    case 'none':
      what = 'No code, outcome or known wording tells the cause';
      break;
  }
  if (sharpened !== null) what += `; ${sharpened}`;
  if (overriddenStatus !== null)
    what += `; it outweighs the enhanced status ${overriddenStatus}, because the words name the condition and receivers use codes loosely`;
  return `${what}. ${classReason(judged, klass)}`;
}

const FALLBACK: Classification = {
  class: null,
  cause: 'unclassified',
  hardBounce: false,
  action: CAUSE_INFO.unclassified.action,
  replyCode: null,
  enhancedStatus: null,
  provider: null,
  blocklist: null,
  reason: 'The input could not be read.',
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
