/** Groups reply texts that differ only in addresses, ids and numbers, so a drill-down shows each kind of reply once. */

import type { AffectedAddress, ClassName, DiagnosticGroup } from './contract.js';

const EMAIL = /<?[^\s<>@"()[\],;:]+@[^\s<>@"()[\],;:]+>?/g;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b/gi;
const URL = /\bhttps?:\/\/[^\s"'<>]+/g;
// Codes are what an admin reads first: keep 4.7.1 and 5.7.26 anywhere, and the reply code that opens the text
// (or a line of it); other three-digit numbers ("come back in 450 seconds") are masked like any number.
const CODE = /\b[245]\.\d{1,3}\.\d{1,3}\b|(?<=^|\n|said: |: )[245]\d\d(?=[\s-])/g;
const ID = /\b(?=[\w-]*\d)(?=[\w-]*[a-z])[\w-]{6,}\b/gi;
const NUMBER = /\d+(?:\.\d+)*/g;
const KEPT = /[\uE000-\uEFFF]/g;

/** The shape of a reply text: what stays the same when the same server refuses different mail. */
export function diagnosticPattern(text: string): string {
  const codes: string[] = [];
  return (
    text
      .replace(KEPT, '')
      .replace(URL, (u) => u.replace(/[?#].*$/, '?…'))
      .replace(EMAIL, '<address>')
      .replace(IPV4, '<ip>')
      .replace(IPV6, (m) => (/[0-9a-f]{1,4}:[0-9a-f]{1,4}/i.test(m) ? '<ip>' : m))
      // One private-use character stands in for each code while ids and numbers are masked (no digits to eat).
      .replace(CODE, (c) => {
        codes.push(c);
        return String.fromCharCode(0xe000 + codes.length - 1);
      })
      .replace(ID, '<id>')
      .replace(NUMBER, '<n>')
      .replace(KEPT, (m) => codes[m.charCodeAt(0) - 0xe000] ?? '')
      .replace(/\s+/g, ' ')
      .trim()
  );
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
