/** Folds rollup rows into the report's tallies: totals, per domain, provider, cause and code. */

import type { GroupRow } from '../../db/store/reader.js';
import type { Counts } from '../http/contract/report.js';
import { emptyCounts, isOutcome } from './measures.js';

interface CauseTally {
  temporary: number;
  permanent: number;
  byOutcome: Counts;
  byDomain: Map<string, number>;
}

interface CodeTally {
  count: number;
  temporary: number;
  permanent: number;
}

export interface Tallies {
  totals: Counts;
  domains: Map<string, Counts>;
  /** Per domain, events per provider (to name the domain's provider). */
  domainProviders: Map<string, Map<string, number>>;
  providers: Map<string, Counts>;
  providerDomains: Map<string, Set<string>>;
  /** Delivery failures (deferred, bounced, expired) by cause. */
  causes: Map<string, CauseTally>;
  /** Rejects by cause. */
  rejectCauses: Map<string, CauseTally>;
  codes: Map<string, CodeTally>;
  /** Per domain and failure cause ('' for events without one: sent lines). */
  domainCauses: Map<string, Map<string, CauseTally>>;
}

/** A failure with no cause recorded is counted under `unclassified`. */
export const NO_CAUSE = 'unclassified';

export function tally(rows: readonly GroupRow[]): Tallies {
  const t: Tallies = {
    totals: emptyCounts(),
    domains: new Map(),
    domainProviders: new Map(),
    providers: new Map(),
    providerDomains: new Map(),
    causes: new Map(),
    rejectCauses: new Map(),
    codes: new Map(),
    domainCauses: new Map(),
  };
  for (const { keys: row, count } of rows) {
    const outcome = row.outcome;
    if (!isOutcome(outcome)) continue;
    const n = count;
    t.totals[outcome] += n;
    const domain = getOr(t.domains, row.domain, emptyCounts);
    domain[outcome] += n;
    if (row.provider !== '') {
      const perDomain = getOr(t.domainProviders, row.domain, () => new Map<string, number>());
      perDomain.set(row.provider, (perDomain.get(row.provider) ?? 0) + n);
      getOr(t.providers, row.provider, emptyCounts)[outcome] += n;
      if (row.domain !== '') getOr(t.providerDomains, row.provider, () => new Set<string>()).add(row.domain);
    }
    const failure = outcome !== 'sent' && row.class !== 'success';
    const causeId = failure ? (row.cause === '' ? NO_CAUSE : row.cause) : '';
    const permanent = row.class === 'permanent';
    const perDomainCause = getOr(
      getOr(t.domainCauses, row.domain, () => new Map<string, CauseTally>()),
      causeId,
      newCauseTally,
    );
    perDomainCause.byOutcome[outcome] += n;
    if (!failure) continue;
    if (outcome !== 'rejected') {
      if (permanent) perDomainCause.permanent += n;
      else perDomainCause.temporary += n;
    }
    // Rejects are this server refusing others: a separate story from our own delivery failures.
    const cause = getOr(outcome === 'rejected' ? t.rejectCauses : t.causes, causeId, newCauseTally);
    if (permanent) cause.permanent += n;
    else cause.temporary += n;
    cause.byOutcome[outcome] += n;
    if (row.domain !== '') cause.byDomain.set(row.domain, (cause.byDomain.get(row.domain) ?? 0) + n);
    if (outcome === 'rejected') continue;
    const code = getOr(t.codes, row.code, () => ({ count: 0, temporary: 0, permanent: 0 }));
    code.count += n;
    if (permanent) code.permanent += n;
    else code.temporary += n;
  }
  return t;
}

function newCauseTally(): CauseTally {
  return { temporary: 0, permanent: 0, byOutcome: emptyCounts(), byDomain: new Map<string, number>() };
}

export function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The key with the largest value (ties: alphabetical), or null for an empty map. */
export function topKey(map: ReadonlyMap<string, number> | undefined): string | null {
  if (!map) return null;
  let best: string | null = null;
  let bestValue = -1;
  for (const [key, value] of map) {
    if (value > bestValue || (value === bestValue && best !== null && key < best)) {
      best = key;
      bestValue = value;
    }
  }
  return best;
}
