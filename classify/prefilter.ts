/**
 * Cheap dispatch for many regexes over one text: every regex is reduced to literal words one of
 * which any match must contain; one Aho-Corasick pass over the lower-cased text tells which regexes
 * can match, and only those run. Regexes we cannot reduce always run, so answers never change.
 */

/** Literal sets: any match contains one of the strings (lower case, ASCII), or null when unknown. */
type Lits = string[] | null;

const MIN_LITERAL = 3;
/** Literals are cut to this length: a prefix of a required word is required too, and the automaton stays small. */
const MAX_LITERAL = 32;

function isAsciiLiteral(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 && !'\\^$.|?*+()[]{}'.includes(ch);
}

/** Index just past the group or class that starts at i. */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j + 1;
}

function skipGroup(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const ch = src[j]!;
    if (ch === '\\') j += 2;
    else if (ch === '[') j = skipClass(src, j);
    else {
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
  }
  return j;
}

/** Splits a pattern on its top-level "|". */
function splitTop(src: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let j = 0;
  while (j < src.length) {
    const ch = src[j]!;
    if (ch === '\\') j += 2;
    else if (ch === '[') j = skipClass(src, j);
    else if (ch === '(') j = skipGroup(src, j);
    else if (ch === '|') {
      parts.push(src.slice(start, j));
      start = ++j;
    } else j++;
  }
  parts.push(src.slice(start));
  return parts;
}

/** Reads a quantifier at i: returns [optional, index after it]. */
function readQuantifier(src: string, i: number): [boolean | null, number] {
  const ch = src[i];
  let j = i;
  let optional: boolean | null = null;
  if (ch === '?' || ch === '*') {
    optional = true;
    j++;
  } else if (ch === '+') {
    optional = false;
    j++;
  } else if (ch === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(i));
    if (m) {
      optional = Number(m[1]) === 0;
      j += m[0].length;
    }
  }
  if (optional !== null && src[j] === '?') j++;
  return [optional, j];
}

function best(a: Lits, b: Lits): Lits {
  if (!a) return b;
  if (!b) return a;
  const minA = Math.min(...a.map((s) => s.length));
  const minB = Math.min(...b.map((s) => s.length));
  if (minA !== minB) return minA > minB ? a : b;
  return a.length <= b.length ? a : b;
}

function usable(l: Lits): Lits {
  return l && l.length > 0 && l.every((s) => s.length >= MIN_LITERAL) ? l : null;
}

/** Required literals of one alternative (a sequence of atoms). */
function seqLits(src: string): Lits {
  let chosen: Lits = null;
  let run = '';
  const flush = () => {
    if (run.length >= MIN_LITERAL) chosen = best(chosen, [run]);
    run = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '(') {
      flush();
      const end = skipGroup(src, i);
      const [optional, after] = readQuantifier(src, end);
      const inner = src.slice(i + 1, end - 1);
      const assertion = /^\?(?:=|!|<=|<!)/.test(inner);
      if (!assertion && optional !== true) {
        const body = inner.startsWith('?:')
          ? inner.slice(2)
          : inner.startsWith('?<')
            ? inner.replace(/^\?<[^>]+>/, '')
            : inner;
        chosen = best(chosen, usable(altLits(body)));
      }
      i = after;
      continue;
    }
    if (ch === '[' || ch === '.' || ch === '^' || ch === '$') {
      flush();
      i = ch === '[' ? skipClass(src, i) : i + 1;
      const [, after] = readQuantifier(src, i);
      i = after;
      continue;
    }
    let lit: string | null = null;
    let next = i + 1;
    if (ch === '\\') {
      const e = src[i + 1] ?? '';
      next = i + 2;
      if (/[bBsSdDwWnrtfv0-9ukcpP]/.test(e)) lit = null;
      else lit = e;
    } else if (isAsciiLiteral(ch)) lit = ch;
    if (lit === null || lit === '' || lit.charCodeAt(0) >= 128) {
      flush();
      const [, after] = readQuantifier(src, next);
      i = after;
      continue;
    }
    const [optional, after] = readQuantifier(src, next);
    if (optional === true) {
      flush();
    } else if (optional === false) {
      run += lit.toLowerCase();
      flush();
    } else {
      run += lit.toLowerCase();
    }
    i = after;
  }
  flush();
  return chosen;
}

/** Required literals of a pattern with alternatives: the union, or null if any alternative has none. */
function altLits(src: string): Lits {
  const out: string[] = [];
  for (const alt of splitTop(src)) {
    const l = usable(seqLits(alt));
    if (!l) return null;
    out.push(...l);
  }
  return out;
}

/** The literal words one of which every match of the regex contains, or null. */
export function requiredLiterals(re: RegExp): string[] | null {
  if (re.flags.includes('u') || re.flags.includes('v')) return null;
  return usable(altLits(re.source));
}

export interface Prefilter {
  /** Marks the regexes that may match `text`; read them with `may(i)`. */
  scan(text: string): void;
  /** Adds the regexes that may match another text to the marks of the last scan. */
  scanMore(text: string): void;
  may(index: number): boolean;
  /** How many of the regexes are reduced to literals (the others always run). */
  readonly reduced: number;
  /** Size of the automaton. */
  readonly states: number;
}

/** Builds the dispatch for a list of regexes (indices follow the list). */
export function createPrefilter(regexes: readonly RegExp[]): Prefilter {
  const words = Math.ceil(regexes.length / 32) || 1;
  const always = new Uint32Array(words);
  // Trie over ASCII bytes; outputs are bitmasks of regex indices.
  const next: number[][] = [new Array<number>(128).fill(-1)];
  const out: Uint32Array[] = [new Uint32Array(words)];
  let reduced = 0;
  regexes.forEach((re, idx) => {
    const lits = requiredLiterals(re);
    if (!lits) {
      always[idx >> 5]! |= 1 << (idx & 31);
      return;
    }
    reduced++;
    for (const full of lits) {
      const lit = full.slice(0, MAX_LITERAL);
      let s = 0;
      for (let k = 0; k < lit.length; k++) {
        const c = lit.charCodeAt(k);
        let t = next[s]![c]!;
        if (t === -1) {
          t = next.length;
          next.push(new Array<number>(128).fill(-1));
          out.push(new Uint32Array(words));
          next[s]![c] = t;
        }
        s = t;
      }
      out[s]![idx >> 5]! |= 1 << (idx & 31);
    }
  });
  // Aho-Corasick: failure links turn the trie into a full transition table.
  const states = next.length;
  const delta = new Int32Array(states * 128);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < 128; c++) {
    const t = next[0]![c]!;
    if (t === -1) delta[c] = 0;
    else {
      delta[c] = t;
      fail[t] = 0;
      queue.push(t);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    const f = fail[s]!;
    const os = out[s]!;
    const of = out[f]!;
    for (let w = 0; w < words; w++) os[w]! |= of[w]!;
    for (let c = 0; c < 128; c++) {
      const t = next[s]![c]!;
      if (t === -1) delta[s * 128 + c] = delta[f * 128 + c]!;
      else {
        delta[s * 128 + c] = t;
        fail[t] = delta[f * 128 + c]!;
        queue.push(t);
      }
    }
  }
  const flatOut = new Uint32Array(states * words);
  const hasOut = new Uint8Array(states);
  for (let s = 0; s < states; s++) {
    flatOut.set(out[s]!, s * words);
    hasOut[s] = out[s]!.some((w) => w !== 0) ? 1 : 0;
  }
  const mask = new Uint32Array(words);

  return {
    reduced,
    states,
    scan(text: string): void {
      mask.set(always);
      this.scanMore(text);
    },
    scanMore(text: string): void {
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        let c = text.charCodeAt(i);
        if (c >= 65 && c <= 90) c += 32;
        else if (c >= 128) c = 0;
        s = delta[s * 128 + c]!;
        if (hasOut[s] === 1) {
          const base = s * words;
          for (let w = 0; w < words; w++) mask[w]! |= flatOut[base + w]!;
        }
      }
    },
    may(index: number): boolean {
      return (mask[index >> 5]! & (1 << (index & 31))) !== 0;
    },
  };
}
