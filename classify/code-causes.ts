/** What the codes alone say about the cause, for replies whose wording does not decide. */

import type { SmtpStage } from '../parsers/types.js';
import { BASIC_BY_CODE } from './codes-basic.js';
import { ENHANCED_BY_KEY } from './codes-enhanced.js';
import type { Cause } from './types.js';

export function codeCause(status: string | null, strongOnly: boolean, provider: string | null): Cause | null {
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

export function basicCause(reply: number | null, stage: SmtpStage | null): Cause | null {
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

/**
 * Whether a registered, specific enhanced status means something else than the cause the words
 * gave (5.2.2 "mailbox full" beside "policy violation"). Loose codes (x.0.0, 5.7.1 ...) never
 * disagree: the text only says more than they do.
 */
export function codeDisagrees(status: string, cause: Cause, provider: string | null): boolean {
  const entry = ENHANCED_BY_KEY.get(status.slice(2));
  if (!entry || entry.weak === true) return false;
  const meant = codeCause(status, false, provider);
  return meant !== null && meant !== cause && !entry.causes.includes(cause);
}
