/**
 * Texts of letters, digits and dots packed at 6 bits a character (migration 0018): a recipient's local part, the
 * words cut out of a reply (a server's queue id or token) and a Message-ID's left-hand side are mostly such texts,
 * and take three quarters of their bytes as a blob. Any other text, or one too short to gain, stays as it is, so a
 * column holds either form and every reader puts a blob back with unpackText (bw_text in SQL).
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.';
/** The code after the last character when a whole code's bits are left over in the last byte. */
const END = 63;
const CODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) CODE[ALPHABET.charCodeAt(i)] = i;

/** Below four characters a blob is no shorter than the text. */
const SHORTEST = 4;

/**
 * A text as stored: packed into a blob when all of it is in the alphabet and that is shorter, else unchanged. It runs
 * for every attempt written, so it fills the blob in one pass with no array on the way.
 */
export function packText(text: string): string | Buffer {
  const n = text.length;
  if (n < SHORTEST) return text;
  // A last byte with a whole code's bits to spare gets END, which says where the text stops.
  const ends = (n * 6) % 8 === 2;
  // A Buffer, which better-sqlite3 binds as a blob.
  const out = Buffer.allocUnsafe(((n + (ends ? 1 : 0)) * 6 + 7) >> 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i <= n; i++) {
    let code = END;
    if (i < n) {
      const c = text.charCodeAt(i);
      code = c < 128 ? CODE[c]! : -1;
      if (code < 0) return text;
    } else if (!ends) break;
    acc = (acc << 6) | code;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = acc >> bits;
      acc &= (1 << bits) - 1;
    }
  }
  if (bits > 0) out[o] = acc << (8 - bits);
  return out;
}

/** The text of a stored value: a packed blob read back, a text as it is. */
export function unpackText(stored: string | Uint8Array): string {
  if (typeof stored === 'string') return stored;
  let text = '';
  let acc = 0;
  let bits = 0;
  for (const byte of stored) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      const code = (acc >> bits) & 63;
      if (code === END) return text;
      text += ALPHABET.charAt(code);
    }
  }
  return text;
}
