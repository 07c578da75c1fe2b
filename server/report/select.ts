/** The short lists md and html show: worst rates among domains with enough traffic to mean something. */

import type { DomainStat, ProviderStat } from '../http/contract/report.js';

/** A rate over fewer attempts than this says little (1 bounce out of 2 is not a 50% problem). */
export const MIN_ATTEMPTS = 20;

function attempts(d: DomainStat | ProviderStat): number {
  return d.sent + d.deferred + d.bounced;
}

export function worstBy(
  domains: readonly DomainStat[],
  rate: 'bounceRate' | 'deferralRate',
  limit: number,
): DomainStat[] {
  return domains
    .filter((d) => d.domain !== '' && attempts(d) >= MIN_ATTEMPTS && (d[rate] ?? 0) > 0)
    .sort(
      (a, b) =>
        (b[rate] ?? 0) - (a[rate] ?? 0) || attempts(b) - attempts(a) || a.domain.localeCompare(b.domain),
    )
    .slice(0, limit);
}
