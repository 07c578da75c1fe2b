/** Whether the address the server binds is loopback, decided on the addresses it resolves to, not on its spelling. */

import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) !== 6) return false;
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

export type Lookup = (name: string) => Promise<readonly { address: string }[]>;

const systemLookup: Lookup = (name) => dnsLookup(name, { all: true, verbatim: true });

export interface BindScope {
  loopback: boolean;
  /** The addresses a name resolved to (empty for an address literal or a failed lookup). */
  addresses: string[];
}

/**
 * Loopback when every address the bind resolves to is loopback. A name that does not resolve counts as beyond
 * loopback (listening on it fails anyway).
 */
export async function resolveBindScope(bind: string, lookup: Lookup = systemLookup): Promise<BindScope> {
  if (isIP(bind.replace(/^\[|\]$/g, '')) !== 0) return { loopback: isLoopbackAddress(bind), addresses: [] };
  try {
    const addresses = (await lookup(bind)).map((a) => a.address);
    return { loopback: addresses.length > 0 && addresses.every(isLoopbackAddress), addresses };
  } catch {
    return { loopback: false, addresses: [] };
  }
}
