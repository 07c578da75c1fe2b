/**
 * A small, total reader for the flat JSON objects `journalctl -o json` writes: top-level string,
 * number and byte-array values only. It never throws; malformed input gives null.
 */

const decoder = new TextDecoder('utf-8', { fatal: false });

interface Cursor {
  s: string;
  i: number;
}

function skipWs(c: Cursor): void {
  const s = c.s;
  let i = c.i;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch !== 32 && ch !== 9 && ch !== 10 && ch !== 13) break;
    i++;
  }
  c.i = i;
}

function hexValue(s: string, pos: number): number {
  let v = 0;
  for (let k = pos; k < pos + 4; k++) {
    const ch = s.charCodeAt(k);
    let d: number;
    if (ch >= 48 && ch <= 57) d = ch - 48;
    else if (ch >= 65 && ch <= 70) d = ch - 55;
    else if (ch >= 97 && ch <= 102) d = ch - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Reads a JSON string at the cursor (which points at the opening quote). */
function readString(c: Cursor): string | null {
  const s = c.s;
  let i = c.i + 1;
  let start = i;
  // Pieces are joined once at the end: repeated += on many escapes costs more than it should.
  let parts: string[] | null = null;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch === 34) {
      c.i = i + 1;
      if (parts === null) return s.slice(start, i);
      parts.push(s.slice(start, i));
      return parts.join('');
    }
    if (ch === 92) {
      parts ??= [];
      if (i > start) parts.push(s.slice(start, i));
      const e = s[i + 1];
      let piece: string;
      let width = 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          piece = e;
          break;
        case 'n':
          piece = '\n';
          break;
        case 't':
          piece = '\t';
          break;
        case 'r':
          piece = '\r';
          break;
        case 'b':
          piece = '\b';
          break;
        case 'f':
          piece = '\f';
          break;
        case 'u': {
          const v = hexValue(s, i + 2);
          if (v < 0) return null;
          piece = String.fromCharCode(v);
          width = 6;
          break;
        }
        default:
          return null;
      }
      parts.push(piece);
      i += width;
      start = i;
      continue;
    }
    i++;
  }
  return null;
}

/** Skips a value of any type; returns its text for numbers/literals, or a decoded byte array. */
function readValue(c: Cursor, depth: number): string | null | undefined {
  skipWs(c);
  const s = c.s;
  const ch = s[c.i];
  if (ch === '"') return readString(c);
  if (ch === '[' || ch === '{') {
    // Bounded nesting keeps the recursion shallow whatever the input.
    if (depth > 16) return undefined;
    if (ch === '[') return readArray(c, depth);
    return readObject(c, depth + 1, null) ? null : undefined;
  }
  const start = c.i;
  let i = start;
  while (i < s.length) {
    const k = s.charCodeAt(i);
    // digits, letters, '.', '+', '-'
    if (
      (k >= 48 && k <= 57) ||
      (k >= 97 && k <= 122) ||
      (k >= 65 && k <= 90) ||
      k === 46 ||
      k === 43 ||
      k === 45
    )
      i++;
    else break;
  }
  if (i === start) return undefined;
  c.i = i;
  const text = s.slice(start, i);
  // A JSON null is no value: the field counts as absent.
  return text === 'null' ? null : text;
}

/** An array of byte values (journald writes non-UTF-8 fields so) becomes text; others are skipped. */
function readArray(c: Cursor, depth: number): string | null | undefined {
  c.i++;
  const bytes: number[] = [];
  let allBytes = true;
  skipWs(c);
  if (c.s[c.i] === ']') {
    c.i++;
    return '';
  }
  while (c.i < c.s.length) {
    const v = readValue(c, depth + 1);
    if (v === undefined) return undefined;
    const n = v === null ? Number.NaN : Number(v);
    if (Number.isInteger(n) && n >= 0 && n <= 255) bytes.push(n);
    else allBytes = false;
    skipWs(c);
    const sep = c.s[c.i];
    c.i++;
    if (sep === ']') return allBytes ? decoder.decode(Uint8Array.from(bytes)) : null;
    if (sep !== ',') return undefined;
  }
  return undefined;
}

/** Reads an object; when `into` is given, stores its top-level scalar fields there. */
function readObject(c: Cursor, depth: number, into: Map<string, string> | null): boolean {
  c.i++;
  skipWs(c);
  if (c.s[c.i] === '}') {
    c.i++;
    return true;
  }
  while (c.i < c.s.length) {
    skipWs(c);
    if (c.s[c.i] !== '"') return false;
    const key = readString(c);
    if (key === null) return false;
    skipWs(c);
    if (c.s[c.i] !== ':') return false;
    c.i++;
    const v = readValue(c, depth);
    if (v === undefined) return false;
    if (into !== null && v !== null) into.set(key, v);
    skipWs(c);
    const sep = c.s[c.i];
    c.i++;
    if (sep === '}') return true;
    if (sep !== ',') return false;
  }
  return false;
}

/** The top-level fields of a one-line JSON object, or null when the line is not one. */
export function readFlatJson(line: string): Map<string, string> | null {
  const c: Cursor = { s: line, i: 0 };
  skipWs(c);
  if (line[c.i] !== '{') return null;
  const out = new Map<string, string>();
  if (!readObject(c, 0, out)) return null;
  skipWs(c);
  return c.i === line.length ? out : null;
}
