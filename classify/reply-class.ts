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
export function mostSpecific(a: string | null, b: string | null, c: string | null): string | null {
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

/** Class from the enhanced status, else the basic code, else the outcome; and a note when they disagree. */
export function judgeClass(
  status: string | null,
  dsn: string | null,
  reply: number | null,
  outcome: Outcome | null,
): { klass: FailureClass | null; conflict: string | null } {
  const statusClass = status ? classOfDigit(status) : null;
  const dsnClass = dsn ? classOfDigit(dsn) : null;
  const replyClass = reply !== null ? classOfDigit(reply) : null;
  const outcomeClass = classOfOutcome(outcome);
  const klass = statusClass ?? replyClass ?? outcomeClass;
  const agree =
    (statusClass === null || statusClass === klass) &&
    (dsnClass === null || dsnClass === klass) &&
    (replyClass === null || replyClass === klass) &&
    (outcomeClass === null || outcomeClass === klass);
  const conflict = agree
    ? null
    : describeConflict(status, statusClass, dsn, dsnClass, reply, replyClass, outcome, outcomeClass);
  return { klass, conflict };
}
