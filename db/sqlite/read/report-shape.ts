/** The shape of a reply text: the same reply to different recipients, hosts or ids groups as one example. */

import type { Db } from '../open.js';

/** A reply code (`550`, `550-`, `550-5.1.1`) or enhanced status (`5.7.1`), maybe in brackets or before punctuation. */
const CODE = /^[([]?(?:[245]\d\d(?:-(?:[245]\.\d{1,3}\.\d{1,3})?)?|[245]\.\d{1,3}\.\d{1,3})[)\]:;,.]*$/;

/**
 * Addresses become `<addr>`; tokens with digits (ids, IPs, counters, timestamps) become `#`, except
 * reply codes and enhanced status codes, which tell replies apart. Case is ignored.
 */
export function replyShape(text: string): string {
  return text
    .toLowerCase()
    .replace(/\S*@\S*/g, '<addr>')
    .replace(/\S*\d\S*/g, (token) => (CODE.test(token) ? token : '#'))
    .replace(/\s+/g, ' ')
    .trim();
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
