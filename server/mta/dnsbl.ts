/** Looks our own sending IPs up on DNS blocklists, telling a listing from a list's error answer. */

import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface BlocklistConfig {
  /** The list's zone, such as `zen.spamhaus.org`. */
  zone: string;
  /** Where to ask for removal. */
  delistUrl?: string | undefined;
  /** What each return code means, as the list documents it (`127.0.0.2`: `SBL`). */
  codes: Readonly<Record<string, string>>;
  /** Answers that mean the query was refused or malformed: a configuration problem, never a listing. */
  errorCodes: readonly string[];
}

type BlocklistStatus = 'listed' | 'clear' | 'config-error' | 'lookup-failed';

export interface BlocklistResult {
  ip: string;
  zone: string;
  status: BlocklistStatus;
  /** The A records the list answered with. */
  answers: string[];
  /** The documented meaning of each listing answer (the answer itself when undocumented). */
  meanings: string[];
  delistUrl: string | null;
  /** Why a check is a configuration problem or failed, in words. */
  detail: string | null;
  checkedAt: number;
}

/** The error answers Spamhaus documents for its public mirrors: a malformed query, an open resolver, too many queries. */
export const SPAMHAUS_ERROR_CODES: Readonly<Record<string, string>> = {
  '127.255.255.252': 'the query was malformed (typing error in the zone?)',
  '127.255.255.254':
    'the query came through a public or open resolver; use your own resolver or a Spamhaus DQS key',
  '127.255.255.255':
    'too many queries from this resolver (rate limit); use your own resolver or a Spamhaus DQS key',
};

type ResolveA = (name: string) => Promise<string[]>;

/** The query name for an IP on a list: IPv4 octets reversed, IPv6 nibbles reversed (RFC 5782). */
export function blocklistQueryName(ip: string, zone: string): string | null {
  const version = isIP(ip);
  if (version === 4) return `${ip.split('.').reverse().join('.')}.${zone}`;
  if (version !== 6) return null;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const full = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  if (full.length !== 8 || full.some((g) => g.includes('.'))) return null;
  const nibbles = full.map((g) => g.padStart(4, '0')).join('');
  return `${nibbles.split('').reverse().join('.')}.${zone}`; // hex digits only: no code point spans two units
}

const NOT_LISTED_CODES = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

/** Checks one IP on one list. */
async function checkBlocklist(
  ip: string,
  list: BlocklistConfig,
  resolveA: ResolveA,
  checkedAt: number,
): Promise<BlocklistResult> {
  const base = {
    ip,
    zone: list.zone,
    delistUrl: list.delistUrl ?? null,
    checkedAt,
    answers: [],
    meanings: [],
  };
  const name = blocklistQueryName(ip, list.zone);
  if (name === null) return { ...base, status: 'config-error', detail: `${ip} is not an IP address` };
  let answers: string[];
  try {
    answers = await resolveA(name);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_LISTED_CODES.has(code))
      return { ...base, status: 'clear', detail: null };
    return {
      ...base,
      status: 'lookup-failed',
      detail: `${name}: ${typeof code === 'string' ? code : String(err)}`,
    };
  }
  answers = [...answers].sort();
  const errors = answers.filter((a) => list.errorCodes.includes(a));
  if (errors.length > 0) {
    const why = errors
      .map((a) => `${a}: ${SPAMHAUS_ERROR_CODES[a] ?? 'an error answer of the list'}`)
      .join('; ');
    return { ...base, answers, status: 'config-error', detail: why };
  }
  // A listing answers inside 127.0.0.0/8 (RFC 5782); anything else is a resolver rewriting NXDOMAIN.
  const outside = answers.filter((a) => !a.startsWith('127.'));
  if (outside.length > 0) {
    return {
      ...base,
      answers,
      status: 'config-error',
      detail: `answer ${outside.join(', ')} is outside 127.0.0.0/8: the resolver rewrites missing names`,
    };
  }
  if (answers.length === 0) return { ...base, status: 'clear', detail: null };
  return {
    ...base,
    answers,
    status: 'listed',
    meanings: answers.map((a) => list.codes[a] ?? a),
    detail: null,
  };
}

export interface BlocklistCheckerOptions {
  lists: readonly BlocklistConfig[];
  /** DNS servers (`127.0.0.1`, `127.0.0.1:5353`); empty uses the system resolver. */
  servers?: readonly string[];
  timeoutMs?: number;
  resolveA?: ResolveA;
  now: () => number;
}

export interface BlocklistChecker {
  /** Every IP on every list, in list order then IP order. */
  check(ips: readonly string[]): Promise<BlocklistResult[]>;
}

export function createBlocklistChecker(options: BlocklistCheckerOptions): BlocklistChecker {
  let resolveA = options.resolveA;
  if (!resolveA) {
    const resolver = new Resolver({ timeout: options.timeoutMs ?? 5_000, tries: 2 });
    if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
    resolveA = (name) => resolver.resolve4(name);
  }
  const resolve = resolveA;
  return {
    async check(ips) {
      const at = options.now();
      const jobs = options.lists.flatMap((list) => ips.map((ip) => checkBlocklist(ip, list, resolve, at)));
      return Promise.all(jobs);
    },
  };
}
