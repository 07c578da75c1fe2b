/** The shape of a reply text: the same reply to different recipients, hosts or ids groups as one example. */

import type { Db } from '../open.js';

/** A reply code (`550`, `550-`, `550-5.1.1`) or enhanced status (`5.7.1`), maybe in brackets or before punctuation. */
const CODE = /^[([]?(?:[245]\d\d(?:-(?:[245]\.\d{1,3}\.\d{1,3})?)?|[245]\.\d{1,3}\.\d{1,3})[)\]:;,.]*$/;

/** Replies are told apart by their start: what follows this many characters is left out of the shape. */
const SHAPE_CHARS = 2048;

/** One word: an address becomes `<addr>`, a word with digits `#` unless it is a code. */
function shapeWord(word: string): string {
  if (word.includes('@')) return '<addr>';
  return /\d/.test(word) && !CODE.test(word) ? '#' : word;
}

/**
 * Addresses become `<addr>`; tokens with digits (ids, IPs, counters, timestamps) become `#`, except
 * reply codes and enhanced status codes, which tell replies apart. Case is ignored. One pass over the
 * words of the text's first SHAPE_CHARS characters: nothing a remote server writes can make it slow.
 */
export function replyShape(text: string): string {
  const out: string[] = [];
  for (const word of text.slice(0, SHAPE_CHARS).toLowerCase().split(/\s+/)) {
    if (word !== '') out.push(shapeWord(word));
  }
  return out.join(' ');
}

const registered = new WeakSet<Db>();

/** Makes `bw_reply_shape(text)` available to this connection's SQL (once per connection). */
export function registerReplyShape(db: Db): void {
  if (registered.has(db)) return;
  db.function('bw_reply_shape', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? replyShape(text) : null,
  );
  registered.add(db);
}
