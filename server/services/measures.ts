/** The one definition of each measure (the design's Counting): the outcomes counted, failures, bounce and deferral rates. */

import { OUTCOMES } from '../http/contract/common.js';

export type Outcome = (typeof OUTCOMES)[number];
export type OutcomeCounts = Record<Outcome, number>;

export const isOutcome = (o: string): o is Outcome => (OUTCOMES as readonly string[]).includes(o);

export function emptyCounts(): OutcomeCounts {
  return { sent: 0, deferred: 0, bounced: 0, expired: 0, rejected: 0 };
}

/** The counts a rate reads; rejects are inbound and never in a rate. */
export type RateCounts = Pick<OutcomeCounts, 'sent' | 'deferred' | 'bounced' | 'expired'>;

export interface Rates {
  bounceRate: number | null;
  deferralRate: number | null;
}

/** A rate over nothing is unknown, not zero. */
const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** (bounced + expired) / (sent + bounced + expired): the share of final outcomes that failed. */
export function bounceRate(c: Pick<RateCounts, 'sent' | 'bounced' | 'expired'>): number | null {
  return ratio(c.bounced + c.expired, c.sent + c.bounced + c.expired);
}

/** deferred / (sent + deferred + bounced): the share of attempts that had to wait. */
function deferralRate(c: Pick<RateCounts, 'sent' | 'deferred' | 'bounced'>): number | null {
  return ratio(c.deferred, c.sent + c.deferred + c.bounced);
}

export function ratesOf(c: RateCounts): Rates {
  return { bounceRate: bounceRate(c), deferralRate: deferralRate(c) };
}

/** Failed deliveries: deferred and bounced attempts and expired recipients (rejects are inbound, not ours). */
export function failuresOf(c: RateCounts): number {
  return c.deferred + c.bounced + c.expired;
}

/** Final outcomes, the denominator of the bounce rate (how much mail a rate stands on). */
export function finalsOf(c: Pick<RateCounts, 'sent' | 'bounced' | 'expired'>): number {
  return c.sent + c.bounced + c.expired;
}

/** A submitter's rates over its final outcomes (bounced includes expired): bounce rate, refusals, unknown recipients. */
export function senderRates(c: {
  sent: number;
  bounced: number;
  reputation: number;
  spam: number;
  unknown: number;
}): {
  bounceRate: number | null;
  refusalRate: number | null;
  unknownShare: number | null;
} {
  const finals = c.sent + c.bounced;
  return {
    bounceRate: ratio(c.bounced, finals),
    refusalRate: ratio(c.reputation + c.spam, finals),
    unknownShare: ratio(c.unknown, finals),
  };
}

/** The share of sessions that used TLS. */
export function tlsShare(tls: number, sessions: number): number | null {
  return ratio(tls, sessions);
}
