/** The receiving side of generated traffic: big providers with their MX names, then a long tail. */

import type { Rng } from './random.js';

export interface Receiver {
  domain: string;
  /** Provider key used to choose provider-specific replies ('' for ordinary sites). */
  provider: string;
  mx: string;
  /** Documentation-range address of the MX (RFC 5737), so no real host is named. */
  ip: string;
  /** Share of messages to this domain that fail for a "bad" reason (list hygiene, reputation). */
  trouble: number;
}

const PROVIDERS: readonly (readonly [string, string, string])[] = [
  ['gmail.com', 'google', 'gmail-smtp-in.l.google.com'],
  ['outlook.com', 'microsoft', 'outlook-com.olc.protection.outlook.com'],
  ['yahoo.com', 'yahoo', 'mta5.am0.yahoodns.net'],
  ['hotmail.com', 'microsoft', 'hotmail-com.olc.protection.outlook.com'],
  ['icloud.com', 'apple', 'mx01.mail.icloud.com'],
  ['gmx.de', 'united-internet', 'mx00.emig.gmx.net'],
  ['aol.com', 'yahoo', 'mx-aol.mail.gm0.yahoodns.net'],
  ['web.de', 'united-internet', 'mx-ha02.web.de'],
  ['orange.fr', 'orange', 'smtp-in.orange.fr'],
  ['comcast.net', 'comcast', 'mx1a1.comcast.net'],
  ['googlemail.com', 'google', 'gmail-smtp-in.l.google.com'],
  ['live.com', 'microsoft', 'live-com.olc.protection.outlook.com'],
];

/** Pieces of invented host and domain names. */
export const SYLLABLES = [
  'nor',
  'vel',
  'tar',
  'mi',
  'lo',
  'ka',
  'ren',
  'sol',
  'bri',
  'den',
  'fal',
  'gor',
  'hal',
  'isk',
  'jun',
  'mar',
  'ost',
  'pel',
  'quin',
  'ros',
  'sten',
  'tav',
  'ul',
  'wes',
];
const SUFFIXES = ['.com', '.net', '.org', '.de', '.fr', '.nl', '.co.uk', '.io', '.example'];
const HOSTED = [
  ['mimecast', 'eu-smtp-inbound-1.mimecast.com'],
  ['proofpoint', 'mx0a-00000001.pphosted.com'],
  ['barracuda', 'd000000a.ess.barracudanetworks.com'],
  ['microsoft', '{d}.mail.protection.outlook.com'],
  ['google', 'aspmx.l.google.com'],
] as const;

function ipFor(i: number): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[i % 3]!}.${((i * 37) % 250) + 2}`;
}

/** Builds `count` receivers: the big providers first (Zipf head), then generated site domains. */
export function buildReceivers(rng: Rng, count: number): Receiver[] {
  const out: Receiver[] = PROVIDERS.map(([domain, provider, mx], i) => ({
    domain,
    provider,
    mx,
    ip: ipFor(i),
    trouble: 0.01,
  }));
  const seen = new Set(out.map((r) => r.domain));
  while (out.length < count) {
    const name = rng.pick(SYLLABLES) + rng.pick(SYLLABLES) + (rng.chance(0.3) ? rng.pick(SYLLABLES) : '');
    const domain = name + rng.pick(SUFFIXES);
    if (seen.has(domain)) continue;
    seen.add(domain);
    const hosted = rng.chance(0.25) ? rng.pick(HOSTED) : null;
    const mx = hosted
      ? hosted[1].replace('{d}', domain.replace(/\./g, '-'))
      : `mx${rng.int(3) + 1}.${domain}`;
    out.push({
      domain,
      provider: hosted ? hosted[0] : '',
      mx,
      ip: ipFor(out.length),
      // A handful of stale or broken domains hurt a lot; most are clean.
      trouble: rng.chance(0.05) ? 0.3 + rng.next() * 0.5 : rng.next() * 0.03,
    });
  }
  return out;
}

const FIRST = [
  'anna',
  'ben',
  'carla',
  'dmitri',
  'eva',
  'farid',
  'greta',
  'hugo',
  'ines',
  'jonas',
  'kim',
  'lena',
  'mo',
  'nina',
  'omar',
  'pia',
  'raj',
  'sara',
  'tom',
  'uma',
  'vera',
  'wim',
  'yara',
  'zoe',
];
const LAST = [
  'meier',
  'smith',
  'rossi',
  'novak',
  'dubois',
  'garcia',
  'jensen',
  'kowalski',
  'silva',
  'tanaka',
  'okafor',
  'berg',
];

export function localPart(rng: Rng): string {
  const style = rng.int(4);
  const f = rng.pick(FIRST);
  const l = rng.pick(LAST);
  if (style === 0) return `${f}.${l}`;
  if (style === 1) return `${f}${rng.int(100)}`;
  if (style === 2) return `${f[0]!}${l}`;
  return `${f}_${l}${rng.int(10)}`;
}
