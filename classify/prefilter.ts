/**
 * Cheap dispatch for many regexes over one text: every regex is reduced to literal words one of
 * which any match must contain; one Aho-Corasick pass over the case-folded text tells which regexes
 * can match, and only those run. Regexes we cannot reduce always run, so answers never change.
 * Letters beyond ASCII (German, French, Cyrillic, Japanese ... words in replies) take part too:
 * they are folded the way a case-insensitive regex compares them and hashed into 128 extra symbols,
 * where a collision only makes a regex run that could not match.
 */

/** Literal sets: any match contains one of the strings (lower case), or null when unknown. */
type Lits = string[] | null;

const MIN_LITERAL = 3;
/** Literals are cut to this length: a prefix of a required word is required too, and the automaton stays small. */
const MAX_LITERAL = 8;

/** Symbols of the automaton: ASCII lower-cased, then 128 buckets for every other UTF-16 unit. */
const ALPHABET = 160;

/**
 * Folds one UTF-16 unit the way a regex with the `i` flag (and no `u`) compares it: both sides are
 * upper-cased, but a non-ASCII letter is never made equal to an ASCII one.
 */
const FOLD = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  if (c < 128) {
    FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;
    continue;
  }
  const up = String.fromCharCode(c).toUpperCase();
  const u = up.length === 1 && up.charCodeAt(0) >= 128 ? up.charCodeAt(0) : c;
  FOLD[c] = 128 + (u & 31);
}

/** Whether a literal character folds safely (its case variants are single units that fold alike). */
function foldsSafely(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return true;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  return lo.length === 1 && up.length === 1 && FOLD[lo.charCodeAt(0)] === FOLD[up.charCodeAt(0)];
}

function isLiteral(ch: string): boolean {
  return !'\\^$.|?*+()[]{}'.includes(ch) && foldsSafely(ch);
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
export function splitTop(src: string): string[] {
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
  const minA = Math.min(...a.map(weight));
  const minB = Math.min(...b.map(weight));
  if (minA !== minB) return minA > minB ? a : b;
  return a.length <= b.length ? a : b;
}

/** How telling a literal is: letters beyond ASCII (CJK words are two or three of them) count double. */
function weight(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) w += s.charCodeAt(i) < 128 ? 1 : 2;
  return w;
}

function usable(l: Lits): Lits {
  return l && l.length > 0 && l.every((s) => weight(s) >= MIN_LITERAL) ? l : null;
}

/** Required literals of one alternative (a sequence of atoms). */
function seqLits(src: string): Lits {
  let chosen: Lits = null;
  let run = '';
  const flush = () => {
    if (weight(run) >= MIN_LITERAL) chosen = best(chosen, [run]);
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
    } else if (isLiteral(ch)) lit = ch;
    if (lit === null || lit === '' || !foldsSafely(lit)) {
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
  /** The marks of the last scans, one bit per regex (read only). */
  readonly marks: Uint32Array;
  /** How many of the regexes are reduced to literals (the others always run). */
  readonly reduced: number;
  /** Size of the automaton. */
  readonly states: number;
  /** Symbol classes of the transition table (its width). */
  readonly classes: number;
}

/** Builds the dispatch for a list of regexes (indices follow the list). */
export function createPrefilter(regexes: readonly RegExp[]): Prefilter {
  const words = Math.ceil(regexes.length / 32) || 1;
  const always = new Uint32Array(words);
  // Trie over folded symbols; outputs are bitmasks of regex indices.
  const next: Map<number, number>[] = [new Map<number, number>()];
  const out: Uint32Array[] = [new Uint32Array(words)];
  const used = new Set<number>();
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
        const c = FOLD[lit.charCodeAt(k)]!;
        used.add(c);
        let t = next[s]!.get(c);
        if (t === undefined) {
          t = next.length;
          next.push(new Map<number, number>());
          out.push(new Uint32Array(words));
          next[s]!.set(c, t);
        }
        s = t;
      }
      out[s]![idx >> 5]! |= 1 << (idx & 31);
    }
  });
  // Symbols no literal uses all behave alike: one class for them keeps the table small.
  const symClass = new Uint16Array(ALPHABET);
  let classes = 1;
  for (const c of [...used].sort((a, b) => a - b)) symClass[c] = classes++;
  const charClass = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) charClass[c] = symClass[FOLD[c]!]!;
  // Aho-Corasick: failure links turn the trie into a full transition table.
  const states = next.length;
  const delta = states < 65536 ? new Uint16Array(states * classes) : new Int32Array(states * classes);
  const fail = new Int32Array(states);
  const child = (s: number, k: number): number => {
    if (k === 0) return -1;
    return next[s]!.get(classSymbol[k]!) ?? -1;
  };
  const classSymbol = new Int32Array(classes);
  for (let c = 0; c < ALPHABET; c++) if (symClass[c]! > 0) classSymbol[symClass[c]!] = c;
  const queue: number[] = [];
  for (let k = 0; k < classes; k++) {
    const t = child(0, k);
    if (t === -1) delta[k] = 0;
    else {
      delta[k] = t;
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
    for (let k = 0; k < classes; k++) {
      const t = child(s, k);
      if (t === -1) delta[s * classes + k] = delta[f * classes + k]!;
      else {
        delta[s * classes + k] = t;
        fail[t] = delta[f * classes + k]!;
        queue.push(t);
      }
    }
  }
  // Outputs as a sparse list per state: the few mask words a state sets, and their bits.
  const outStart = new Uint32Array(states + 1);
  const outWord: number[] = [];
  const outBits: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = outWord.length;
    const o = out[s]!;
    for (let w = 0; w < words; w++) {
      if (o[w] !== 0) {
        outWord.push(w);
        outBits.push(o[w]!);
      }
    }
  }
  outStart[states] = outWord.length;
  const outWordArr = Uint16Array.from(outWord);
  const outBitsArr = Uint32Array.from(outBits);
  const mask = new Uint32Array(words);

  return {
    reduced,
    states,
    classes,
    marks: mask,
    scan(text: string): void {
      mask.set(always);
      this.scanMore(text);
    },
    scanMore(text: string): void {
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        s = delta[s * classes + charClass[text.charCodeAt(i)]!]!;
        const end = outStart[s + 1]!;
        for (let j = outStart[s]!; j < end; j++) mask[outWordArr[j]!]! |= outBitsArr[j]!;
      }
    },
    may(index: number): boolean {
      return (mask[index >> 5]! & (1 << (index & 31))) !== 0;
    },
  };
}
