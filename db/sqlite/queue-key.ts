/**
 * A life's queue id as stored (migration 0012): Postfix's short ids are upper-case hex, which as an integer takes 6
 * bytes instead of 10 to 12 in the row and in the queue-id index. A leading 1 keeps the id's leading zeros, and 12
 * digits at most keep it within JavaScript's exact integers. Any other id (Exim's, Postfix's long ids) stays text.
 */

import { textKey } from './text-key.js';

const HEX_ID = /^[0-9A-F]{1,12}$/;

/** The stored form of a queue id. */
export function queueKey(id: string): string | number {
  return HEX_ID.test(id) ? parseInt(`1${id}`, 16) : id;
}

/** The queue id of its stored form. */
export function queueText(stored: string | number): string {
  return typeof stored === 'number' ? stored.toString(16).toUpperCase().slice(1) : stored;
}

/**
 * The 32-bit key the queue-id index holds (migration 0014): the low 32 bits of an integer id, the text key of any
 * other. Ids share keys; a search compares the stored id as well.
 */
export function queueIndexKey(stored: string | number): number {
  return typeof stored === 'number' ? stored | 0 : textKey(stored);
}
