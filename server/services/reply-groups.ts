/** Groups reply texts that differ only in addresses, ids and numbers, so a drill-down shows each kind of reply once. */

import type { ClassName } from '../http/contract/common.js';
import type { AffectedAddress, DiagnosticGroup } from '../http/contract/detail.js';

/** Characters that end an address inside a word. */
const ADDRESS_STOPS = new Set(['<', '>', '(', ')', '[', ']', ',', ';', ':', '"', "'"]);
const IPV4 = /\d{1,3}(?:\.\d{1,3}){3}/g;
const IPV6 = /(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}/gi;
const ENHANCED = /^[([]?[245]\.\d{1,3}\.\d{1,3}[)\].,:;]?$/;
const REPLY = /^[245]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?$/;
const WORD = /[\w-]{6,}/g;
const NUMBER = /\d+(?:\.\d+)*/g;

/**
 * Every run between stop characters with an `@` inside it (not first, not last) becomes `<address>`, with an
 * angle bracket on either side. A scan by hand: a pattern with two open-ended runs around `@` backtracks on a
 * long word that has none in the right place.
 */
function maskAddresses(t: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < t.length) {
    const c = t[i] ?? '';
    if (ADDRESS_STOPS.has(c)) {
      out.push(c);
      i++;
      continue;
    }
    let end = i;
    let inner = false;
    while (end < t.length && !ADDRESS_STOPS.has(t[end] ?? '')) {
      if (t[end] === '@' && end > i && end + 1 < t.length && !ADDRESS_STOPS.has(t[end + 1] ?? ''))
        inner = true;
      end++;
    }
    if (!inner) {
      out.push(t.slice(i, end));
    } else {
      if (t[i - 1] === '<' && out[out.length - 1] === '<') out.pop();
      out.push('<address>');
      if (t[end] === '>') end++;
    }
    i = end;
  }
  return out.join('');
}

/** Replies are told apart by their start: what follows this many characters is left out of the pattern. */
const PATTERN_CHARS = 2048;

/** One token (no spaces) with its variable parts masked. */
function maskToken(t: string, replyPosition: boolean): string {
  // Most words are plain words: nothing to mask.
  if (!/[\d@:]/.test(t) && !t.startsWith('http')) return t;
  if (ENHANCED.test(t) || (replyPosition && REPLY.test(t))) return t;
  if (t.includes('@')) return maskAddresses(t);
  if (t.startsWith('http://') || t.startsWith('https://')) return t.replace(/[?#].*$/, '?…');
  let m = t;
  if (/\d\.\d/.test(m)) m = m.replace(IPV4, '<ip>');
  if (m.includes(':'))
    m = m.replace(IPV6, (v) => (/[0-9a-f]{1,4}:[0-9a-f]{0,4}:?[0-9a-f]{1,4}/i.test(v) ? '<ip>' : v));
  // Queue ids, message ids, session ids: long words of letters and digits.
  m = m.replace(WORD, (w) => (/\d/.test(w) && /[a-z]/i.test(w) ? '<id>' : w));
  return /\d/.test(m) ? m.replace(NUMBER, '<n>') : m;
}

/**
 * The shape of a reply text: what stays the same when the same server refuses different mail. One pass over
 * the words (no regex over the whole text that could backtrack): codes stay (an enhanced status anywhere, a
 * basic code where a reply starts), addresses, IPs, ids and numbers are masked.
 */
export function diagnosticPattern(text: string): string {
  const words = text.slice(0, PATTERN_CHARS).split(/\s+/);
  const out: string[] = [];
  let prev = '';
  for (const w of words) {
    if (w === '') continue;
    out.push(maskToken(w, out.length === 0 || prev.endsWith(':')));
    prev = w;
  }
  return out.join(' ');
}

export interface FailureLike {
  ts: number;
  recipient: string | null;
  outcome: string;
  class: string;
  cause: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  diagnostic: string;
  hardBounce: boolean;
}

const asClass = (c: string): ClassName => (c === 'temporary' || c === 'permanent' ? c : 'success');

/** Groups failures (newest first) by reply pattern, most frequent first. */
export function groupDiagnostics(events: readonly FailureLike[], limit: number): DiagnosticGroup[] {
  const groups = new Map<string, DiagnosticGroup>();
  for (const e of events) {
    const text = e.diagnostic || '(no reply text)';
    const pattern = diagnosticPattern(text);
    const code = e.enhancedStatus ?? (e.replyCode === null ? null : String(e.replyCode));
    let g = groups.get(pattern);
    if (!g) {
      g = { pattern, example: text, count: 0, firstTs: e.ts, lastTs: e.ts, codes: [], classes: [] };
      groups.set(pattern, g);
    }
    g.count++;
    g.firstTs = Math.min(g.firstTs, e.ts);
    g.lastTs = Math.max(g.lastTs, e.ts);
    if (code !== null && !g.codes.includes(code)) g.codes.push(code);
    const cls = asClass(e.class);
    if (!g.classes.includes(cls)) g.classes.push(cls);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastTs - a.lastTs).slice(0, limit);
}

/** Recipients among the failures, most failures first; the newest event names the last cause. */
export function affectedAddresses(events: readonly FailureLike[], limit: number): AffectedAddress[] {
  const byAddress = new Map<string, AffectedAddress>();
  for (const e of events) {
    if (!e.recipient) continue;
    const a = byAddress.get(e.recipient);
    if (!a) {
      byAddress.set(e.recipient, {
        address: e.recipient,
        count: 1,
        lastTs: e.ts,
        lastCause: e.cause,
        lastCauseTitle: null,
        lastOutcome: e.outcome,
        hardBounce: e.hardBounce,
      });
      continue;
    }
    a.count++;
    a.hardBounce ||= e.hardBounce;
    if (e.ts > a.lastTs) {
      a.lastTs = e.ts;
      a.lastCause = e.cause;
      a.lastOutcome = e.outcome;
    }
  }
  return [...byAddress.values()].sort((a, b) => b.count - a.count || b.lastTs - a.lastTs).slice(0, limit);
}
