/** SQL functions the schema's views and migrations call, registered on every connection that opens the database. */

import type Database from 'better-sqlite3';
import { delayBucket } from '../store/delay-buckets.js';
import { joinReply, splitReply } from './reply-words.js';
import { queueKey, queueText } from './queue-key.js';
import { textKey } from './text-key.js';

const registered = new WeakSet<Database.Database>();

/** SQLite hands text, numbers, blobs or null: a reply column holds text; anything else is read as its digits or ''. */
const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';

/**
 * bw_reply(template, words) puts a stored reply together; bw_reply_template and bw_reply_words split one (0010);
 * bw_key(text) keys an address or Message-ID; bw_queue and bw_queue_text store a life's queue id and read it back.
 */
export function registerFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function('bw_reply', { deterministic: true }, (template: unknown, words: unknown) =>
    template === null ? null : joinReply(text(template), typeof words === 'string' ? words : null),
  );
  // bw_key(text): the 32-bit key of an address or Message-ID (text-key.ts) that their indexes hold.
  db.function('bw_key', { deterministic: true }, (t: unknown) => (typeof t === 'string' ? textKey(t) : null));
  // bw_queue(id) is a life's queue id as stored, bw_queue_text(stored) the id again (queue-key.ts).
  db.function('bw_queue', { deterministic: true }, (t: unknown) => (typeof t === 'string' ? queueKey(t) : t));
  db.function('bw_queue_text', { deterministic: true }, (v: unknown) =>
    typeof v === 'number' ? queueText(v) : typeof v === 'bigint' ? queueText(Number(v)) : v,
  );
  // bw_delay_bucket(seconds): the delay histogram's bucket (delay-buckets.ts), for 0013's count of older rows.
  db.function('bw_delay_bucket', { deterministic: true }, (v: unknown) =>
    typeof v === 'number' ? delayBucket(v) : null,
  );
  db.function('bw_reply_template', { deterministic: true }, (t: unknown) => splitReply(text(t))[0]);
  db.function('bw_reply_words', { deterministic: true }, (t: unknown) => splitReply(text(t))[1]);
  registered.add(db);
}
