/**
 * The evidence that a domain is ours, over the whole stored history (design, Flow): local deliveries and
 * forwards as stored, and the domains that at least three outside clients sent mail for, leaving out relay
 * clients (those that authenticated, or whose mail went to ten or more domains). Which domains are ours is
 * decided above this, with the config, so a changed config applies to everything stored.
 */

import type { Db } from '../open.js';
import { statementCache } from './statements.js';

const cache = statementCache();

/** Outside clients a domain needs to be learned from them. */
const OWN_DOMAIN_MIN_CLIENTS = 3;
/** Recipient domains past which a client is an application server or smarthost client, not the world. */
const RELAY_CLIENT_MIN_DOMAINS = 10;

/** One reason a domain is ours: a stored fact (domain_facts.fact) with its count, or `clients` outside clients. */
export interface DomainEvidence {
  domain: string;
  /** 1 local, 2 virtual, 3 lmtp, 4 unix socket, 5 Exim local transport, 6 forwarded; 0 outside clients. */
  fact: number;
  count: number;
}

export function ownDomainEvidence(db: Db): DomainEvidence[] {
  return cache(
    db,
    'own-domains:evidence',
    `SELECT domain, fact, SUM(count) AS count FROM domain_facts GROUP BY domain, fact
     UNION ALL
     SELECT domain, 0, COUNT(*) FROM client_domains
      WHERE client_ip IN (
        SELECT client_ip FROM client_domains GROUP BY client_ip HAVING COUNT(*) < ${RELAY_CLIENT_MIN_DOMAINS}
        EXCEPT SELECT client_ip FROM authenticated_clients)
      GROUP BY domain HAVING COUNT(*) >= ${OWN_DOMAIN_MIN_CLIENTS}
     ORDER BY domain, fact`,
  ).all() as DomainEvidence[];
}
