/** One prefilter pass per reply for every regex family the classifier uses (see prefilter.ts). */

import { BLOCKLIST_REGEXES } from './blocklists.js';
import { STAGE_REGEXES } from './extract.js';
import { STRONG_MEANINGS, WEAK_MEANINGS, type Meaning } from './meanings.js';
import { createPrefilter } from './prefilter.js';
import { PROVIDER_RULES } from './provider-codes.js';
import { PROVIDER_MARKER_REGEXES } from './providers.js';

const families = {
  providerCodes: PROVIDER_RULES.map((p) => p.re),
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

/**
 * Registers each meaning alternative: its own regex (the key that unlocks it when its words occur)
 * and, for two ideas close together, the parts it also needs. Returns, per prefilter index, the
 * alternatives it is the key of, as (meaning << 10 | alternative).
 */
function register(meanings: readonly Meaning[]): {
  keyOf: Map<number, number[]>;
  needs: Map<number, number[]>;
} {
  const index = new Map<RegExp, number>();
  const idOf = (re: RegExp): number => {
    let i = index.get(re);
    if (i === undefined) {
      all.push(re);
      i = all.length - 1;
      index.set(re, i);
    }
    return i;
  };
  const keyOf = new Map<number, number[]>();
  const needs = new Map<number, number[]>();
  meanings.forEach((m, i) =>
    m.alts.forEach((alt, j) => {
      const code = (i << 10) | j;
      const key = idOf(alt.re);
      const list = keyOf.get(key) ?? [];
      list.push(code);
      keyOf.set(key, list);
      const others = alt.parts.filter((p) => p !== alt.re).map(idOf);
      if (others.length > 0) needs.set(code, others);
    }),
  );
  return { keyOf, needs };
}
const strongReg = register(STRONG_MEANINGS);
const weakReg = register(WEAK_MEANINGS);

const prefilter = createPrefilter(all);

function table(keyOf: Map<number, number[]>): (number[] | undefined)[] {
  const t: (number[] | undefined)[] = new Array<number[] | undefined>(all.length);
  for (const [k, v] of keyOf) t[k] = v;
  return t;
}
const strongKeys = table(strongReg.keyOf);
const weakKeys = table(weakReg.keyOf);

/**
 * The meaning alternatives the scanned text may match, in meaning order: found from the marked
 * regexes (few per reply) rather than by asking every alternative.
 */
function candidatesOf(
  keys: readonly (number[] | undefined)[],
  needs: Map<number, number[]>,
  out: number[],
): number[] {
  out.length = 0;
  const marks = prefilter.marks;
  for (let w = 0; w < marks.length; w++) {
    let x = marks[w]!;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const list = keys[(w << 5) | (31 - Math.clz32(low))];
      if (list === undefined) continue;
      for (const code of list) {
        const other = needs.get(code);
        if (other === undefined || other.every((p) => prefilter.may(p))) out.push(code);
      }
    }
  }
  if (out.length > 1) out.sort((a, b) => a - b);
  return out;
}

const strongOut: number[] = [];
const weakOut: number[] = [];

/** Candidates as (meaning << 10 | alternative), sorted: valid until the next scan. */
export const meaningCandidates = {
  strong: (): readonly number[] => candidatesOf(strongKeys, strongReg.needs, strongOut),
  weak: (): readonly number[] => candidatesOf(weakKeys, weakReg.needs, weakOut),
};

/** Gates per family, made once: `gates.providerCodes(i)` says whether PROVIDER_RULES[i] may match the scanned text. */
export const gates: Readonly<Record<Family, (i: number) => boolean>> = {
  providerCodes: (i) => prefilter.may(offsets.providerCodes + i),
  blocklists: (i) => prefilter.may(offsets.blocklists + i),
  markers: (i) => prefilter.may(offsets.markers + i),
  stages: (i) => prefilter.may(offsets.stages + i),
};

/**
 * Scans the texts of one reply (the raw text, the text without its continuation codes, and an
 * enhanced status given beside it); the gates then answer for them until the next scan.
 */
export function scanText(text: string, words: string, status: string | null): void {
  prefilter.scan(text);
  if (words !== text) prefilter.scanMore(words);
  if (status !== null) prefilter.scanMore(status);
}
