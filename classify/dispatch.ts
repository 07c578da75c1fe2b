/**
 * One prefilter pass per reply for every regex family the classifier uses (see prefilter.ts): the
 * provider markers, blocklists and stages read the raw text, the meanings and provider rules the
 * text without continuation codes (the same text for a one-line reply) and a status given beside it.
 */

import { BLOCKLIST_REGEXES } from './blocklists.js';
import { STAGE_REGEXES } from './extract.js';
import { STRONG_MEANINGS, WEAK_MEANINGS, type Meaning } from './meanings.js';
import { createPrefilter } from './prefilter.js';
import { PROVIDER_RULES } from './provider-codes.js';
import { PROVIDER_MARKER_REGEXES, TEXT_HOST_REGEX } from './providers.js';

const rawFamilies = {
  blocklists: BLOCKLIST_REGEXES,
  markers: PROVIDER_MARKER_REGEXES,
  stages: STAGE_REGEXES,
  textHost: [TEXT_HOST_REGEX],
} as const;
type RawFamily = keyof typeof rawFamilies;
const wordAll: RegExp[] = [];
const rawOffsets = {} as Record<RawFamily, number>;
for (const key of Object.keys(rawFamilies) as RawFamily[]) {
  rawOffsets[key] = wordAll.length;
  wordAll.push(...rawFamilies[key]);
}
const rulesOffset = wordAll.length;
wordAll.push(...PROVIDER_RULES.map((p) => p.re));

/** Gates per family: `gates.stages(i)` says whether STAGE_REGEXES[i] may match the scanned text. */
export const gates: Readonly<Record<RawFamily, (i: number) => boolean>> = {
  blocklists: (i) => wordFilter.may(rawOffsets.blocklists + i),
  markers: (i) => wordFilter.may(rawOffsets.markers + i),
  stages: (i) => wordFilter.may(rawOffsets.stages + i),
  textHost: (i) => wordFilter.may(rawOffsets.textHost + i),
};

/** A candidate: what to test, and the other regexes its text must also contain (two ideas close together). */
interface Entry {
  code: number;
  needs: readonly number[] | null;
}

const index = new Map<RegExp, number>();
const idOf = (re: RegExp): number => {
  let i = index.get(re);
  if (i === undefined) {
    wordAll.push(re);
    i = wordAll.length - 1;
    index.set(re, i);
  }
  return i;
};

/**
 * Registers each meaning alternative: its own regex (the key that unlocks it when its words occur)
 * and, for two ideas close together, the parts it also needs. Codes are (meaning << 10 | alternative).
 */
function register(meanings: readonly Meaning[]): Map<number, Entry[]> {
  const byKey = new Map<number, Entry[]>();
  meanings.forEach((m, i) =>
    m.alts.forEach((alt, j) => {
      const key = idOf(alt.re);
      const others = alt.parts.filter((p) => p !== alt.re).map(idOf);
      const list = byKey.get(key) ?? [];
      list.push({ code: (i << 10) | j, needs: others.length > 0 ? others : null });
      byKey.set(key, list);
    }),
  );
  return byKey;
}
const strongByKey = register(STRONG_MEANINGS);
const weakByKey = register(WEAK_MEANINGS);
const wordFilter = createPrefilter(wordAll);

interface Keys {
  /** Per prefilter index, the alternatives it unlocks. */
  entries: (Entry[] | undefined)[];
  /** The same indices as a bit mask, to skip the marks of other regexes quickly. */
  mask: Uint32Array;
}

function table(byKey: Map<number, Entry[]>): Keys {
  const entries = new Array<Entry[] | undefined>(wordAll.length);
  const mask = new Uint32Array(Math.ceil(wordAll.length / 32) || 1);
  for (const [k, v] of byKey) {
    entries[k] = v;
    mask[k >> 5]! |= 1 << (k & 31);
  }
  return { entries, mask };
}
const strongKeys = table(strongByKey);
const weakKeys = table(weakByKey);

/**
 * The meaning alternatives the scanned words may match, in meaning order: found from the marked
 * regexes (few per reply) rather than by asking every alternative.
 */
function candidatesOf(keys: Keys, out: Candidates): Candidates {
  let n = 0;
  const marks = wordFilter.marks;
  const keyMask = keys.mask;
  const buf = out.codes;
  for (let w = 0; w < marks.length; w++) {
    let x = marks[w]! & keyMask[w]!;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const list = keys.entries[(w << 5) | (31 - Math.clz32(low))]!;
      for (let k = 0; k < list.length; k++) {
        const e = list[k]!;
        const needs = e.needs;
        let ok = true;
        if (needs !== null) {
          for (let q = 0; q < needs.length; q++) {
            const b = needs[q]!;
            if ((marks[b >> 5]! & (1 << (b & 31))) === 0) {
              ok = false;
              break;
            }
          }
        }
        if (!ok) continue;
        // Insertion keeps the codes sorted: meaning order first, then alternative order.
        let at = n++;
        while (at > 0 && buf[at - 1]! > e.code) {
          buf[at] = buf[at - 1]!;
          at--;
        }
        buf[at] = e.code;
      }
    }
  }
  out.count = n;
  return out;
}

/** Candidates as (meaning << 10 | alternative), sorted, in `codes[0 .. count)`: valid until the next scan. */
export interface Candidates {
  codes: Int32Array;
  count: number;
}

const strongOut: Candidates = { codes: new Int32Array(countAlts(strongByKey)), count: 0 };
const weakOut: Candidates = { codes: new Int32Array(countAlts(weakByKey)), count: 0 };

function countAlts(byKey: Map<number, Entry[]>): number {
  let n = 0;
  for (const list of byKey.values()) n += list.length;
  return n;
}

export const meaningCandidates = {
  strong: (): Candidates => candidatesOf(strongKeys, strongOut),
  weak: (): Candidates => candidatesOf(weakKeys, weakOut),
};

/** Per provider (null: unknown), the rules worth trying as a bit mask: its own and the distinctive ones. */
const ruleMasks = new Map<string | null, Uint32Array>();
function ruleMask(provider: string | null): Uint32Array {
  let mask = ruleMasks.get(provider);
  if (mask === undefined) {
    mask = new Uint32Array(wordFilter.marks.length);
    PROVIDER_RULES.forEach((pc, i) => {
      if (pc.provider === provider || pc.distinctive === true)
        mask![(rulesOffset + i) >> 5]! |= 1 << ((rulesOffset + i) & 31);
    });
    ruleMasks.set(provider, mask);
  }
  return mask;
}

/** The provider rules (indices into PROVIDER_RULES, in order) that may match the scanned words. */
export function providerRuleCandidates(provider: string | null, out: number[]): number[] {
  let n = 0;
  const marks = wordFilter.marks;
  const mask = ruleMask(provider);
  const first = rulesOffset >> 5;
  const last = (rulesOffset + PROVIDER_RULES.length - 1) >> 5;
  for (let w = first; w <= last; w++) {
    let x = marks[w]! & mask[w]!;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      out[n++] = ((w << 5) | (31 - Math.clz32(low))) - rulesOffset;
    }
  }
  out.length = n;
  return out;
}

/**
 * Scans one reply (the raw text, the text without its continuation codes when it differs, and an
 * enhanced status given beside it); the gates then answer for these texts until the next scan.
 */
export function scanText(text: string, words: string, status: string | null): void {
  wordFilter.scan(text);
  if (words !== text) wordFilter.scanMore(words);
  if (status !== null) wordFilter.scanMore(status);
}
