/** One prefilter pass per reply for every regex family the classifier uses (see prefilter.ts). */

import { BLOCKLIST_REGEXES } from './blocklists.js';
import { STAGE_REGEXES } from './extract.js';
import { createPrefilter } from './prefilter.js';
import { PROVIDER_CODES } from './provider-codes.js';
import { PROVIDER_MARKER_REGEXES } from './providers.js';
import { STRONG_RULES, WEAK_RULES } from './rules.js';

const families = {
  strong: STRONG_RULES.map((r) => r.re),
  weak: WEAK_RULES.map((r) => r.re),
  providerCodes: PROVIDER_CODES.map((p) => p.re),
  blocklists: BLOCKLIST_REGEXES,
  markers: PROVIDER_MARKER_REGEXES,
  stages: STAGE_REGEXES,
} as const;

type Family = keyof typeof families;

const all: RegExp[] = [];
const offsets = {} as Record<Family, number>;
for (const key of Object.keys(families) as Family[]) {
  offsets[key] = all.length;
  all.push(...families[key]);
}

const prefilter = createPrefilter(all);

/** Gates per family, made once: `gates.strong(i)` says whether STRONG_RULES[i] may match the scanned text. */
export const gates: Readonly<Record<Family, (i: number) => boolean>> = {
  strong: (i) => prefilter.may(offsets.strong + i),
  weak: (i) => prefilter.may(offsets.weak + i),
  providerCodes: (i) => prefilter.may(offsets.providerCodes + i),
  blocklists: (i) => prefilter.may(offsets.blocklists + i),
  markers: (i) => prefilter.may(offsets.markers + i),
  stages: (i) => prefilter.may(offsets.stages + i),
};

/** Scans the texts of one reply; the gates then answer for them until the next scan. */
export function scanText(text: string, other: string): void {
  prefilter.scan(text);
  if (other !== text) prefilter.scanMore(other);
}

export const PREFILTER_STATS = { regexes: all.length, reduced: prefilter.reduced, states: prefilter.states };
