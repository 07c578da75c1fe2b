/** SQL functions the schema's views and migrations call, registered on every connection that opens the database. */

import type Database from 'better-sqlite3';
import { delayBucket } from '../store/delay-buckets.js';
import { addDelayCounts, DELAY_BUCKETS, packDelayCounts } from './delay-cells.js';
import { joinReply, splitReply } from './reply-words.js';
import { queueIndexKey, queueKey, queueText } from './queue-key.js';
import { messageKey, recipientKey, textKey } from './text-key.js';
import { packText, unpackText } from './packed-text.js';

const registered = new WeakSet<Database.Database>();

/** SQLite hands text, numbers, blobs or null: a text column holds text or a packed text (0018); a number is read as its digits, anything else as ''. */
const text = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : v instanceof Uint8Array
      ? unpackText(v)
      : typeof v === 'number' || typeof v === 'bigint'
        ? String(v)
        : '';
/** A stored text column's text (a packed one read back), or null when it holds none. */
const stored = (v: unknown): string | null =>
  typeof v === 'string' ? v : v instanceof Uint8Array ? unpackText(v) : null;

/**
 * bw_reply(template, words) puts a stored reply together; bw_reply_template and bw_reply_words split one (0010);
 * bw_key(text) keys an address or Message-ID; bw_queue and bw_queue_text store a life's queue id and read it back;
 * bw_recipient_key, bw_message_key and bw_queue_key key what a row stores, for the indexes of migrations 13 and 14.
 */
export function registerFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function('bw_reply', { deterministic: true }, (template: unknown, words: unknown) =>
    template === null ? null : joinReply(text(template), stored(words)),
  );
  // bw_key(text): the 32-bit key of an address or Message-ID (text-key.ts), as migrations 10 and 12 stored it.
  db.function('bw_key', { deterministic: true }, (t: unknown) => (typeof t === 'string' ? textKey(t) : null));
  // bw_recipient_key(recipient, recipient_domain, flags) and bw_message_key(message_id, message_domain): the keys
  // the trace's indexes hold (text-key.ts), of an attempt's and a life's stored columns. Flag 8: the address is whole.
  // They answer a BigInt: a JS number comes back to SQLite as a REAL, which an index keeps in 8 bytes, not 4.
  const id = (v: unknown): number | null =>
    typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
  const integer = (k: number | null): bigint | null => (k === null ? null : BigInt(k));
  db.function('bw_recipient_key', { deterministic: true }, (t: unknown, domain: unknown, flags: unknown) => {
    const s = stored(t);
    return s === null ? null : integer(recipientKey(s, id(domain), ((id(flags) ?? 0) & 8) !== 0));
  });
  db.function('bw_message_key', { deterministic: true }, (t: unknown, domain: unknown) => {
    const s = stored(t);
    return s === null ? null : integer(messageKey(s, id(domain)));
  });
  // bw_text(stored) is a text column's text, a packed one read back; bw_pack(text) packs one (packed-text.ts, 0018).
  db.function('bw_text', { deterministic: true }, (v: unknown) =>
    v instanceof Uint8Array ? unpackText(v) : v,
  );
  db.function('bw_pack', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? packText(v) : v));
  // bw_queue_key(stored): the key of a stored queue id that the queue-id index holds (migration 0014).
  db.function('bw_queue_key', { deterministic: true }, (v: unknown) =>
    typeof v === 'string' || typeof v === 'number' || v instanceof Uint8Array
      ? BigInt(queueIndexKey(v))
      : typeof v === 'bigint'
        ? BigInt(queueIndexKey(Number(v)))
        : null,
  );
  // bw_queue(id) is a life's queue id as stored, bw_queue_text(stored) the id again (queue-key.ts).
  db.function('bw_queue', { deterministic: true }, (t: unknown) => (typeof t === 'string' ? queueKey(t) : t));
  db.function('bw_queue_text', { deterministic: true }, (v: unknown) =>
    typeof v === 'number' || v instanceof Uint8Array
      ? queueText(v)
      : typeof v === 'bigint'
        ? queueText(Number(v))
        : v,
  );
  // bw_delay_bucket(seconds): the delay histogram's bucket (delay-buckets.ts), for 0015's count of older rows.
  db.function('bw_delay_bucket', { deterministic: true }, (v: unknown) =>
    typeof v === 'number' ? delayBucket(v) : null,
  );
  // A delay histogram's blob of counts (delay-cells.ts, migration 0016): bw_delay_add(a, b) adds two (the writer's
  // upsert), bw_delay_sum(blob) adds up a group's (the reads), bw_delay_pack(bucket, count) packs 0015's rows.
  const blob = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(0));
  db.function('bw_delay_add', { deterministic: true }, (a: unknown, b: unknown) => {
    const counts = new Float64Array(DELAY_BUCKETS);
    addDelayCounts(counts, blob(a));
    addDelayCounts(counts, blob(b));
    return packDelayCounts(counts);
  });
  db.aggregate('bw_delay_sum', {
    deterministic: true,
    start: () => new Float64Array(DELAY_BUCKETS),
    step: (counts: Float64Array, v: unknown) => {
      addDelayCounts(counts, blob(v));
    },
    result: (counts: Float64Array) => packDelayCounts(counts),
  });
  db.aggregate('bw_delay_pack', {
    deterministic: true,
    varargs: true,
    start: () => new Float64Array(DELAY_BUCKETS),
    step: (counts: Float64Array, ...[bucket, count]: unknown[]) => {
      const b = id(bucket);
      if (b !== null && b >= 0 && b < DELAY_BUCKETS) counts[b]! += id(count) ?? 0;
    },
    result: (counts: Float64Array) => packDelayCounts(counts),
  });
  db.function('bw_reply_template', { deterministic: true }, (t: unknown) => splitReply(text(t))[0]);
  db.function('bw_reply_words', { deterministic: true }, (t: unknown) => splitReply(text(t))[1]);
  registered.add(db);
}
