/**
 * Packed rows (column values as ingest names them, pack-batch.ts) turned into the lean rows the tables store
 * (migration 0010): repeated labels become ids into `names`, outcomes and classes small codes, a reply text the id
 * of its template and its cut words. Runs on the writer's connection, inside its transaction.
 */

import { DELAY_KEY_COLUMNS } from './delay-counter.js';
import type { Db } from '../open.js';
import { queueKey } from '../queue-key.js';
import { splitReply } from '../reply-words.js';
import { ATTEMPT_COLUMNS, MESSAGE_COLUMNS, REJECT_COLUMNS, ROLLUP_COLUMNS } from './columns.js';
import { packText } from '../packed-text.js';
import type { Stored, Value } from './pack-batch.js';
import { createPartIds, foldedColumns, foldParts, ORIGINS, ROUTES } from './part-ids.js';

/** How one packed column is stored: as is, as a name id, as a code, or as a reply template id and its words. */
type Codec =
  | 'plain'
  | 'name'
  | 'outcome'
  | 'class'
  | 'reply'
  | 'null-if-empty'
  | 'centi'
  | 'after-first'
  | 'recipient'
  | 'flags'
  | 'message-id'
  | 'queue-id'
  | 'dsn';

/**
 * Set in an attempt's stored flags when its recipient is stored whole (migration 0012): otherwise the row keeps only
 * the part before `@<recipient domain>`, which the domain's name id already says. The rare case carries the bit, so
 * the common row's flags stay 0, a value SQLite stores in no byte at all.
 */
const RECIPIENT_WHOLE = 8;

/** The address without `@domain` when it ends so (the domain is stored as an id beside it), else null. */
function recipientLocal(recipient: Value, domain: Value): string | null {
  if (typeof recipient !== 'string' || typeof domain !== 'string' || domain === '') return null;
  const cut = recipient.length - domain.length - 1;
  return cut >= 0 && recipient.charCodeAt(cut) === 64 && recipient.endsWith(domain)
    ? recipient.slice(0, cut)
    : null;
}

const OUTCOME_CODES: Readonly<Record<string, number>> = {
  sent: 0,
  deferred: 1,
  bounced: 2,
  expired: 3,
};
const CLASS_CODES: Readonly<Record<string, number>> = { success: 0, temporary: 1, permanent: 2 };

export interface Layout {
  /** The stored table and its columns, in the order of the encoded values. */
  table: string;
  columns: readonly string[];
  /** One codec per packed column. */
  codecs: readonly Codec[];
  /** Where the life's first time is among the packed values (for 'after-first'), or -1. */
  first: number;
  /** Where the recipient and its domain are among the packed values (for 'recipient' and 'flags'), or -1. */
  recipient: number;
  domain: number;
  /** Where the enhanced status is among the packed values (for 'dsn'), or -1. */
  status: number;
  /** Whether a reply's cut words are packed when they can be (packed-text.ts): attempts' are, rejects' are not. */
  packsWords: boolean;
}

/** Stored columns named otherwise than the packed ones. */
const STORED_AS: Readonly<Record<string, string>> = { last_ts: 'last_after', closed_at: 'closed_after' };

function layout(
  table: string,
  packed: readonly string[],
  codecs: Record<string, Codec>,
  packsWords = false,
): Layout {
  const columns: string[] = [];
  for (const c of packed) {
    if (codecs[c] === 'reply') columns.push('reply', 'reply_words');
    else if (codecs[c] === 'message-id') columns.push(c, 'message_domain');
    else columns.push(STORED_AS[c] ?? c);
  }
  return {
    table,
    columns,
    codecs: packed.map((c) => codecs[c] ?? 'plain'),
    first: packed.indexOf('first_ts'),
    recipient: packed.indexOf('recipient'),
    domain: packed.indexOf('recipient_domain'),
    status: packed.indexOf('enhanced_status'),
    packsWords,
  };
}

export const ATTEMPT_LAYOUT = layout(
  'attempt_rows',
  ATTEMPT_COLUMNS,
  {
    host: 'name',
    mta: 'name',
    program: 'name',
    // '' is the life's queue id (pack-batch.ts): NULL takes no room.
    queue_id: 'null-if-empty',
    recipient: 'recipient',
    recipient_domain: 'name',
    sender_domain: 'name',
    outcome: 'outcome',
    relay_host: 'name',
    relay_ip: 'name',
    stage: 'name',
    enhanced_status: 'name',
    dsn: 'dsn',
    diagnostic: 'reply',
    delay: 'centi',
    transport: 'name',
    class: 'class',
    cause: 'name',
    provider: 'name',
    blocklist: 'name',
    class_conflict: 'name',
    flags: 'flags',
  },
  true,
);

export const REJECT_LAYOUT = layout('reject_rows', REJECT_COLUMNS, {
  host: 'name',
  mta: 'name',
  program: 'name',
  action: 'name',
  client_host: 'name',
  client_ip: 'name',
  helo: 'name',
  recipient_domain: 'name',
  stage: 'name',
  enhanced_status: 'name',
  diagnostic: 'reply',
  class: 'class',
  cause: 'name',
});

export const MESSAGE_LAYOUT = layout('message_rows', MESSAGE_COLUMNS, {
  host: 'name',
  queue_id: 'queue-id',
  mta: 'name',
  sender: 'name',
  sender_domain: 'name',
  last_ts: 'after-first',
  message_id: 'message-id',
  closed_at: 'after-first',
  client_host: 'name',
  client_ip: 'name',
});

/** The columns of message_rows, in the order of RowEncoder.lives' values: the origin's parts are one id. */
export const LIFE_ROW_COLUMNS = foldedColumns(MESSAGE_LAYOUT.columns, ORIGINS);

/** Rollup rows: every key but the bucket is a name id (migration 0012); the table is the statement's to name. */
export const ROLLUP_LAYOUT = layout('rollup_rows', ROLLUP_COLUMNS, {
  host: 'name',
  domain: 'name',
  provider: 'name',
  outcome: 'name',
  class: 'name',
  cause: 'name',
  code: 'name',
});

/** Delay histogram keys (migration 0016): host, domain and provider are name ids (a missing provider is set to 0). */
export const DELAY_LAYOUT = layout('delay_hours', DELAY_KEY_COLUMNS, {
  host: 'name',
  domain: 'name',
  provider: 'name',
});

/**
 * Ids of the texts of one dictionary table, cached. The cache holds at most CACHE_SIZE texts (it starts over when
 * full, so a flood of distinct values costs lookups, not memory) and is dropped when a transaction that may have
 * added texts rolls back.
 */
interface Dictionary {
  id(text: string): number;
  forget(): void;
}

const CACHE_SIZE = 50_000;

function createDictionary(db: Db, table: string, column: string): Dictionary {
  const find = db.prepare<[string], number>(`SELECT id FROM ${table} WHERE ${column} = ?`).pluck();
  const add = db.prepare<[string]>(`INSERT INTO ${table} (${column}) VALUES (?)`);
  let cache = new Map<string, number>();
  return {
    id(text) {
      let id = cache.get(text);
      if (id !== undefined) return id;
      id = find.get(text) ?? Number(add.run(text).lastInsertRowid);
      if (cache.size >= CACHE_SIZE) cache = new Map();
      cache.set(text, id);
      return id;
    },
    forget() {
      cache = new Map();
    },
  };
}

export interface RowEncoder {
  /** The stored values of packed rows of `layout` (a new array; the packed one is left as it was). */
  encode(values: readonly Value[], layout: Layout): Stored[];
  /** The id of an attempt's route from its stored parts (part-ids.ts). */
  readonly route: (parts: readonly Value[]) => number;
  /** Encoded lives (MESSAGE_LAYOUT) as stored: their origin's parts folded into its id (LIFE_ROW_COLUMNS). */
  lives(values: readonly Stored[]): Stored[];
  /** Forgets cached ids: the transaction that may have added them was rolled back. */
  forget(): void;
}

/** The code of an outcome or class; one the schema does not know gets -1, which its CHECK constraint refuses. */
const coded = (codes: Readonly<Record<string, number>>, v: Value): number =>
  (typeof v === 'string' ? codes[v] : undefined) ?? -1;

/** A text packed at 6 bits a character where that is shorter (packed-text.ts, migration 0018); anything else as it is. */
const packed = (v: Value): Stored => (typeof v === 'string' ? packText(v) : v);

/** Seconds as hundredths (an integer, 1 or 2 bytes stored) when that keeps the value exactly; else as they are. */
function centi(v: Value): Value {
  if (typeof v !== 'number') return v;
  const c = Math.round(v * 100);
  return c / 100 === v ? c : v;
}

export function createRowEncoder(db: Db): RowEncoder {
  const names = createDictionary(db, 'names', 'name');
  const templates = createDictionary(db, 'reply_templates', 'template');
  const routes = createPartIds(db, ROUTES);
  const origins = createPartIds(db, ORIGINS);
  return {
    route: (parts) => routes.id(parts),
    lives: (values) => foldParts(values, MESSAGE_LAYOUT.columns, ORIGINS, origins),
    encode(values, { codecs, first, recipient, domain, status, packsWords }) {
      const width = codecs.length;
      const out: Stored[] = [];
      for (let o = 0; o < values.length; o += width) {
        for (let j = 0; j < width; j++) {
          const v: Value = values[o + j] ?? null;
          switch (codecs[j]) {
            case 'name':
              out.push(v === null ? null : names.id(String(v)));
              break;
            case 'outcome':
              out.push(coded(OUTCOME_CODES, v));
              break;
            case 'class':
              out.push(coded(CLASS_CODES, v));
              break;
            case 'reply': {
              const [template, words] = splitReply(v === null ? '' : String(v));
              out.push(templates.id(template), words === null || !packsWords ? words : packText(words));
              break;
            }
            case 'recipient':
              // Its key is no column: the recipient index is on an expression of what is stored (migration 0013).
              out.push(packed(recipientLocal(v, values[o + domain] ?? null) ?? v));
              break;
            case 'flags': {
              const whole =
                recipientLocal(values[o + recipient] ?? null, values[o + domain] ?? null) === null;
              out.push(whole ? Number(v ?? 0) | RECIPIENT_WHOLE : v);
              break;
            }
            case 'message-id': {
              // A Message-ID's right-hand side names the host that made it: few per server, stored once as a name.
              const at = typeof v === 'string' ? v.indexOf('@') : -1;
              if (typeof v === 'string' && at >= 0)
                out.push(packed(v.slice(0, at)), names.id(v.slice(at + 1)));
              else out.push(packed(v), null);
              break;
            }
            case 'centi':
              out.push(centi(v));
              break;
            case 'after-first':
              out.push(typeof v === 'number' ? v - (values[o + first] as number) : v);
              break;
            case 'dsn':
              // A DSN that repeats the enhanced status (Postfix's dsn= nearly always does) is 0: no byte stored.
              out.push(v === null ? null : v === values[o + status] ? 0 : names.id(String(v)));
              break;
            case 'queue-id':
              out.push(typeof v === 'string' ? queueKey(v) : v);
              break;
            case 'null-if-empty':
              out.push(v === '' ? null : v);
              break;
            default:
              out.push(v);
          }
        }
      }
      return out;
    },
    forget() {
      names.forget();
      templates.forget();
      routes.forget();
      origins.forget();
    },
  };
}
