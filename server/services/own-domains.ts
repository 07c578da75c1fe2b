/**
 * Which domains are ours (design, Flow), decided when asked: the stored evidence over the whole history, then
 * the config, which wins over every guess (also to say "not ours"). Nothing stored depends on the answer, so
 * a changed `ownDomains` changes the flows of mail already stored.
 */

import type { DomainEvidence, StoreReader } from '../../db/store/reader.js';

/** The config's say: `ownDomains` entries, `!domain` for "not ours". */
export interface OwnDomainsConfig {
  ownDomains: readonly string[];
}

interface OwnDomain {
  domain: string;
  /** Why it is ours, in a few words. */
  why: string;
  /** Where the answer comes from: the config, or what the log showed. */
  source: 'config' | 'learned';
}

export interface OwnDomains {
  list: OwnDomain[];
  isOwn(domain: string): boolean;
}

const FACT_WHY: Record<number, string> = {
  1: 'delivered to a local mailbox (local)',
  2: 'delivered to a virtual mailbox (virtual)',
  3: 'delivered by LMTP to a mail store',
  4: 'delivered to a unix socket on this host',
  5: 'delivered by a local transport (Exim)',
  6: 'the original recipient of a forward',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function whyLearned(fact: number, count: number): string {
  if (fact === 0) return `mail for it accepted from ${count} outside clients`;
  return `${FACT_WHY[fact] ?? 'seen delivered here'}, ${plural(count, 'time', 'times')}`;
}

/** The own domains from the evidence and the config; the first (strongest) reason of each is kept. */
export function decideOwnDomains(evidence: readonly DomainEvidence[], config: OwnDomainsConfig): OwnDomains {
  const byDomain = new Map<string, OwnDomain>();
  const notOurs = new Set<string>();
  for (const entry of config.ownDomains) {
    const d = entry.toLowerCase();
    if (d.startsWith('!')) notOurs.add(d.slice(1));
    else byDomain.set(d, { domain: d, why: 'named in the config (ownDomains)', source: 'config' });
  }
  // Where the mail was delivered says more than who sent it: those reasons come first.
  const rank = (fact: number) => (fact === 0 ? 99 : fact);
  for (const e of [...evidence].sort((a, b) => rank(a.fact) - rank(b.fact))) {
    if (e.domain === '' || byDomain.has(e.domain) || notOurs.has(e.domain)) continue;
    byDomain.set(e.domain, { domain: e.domain, why: whyLearned(e.fact, e.count), source: 'learned' });
  }
  const list = [...byDomain.values()].sort((a, b) => a.domain.localeCompare(b.domain));
  return { list, isOwn: (domain) => byDomain.has(domain) };
}

export async function ownDomains(reader: StoreReader, config: OwnDomainsConfig): Promise<OwnDomains> {
  return decideOwnDomains(await reader.ownDomainEvidence(), config);
}
