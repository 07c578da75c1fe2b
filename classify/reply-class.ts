/** Reading the class (success, temporary, permanent) from the codes and the outcome, and noting disagreement. */

import type { Outcome } from '../parsers/types.js';
import type { FailureClass } from './types.js';

const statusRe = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

export function normStatus(s: unknown): string | null {
  if (typeof s !== 'string' || s.length > 11) return null;
  const t = s.trim();
  return statusRe.test(t) ? t : null;
}

export function normReply(n: unknown): number | null {
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

/** The class an outcome implies (a deferral is temporary, a bounce permanent). */
export function classOfOutcome(o: Outcome | null): FailureClass | null {
  if (o === 'sent') return 'success';
  if (o === 'deferred' || o === 'expired') return 'temporary';
  if (o === 'bounced') return 'permanent';
  return null;
}

function isGeneric(status: string): boolean {
  return status.endsWith('.0.0');
}

/** The enhanced status that says the most: a specific one wins over x.0.0. */
export function mostSpecific(a: string | null, b: string | null, c: string | null): string | null {
  if (a && !isGeneric(a)) return a;
  if (b && !isGeneric(b)) return b;
  if (c && !isGeneric(c)) return c;
  return a ?? b ?? c;
}

export interface ClassJudgement {
  klass: FailureClass | null;
  /** What decided the class. */
  from: 'enhanced status' | 'reply code' | 'outcome' | null;
  /** The code or outcome that decided, as written ("5.1.1", "450", "deferred"). */
  decidedBy: string | null;
  /** The codes or outcome that say otherwise ("reply 450 says temporary"), empty when all agree. */
  against: string[];
}

/**
 * Class from the enhanced status, else the basic code, else the outcome; and what disagrees. The
 * enhanced status decides because it refines the reply code (RFC 3463); the outcome only tells what
 * the MTA did, which may differ (a 5xx the MTA chose to retry).
 */
export function judgeClass(
  status: string | null,
  dsn: string | null,
  reply: number | null,
  outcome: Outcome | null,
): ClassJudgement {
  const statusClass = status ? classOfDigit(status) : null;
  const dsnClass = dsn && dsn !== status ? classOfDigit(dsn) : null;
  const replyClass = reply !== null ? classOfDigit(reply) : null;
  const outcomeClass = classOfOutcome(outcome);
  const klass = statusClass ?? replyClass ?? outcomeClass;
  const from = statusClass ? 'enhanced status' : replyClass ? 'reply code' : outcomeClass ? 'outcome' : null;
  const decidedBy = statusClass ? status : replyClass ? String(reply) : outcomeClass ? outcome : null;
  const against: string[] = [];
  if (klass !== null) {
    if (dsnClass && dsnClass !== klass) against.push(`dsn ${dsn} says ${dsnClass}`);
    if (replyClass && replyClass !== klass) against.push(`reply ${reply} says ${replyClass}`);
    if (outcomeClass && outcomeClass !== klass) against.push(`outcome ${outcome} says ${outcomeClass}`);
  }
  return { klass, from, decidedBy, against };
}
