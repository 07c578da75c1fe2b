/**
 * A life's queue id as stored (migration 0012): Postfix's short ids are upper-case hex, which as an integer takes 6
 * bytes instead of 10 to 12 in the row and in the queue-id index. A leading 1 keeps the id's leading zeros, and 12
 * digits at most keep it within JavaScript's exact integers. Exim's ids and Postfix's long ids are packed at 6 bits
 * a character (migration 0018); any other id stays text.
 */

import { packText, unpackText } from './packed-text.js';
import { textKey } from './text-key.js';

const HEX_ID = /^[0-9A-F]{1,12}$/;
/** Exim's ids (letters and digits in dash-separated parts) and Postfix's long ones: packed with '.' for '-' (0018). */
const PACKABLE_ID = /^[0-9A-Za-z-]+$/;

/** The stored form of a queue id. */
export function queueKey(id: string): string | number | Buffer {
  if (HEX_ID.test(id)) return parseInt(`1${id}`, 16);
  return PACKABLE_ID.test(id) ? packText(id.replaceAll('-', '.')) : id;
}

/** The queue id of its stored form. */
export function queueText(stored: string | number | Uint8Array): string {
  if (typeof stored === 'number') return stored.toString(16).toUpperCase().slice(1);
  return typeof stored === 'string' ? stored : unpackText(stored).replaceAll('.', '-');
}

/**
 * The 32-bit key the queue-id index holds (migration 0014): the low 32 bits of an integer id, the text key of any
 * other. Ids share keys; a search compares the stored id as well.
 */
export function queueIndexKey(stored: string | number | Uint8Array): number {
  return typeof stored === 'number' ? stored | 0 : textKey(queueText(stored));
}
