/** `explain`: what a basic reply code, an enhanced status, or both together mean and what to do. */

import { CAUSE_INFO } from './causes.js';
import { BASIC_BY_CODE, type BasicCode } from './codes-basic.js';
import { ENHANCED_BY_KEY, ENHANCED_CLASSES, ENHANCED_SUBJECTS, type EnhancedCode } from './codes-enhanced.js';
import { PROVIDER_CODES } from './provider-codes.js';
import { providerInfo } from './providers.js';
import { uniqueAdvice } from './sentences.js';
import type { Cause, Explanation, FailureClass } from './types.js';

const basicRe = /^([2-5]\d\d)$/;
const enhancedRe = /^([245x])\.(\d{1,3})\.(\d{1,3})$/i;
// Provider codes written into reply texts: Microsoft S3150, Yahoo TSS04 / TS03 / BL21.
const providerTokenRe =
  /^(?:S\d{3,5}|TSS?\d\d|BL\d\d|BL0{2}[01]{4}|ES0{4}[01]{2}|OFR\w+|CS0\d|(?:SC|DY|OU|RP)-00\d)$/i;
const combinedRe = /^([2-5]\d\d)[ -]+#?([245x]\.\d{1,3}\.\d{1,3})$/i;

function classOf(digit: string): FailureClass | null {
  if (digit === '2' || digit === '3') return 'success';
  if (digit === '4') return 'temporary';
  if (digit === '5') return 'permanent';
  return null;
}

const FIRST_DIGIT_NOTE: Readonly<Record<string, string>> = {
  '2': 'Starts with 2: success, nothing failed.',
  '3': 'Starts with 3: an intermediate step of the dialogue, not a failure.',
  '4': 'Starts with 4: temporary. The MTA keeps the message and retries by itself; act only if it keeps failing.',
  '5': 'Starts with 5: permanent. Retrying unchanged will fail; investigate and fix before resending.',
};
const SECURITY_NOTE =
  'x.7.x codes are security or policy refusals: most often SPF, DKIM or DMARC failures, or the reputation of the sending IP or domain.';

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** How large providers use these codes, from the provider catalogue (one source with the classifier). */
function providerNotes(codes: readonly string[]): Explanation['providerNotes'] {
  const wanted = new Set(codes.map((c) => c.toUpperCase()));
  const out: Explanation['providerNotes'] = [];
  for (const pc of PROVIDER_CODES) {
    if (pc.codes.some((c) => wanted.has(c.toUpperCase())) || codes.some((c) => pc.re?.test(c) === true)) {
      out.push({
        provider: providerInfo(pc.provider)?.name ?? pc.provider,
        label: pc.label,
        meaning: pc.meaning,
        action: pc.action,
        cause: pc.cause ?? null,
        source: pc.source,
      });
    }
  }
  return out;
}

/** No sentence twice across the meaning, the actions and the notes of one explanation. */
function tidy(e: Explanation): Explanation {
  const actions = uniqueAdvice([e.meaning, ...e.actions]).slice(1);
  const notes = uniqueAdvice([e.meaning, ...actions, ...e.notes]).slice(1 + actions.length);
  return { ...e, actions: actions.length > 0 ? actions : e.actions.slice(0, 1), notes };
}

function fromBasic(entry: BasicCode): Explanation {
  const digit = String(entry.code).charAt(0);
  const causes = [...entry.causes];
  return {
    code: String(entry.code),
    kind: 'basic',
    class: classOf(digit),
    title: entry.title,
    meaning: entry.meaning,
    actions: uniq([entry.action, ...causes.slice(0, 1).map((c) => CAUSE_INFO[c].action)]),
    causes,
    notes: [FIRST_DIGIT_NOTE[digit] ?? ''].filter((n) => n.length > 0),
    source: entry.standard ? 'RFC 5321' : 'customary (non-standard or from an SMTP extension)',
    providerNotes: providerNotes([String(entry.code)]),
  };
}

function fromEnhanced(
  digit: string,
  subject: number,
  detail: number,
  entry: EnhancedCode | undefined,
): Explanation | null {
  const code = `${digit.toUpperCase()}.${subject}.${detail}`;
  const concrete =
    digit === 'x' || digit === 'X' ? ['4', '5'].map((d) => `${d}.${subject}.${detail}`) : [code];
  const pNotes = providerNotes(concrete);
  if (!entry && pNotes.length === 0) return null;
  const subj = ENHANCED_SUBJECTS[subject];
  const cls = ENHANCED_CLASSES.find((c) => String(c.digit) === digit);
  const notes: string[] = [];
  if (cls) notes.push(`Class ${cls.digit} (${cls.title}): ${cls.meaning}`);
  else notes.push('X stands for the class: 4.y.z is temporary (retried), 5.y.z permanent.');
  if (subj) notes.push(`Subject ${subject} (${subj.title}): ${subj.meaning}`);
  if (subject === 7) notes.push(SECURITY_NOTE);
  if (entry && cls && !entry.classes.includes(cls.digit)) {
    notes.push(`The registry does not list ${entry.code} for class ${cls.digit}; receivers use it anyway.`);
  }
  const causes: Cause[] = entry ? [...entry.causes].filter((c) => c !== 'unclassified') : [];
  for (const n of pNotes) if (n.cause !== null) causes.push(n.cause);
  const first = pNotes[0];
  return {
    code,
    kind: 'enhanced',
    class: classOf(digit),
    title: entry?.title ?? `Provider-specific code (${first?.label ?? code})`,
    meaning: entry?.meaning ?? first?.meaning ?? '',
    actions: uniq([
      ...(entry ? [entry.action] : []),
      ...(entry ? [] : pNotes.slice(0, 1).map((n) => n.action)),
      ...causes.slice(0, 1).map((c) => CAUSE_INFO[c].action),
    ]),
    causes: uniq(causes),
    notes,
    source: entry ? `IANA registry (${entry.rfc})` : `provider documentation (${first?.source ?? ''})`,
    // Without a registry entry the first provider note is the explanation itself.
    providerNotes: entry ? pNotes : pNotes.slice(1),
  };
}

function fromProviderToken(token: string): Explanation | null {
  const pc = PROVIDER_CODES.find((p) => p.codes.some((c) => c.toUpperCase() === token));
  if (!pc) return null;
  const provider = providerInfo(pc.provider)?.name ?? pc.provider;
  return {
    code: token,
    kind: 'provider',
    class: null,
    title: `${provider} code ${pc.label}`,
    meaning: pc.meaning,
    actions: uniq([pc.action, ...(pc.cause ? [CAUSE_INFO[pc.cause].action] : [])]),
    causes: pc.cause ? [pc.cause] : [],
    notes: [
      'Provider codes come inside the reply text; the class is in the reply code and enhanced status next to it.',
    ],
    source: `provider documentation (${pc.source})`,
    providerNotes: [],
  };
}

/**
 * Explains "550", "4.7.1", "5.7.26", "X.7.26", "550 5.7.1" or a provider code ("S3150", "TSS04"). Null when the code is not one we know
 * (or is not a code at all).
 */
export function explain(code: string): Explanation | null {
  const e = explainRaw(code);
  return e === null ? null : tidy(e);
}

function explainRaw(code: string): Explanation | null {
  if (typeof code !== 'string' || code.length > 40) return null;
  const s = code.trim();
  const combined = combinedRe.exec(s);
  if (combined) {
    const basic = explainRaw(combined[1]!);
    const enh = explainRaw(combined[2]!);
    if (!basic || !enh) return enh ?? basic;
    const notes = uniq([...enh.notes, ...basic.notes]);
    if (basic.class !== enh.class && enh.class !== null) {
      notes.push(
        `The reply code says ${basic.class ?? '?'} but the enhanced status says ${enh.class}; the enhanced status decides.`,
      );
    }
    return {
      code: `${basic.code} ${enh.code}`,
      kind: 'combined',
      class: enh.class ?? basic.class,
      title: `${basic.title} / ${enh.title}`,
      meaning: `${enh.meaning} (Reply ${basic.code}: ${basic.meaning})`,
      // The basic code's advice assumes its own class; where the enhanced status says otherwise it does not apply.
      actions: uniq(basic.class === enh.class ? [...enh.actions, ...basic.actions] : enh.actions),
      causes: uniq([...enh.causes, ...basic.causes]),
      notes,
      source: `${enh.source}; ${basic.source}`,
      providerNotes: enh.providerNotes.length > 0 ? enh.providerNotes : basic.providerNotes,
    };
  }
  if (providerTokenRe.test(s)) return fromProviderToken(s.toUpperCase());
  if (basicRe.test(s)) {
    const entry = BASIC_BY_CODE.get(Number(s));
    return entry ? fromBasic(entry) : null;
  }
  const m = enhancedRe.exec(s);
  if (!m) return null;
  const subject = Number(m[2]);
  const detail = Number(m[3]);
  if (subject > 7) return null;
  return fromEnhanced(m[1]!, subject, detail, ENHANCED_BY_KEY.get(`${subject}.${detail}`));
}
