/**
 * What the lines say about whose domains they carry mail for (design, Flow): local deliveries, forwards, and the
 * outside clients that handed us mail for each domain. Gathered once per key and batch; the store keeps them and
 * the readers decide the own domains from all of them, so nothing here decides a flow.
 */

import { DOMAIN_FACTS, type DomainFact, type FlowFacts } from '../../db/store/stored-rows.js';
import type { DeliveryRecord, WaitRecord } from '../../parsers/types.js';
import { createKeyedFacts } from '../../db/store/keyed-facts.js';

const DAY = 86_400_000;
const dayOf = (ts: number) => ts - (((ts % DAY) + DAY) % DAY);

/** An address from outside: not loopback, private (RFC 1918, ULA) or link-local; a name is not an address. */
function isOutsideIp(ip: string): boolean {
  const v = ip.toLowerCase().replace(/^::ffff:/, '');
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(v);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return false;
    return !(a === 169 && b === 254);
  }
  if (!v.includes(':') || !/^[0-9a-f:.]+$/.test(v)) return false;
  return !(v === '::1' || /^f[cd]/.test(v) || /^fe[89ab]/.test(v));
}

/** The fact a local delivery gives: which kind of local store took it. */
function localFact(rec: DeliveryRecord): DomainFact {
  if (rec.mta === 'exim') return DOMAIN_FACTS.transport;
  const agent = rec.program.slice(rec.program.lastIndexOf('/') + 1);
  if (agent === 'local') return DOMAIN_FACTS.local;
  if (agent === 'virtual') return DOMAIN_FACTS.virtual;
  if (agent === 'lmtp') return DOMAIN_FACTS.lmtp;
  return DOMAIN_FACTS.socket;
}

/** The domain of a forward's original recipient: an address (not an Exim pipe or file) other than the recipient. */
function forwardedDomain(rec: DeliveryRecord | WaitRecord): string | null {
  const orig = rec.origRecipient;
  // An Exim pipe, file or autoreply is not an address.
  if (orig === null || /^[|/>]/.test(orig)) return null;
  // Exim names a quoted local part twice: "a b"@x after a b@x is the same address, not a forward.
  if (rec.mta === 'exim' && orig.replaceAll('"', '').toLowerCase() === rec.recipient.toLowerCase())
    return null;
  const at = orig.lastIndexOf('@');
  if (at < 0) return null;
  const domain = orig
    .slice(at + 1)
    .replace(/[>.]+$/, '')
    .toLowerCase();
  return domain === '' ? null : domain;
}

export interface FlowFactCollector {
  /** A delivery, hop or wait line: its local delivery and its forward. */
  delivery(rec: DeliveryRecord | WaitRecord, ts: number): void;
  /** Mail for `domain` handed over by client `ip` (ignored unless the client is outside). */
  client(ip: string | null, domain: string, ts: number): void;
  /** A client that authenticated (ignored unless outside). */
  authenticated(ip: string | null, ts: number): void;
  /** The facts since the last take (null when none). */
  take(): FlowFacts | null;
}

export function createFlowFactCollector(): FlowFactCollector {
  const domains = createKeyedFacts<FlowFacts['domains'][number]>();
  const clients = createKeyedFacts<FlowFacts['clients'][number]>();
  let authenticated = new Map<string, FlowFacts['authenticated'][number]>();
  // Each delivery asks about its message's client: the few clients of a batch are judged once.
  let outside = new Map<string, boolean>();
  const isOutside = (ip: string) => {
    let known = outside.get(ip);
    if (known === undefined) {
      known = isOutsideIp(ip);
      outside.set(ip, known);
    }
    return known;
  };
  const fact = (domain: string, f: DomainFact, ts: number) => {
    const day = dayOf(ts);
    const known = domains.find(day, domain, f, '');
    if (known) known.count++;
    else domains.add(day, domain, f, '', { domain, fact: f, day, count: 1 });
  };
  return {
    delivery(rec, ts) {
      const forwarded = forwardedDomain(rec);
      if (forwarded !== null) fact(forwarded, DOMAIN_FACTS.forwarded, ts);
      if (rec.outcome === 'sent' && rec.localDelivery && rec.recipientDomain !== '') {
        fact(rec.recipientDomain, localFact(rec), ts);
      }
    },
    client(ip, domain, ts) {
      if (ip === null || domain === '' || !isOutside(ip)) return;
      // Kept once per batch with the day it was first seen: the number is no part of the key.
      if (clients.find(0, ip, domain, '') === undefined)
        clients.add(0, ip, domain, '', { ip, domain, day: dayOf(ts) });
    },
    authenticated(ip, ts) {
      if (ip === null || !isOutside(ip) || authenticated.has(ip)) return;
      authenticated.set(ip, { ip, day: dayOf(ts) });
    },
    take() {
      outside = new Map();
      if (domains.size() === 0 && clients.size() === 0 && authenticated.size === 0) return null;
      const facts: FlowFacts = {
        domains: domains.take(),
        clients: clients.take(),
        authenticated: [...authenticated.values()],
      };
      authenticated = new Map();
      return facts;
    },
  };
}
