/** Message trace: find messages by recipient, sender, queue id or Message-ID, then load every line of their lives. */

import type { Db } from '../open.js';
import {
  messageFromTable,
  recipientFromTable,
  type MessageTableRow,
  type RecipientTableRow,
} from '../message-table-rows.js';
import { type MessageRecipientRow } from '../../store/open-lives.js';
import { ATTEMPT_HOP, type AttemptRow, type MessageRow, type RejectRow } from '../../store/stored-rows.js';
import { statementCache } from './statements.js';

/** Fields a message trace can search. */
export type TraceField = 'recipient' | 'sender' | 'queue-id' | 'message-id';

export interface TraceKey {
  host: string;
  queueId: string;
  lastTs: number;
}

/** Attempt fields a trace shows as they were stored. */
type TraceAttemptField =
  | 'ts'
  | 'host'
  | 'program'
  | 'queueId'
  | 'recipient'
  | 'origRecipient'
  | 'sender'
  | 'relayHost'
  | 'relayIp'
  | 'port'
  | 'stage'
  | 'replyCode'
  | 'enhancedStatus'
  | 'dsn'
  | 'diagnostic'
  | 'delay'
  | 'cause'
  | 'provider'
  | 'hardBounce'
  | 'classConflict'
  | 'messageId';

/** A stored attempt read back for a trace: the row ingest wrote, with its id, and its labels as the text stored. */
export interface TraceAttempt extends Pick<AttemptRow, TraceAttemptField> {
  id: number;
  mta: string;
  outcome: string;
  class: string;
  /** A hand-over to a local service that queued the message again: not a delivery. */
  hop: boolean;
}

/** Reject fields a trace shows as they were stored. */
type TraceRejectField =
  | 'ts'
  | 'host'
  | 'program'
  | 'queueId'
  | 'action'
  | 'clientHost'
  | 'clientIp'
  | 'helo'
  | 'sender'
  | 'recipient'
  | 'stage'
  | 'replyCode'
  | 'enhancedStatus'
  | 'diagnostic'
  | 'cause';

/** A stored reject read back for a trace, with its id and its class as the text stored. */
export interface TraceReject extends Pick<RejectRow, TraceRejectField> {
  id: number;
  class: string;
}

const cache = statementCache();
const HOST = '(@host IS NULL OR host = @host)';
/** A life's queue id as stored (db/sqlite/queue-key.ts), found through the index of its key (migration 14). */
const QUEUE = 'bw_queue_key(queue_id) = bw_queue_key(bw_queue(@q)) AND queue_id = bw_queue(@q)';

/** Groups of (host, queue id) pairs for one search field with the newest time of each: one per place searched. */
const KEY_GROUPS: Record<TraceField, string[]> = {
  recipient: [
    // The recipient index holds keys of the stored parts of the addresses (db/sqlite/text-key.ts): the text, put
    // back together by the view, is compared as well.
    `SELECT host, queue_id, MAX(ts) AS t FROM attempts_full
      WHERE id IN (SELECT id FROM attempt_rows WHERE bw_recipient_key(recipient, recipient_domain, flags) IN (
              bw_recipient_key(@q, NULL, 8), bw_recipient_key(@lower, NULL, 8),
              bw_recipient_key(@qLocal, (SELECT id FROM names WHERE name = @qDomain), 0),
              bw_recipient_key(@lowerLocal, (SELECT id FROM names WHERE name = @lowerDomain), 0)))
        AND recipient IN (@q, @lower) AND ${HOST}
     GROUP BY host, queue_id`,
    `SELECT host, queue_id, MAX(ts) AS t FROM attempts_full WHERE orig_recipient IN (@q, @lower) AND ${HOST}
     GROUP BY host, queue_id`,
  ],
  // Sender and Message-ID belong to the message life: every attempt has one, so messages alone are searched.
  sender: [
    `SELECT host, queue_id, MAX(last_ts) AS t FROM messages
      WHERE id IN (SELECT id FROM message_rows WHERE sender IN (SELECT id FROM names WHERE name IN (@q, @lower)))
        AND ${HOST}
     GROUP BY host, queue_id`,
  ],
  'queue-id': [
    // A life's queue id is stored as bw_queue gives it; its index holds the key of that (QUEUE).
    `SELECT host, queue_id, MAX(last_ts) AS t FROM messages
      WHERE id IN (SELECT id FROM message_rows WHERE ${QUEUE}) AND ${HOST}
     GROUP BY host, queue_id`,
    // Attempts of a life are found through it (above); this finds those stored with their own queue id.
    `SELECT host, queue_id, MAX(ts) AS t FROM attempts WHERE id IN (SELECT id FROM attempt_extras WHERE queue_id = @q)
       AND ${HOST} GROUP BY host, queue_id`,
    `SELECT host, queue_id, MAX(ts) AS t FROM rejects WHERE queue_id = @q AND ${HOST}
     GROUP BY host, queue_id`,
  ],
  'message-id': [
    `SELECT host, queue_id, MAX(last_ts) AS t FROM messages
      WHERE id IN (SELECT id FROM message_rows WHERE message_id IS NOT NULL AND bw_message_key(message_id, message_domain) IN (
              bw_message_key(@q, NULL), bw_message_key(@bare, NULL), bw_message_key(@bracketed, NULL),
              bw_message_key(@qLeft, (SELECT id FROM names WHERE name = @qRight)),
              bw_message_key(@bareLeft, (SELECT id FROM names WHERE name = @bareRight)),
              bw_message_key(@bracketedLeft, (SELECT id FROM names WHERE name = @bracketedRight))))
        AND message_id IN (@q, @bare, @bracketed) AND ${HOST}
     GROUP BY host, queue_id`,
  ],
};

/** Statements that find the newest (host, queue id) pairs of each group, as many as a page needs. */
const KEY_SQL: Record<TraceField, string[]> = Object.fromEntries(
  Object.entries(KEY_GROUPS).map(([field, groups]) => [
    field,
    groups.map((g) => `${g} ORDER BY t DESC LIMIT @limit`),
  ]),
) as Record<TraceField, string[]>;

/** How many distinct (host, queue id) pairs a search finds in all, for "20 of N". */
const COUNT_SQL: Record<TraceField, string> = Object.fromEntries(
  Object.entries(KEY_GROUPS).map(([field, groups]) => [
    field,
    `SELECT COUNT(*) AS n FROM (${groups
      .map((g) => `SELECT host, queue_id FROM (${g}) WHERE queue_id IS NOT NULL`)
      .join(' UNION ')})`,
  ]),
) as Record<TraceField, string>;

/** Rejects that never got a queue id (NOQUEUE) but match a recipient or sender search. */
const LOOSE_REJECT_SQL: Partial<Record<TraceField, string>> = {
  recipient: `SELECT * FROM rejects WHERE recipient IN (@q, @lower) AND queue_id IS NULL AND ${HOST}
    ORDER BY ts DESC LIMIT @limit`,
  sender: `SELECT * FROM rejects WHERE sender IN (@q, @lower) AND queue_id IS NULL AND ${HOST}
    ORDER BY ts DESC LIMIT @limit`,
};

/** A text cut at its `at` (an index of '@', or -1: no cut) into what a row stores and the name beside it. */
const cut = (text: string, at: number): [string, string | null] =>
  at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];

/**
 * The search in each form it may be stored in: an address as its part before the last '@' and its domain (a name),
 * a Message-ID as its part before the first '@' and its host (a name), as the writer stores them.
 */
function searchParams(q: string, host: string | null, limit: number) {
  const lower = q.toLowerCase();
  const bare = q.replace(/^<|>$/g, '');
  const bracketed = `<${bare}>`;
  const [qLocal, qDomain] = cut(q, q.lastIndexOf('@'));
  const [lowerLocal, lowerDomain] = cut(lower, lower.lastIndexOf('@'));
  const [qLeft, qRight] = cut(q, q.indexOf('@'));
  const [bareLeft, bareRight] = cut(bare, bare.indexOf('@'));
  const [bracketedLeft, bracketedRight] = cut(bracketed, bracketed.indexOf('@'));
  return {
    q,
    lower,
    bare,
    bracketed,
    host,
    limit,
    qLocal,
    qDomain,
    lowerLocal,
    lowerDomain,
    qLeft,
    qRight,
    bareLeft,
    bareRight,
    bracketedLeft,
    bracketedRight,
  };
}

/** One page of the (host, queue id) pairs matching a search, newest first, and how many there are in all. */
export function findTraceKeys(
  db: Db,
  field: TraceField,
  q: string,
  host: string | null,
  page: { limit: number; offset: number },
): { keys: TraceKey[]; total: number } {
  const params = searchParams(q, host, page.limit + page.offset);
  const groups = KEY_SQL[field].map(
    (sql, i) => cache(db, `trace:key:${field}:${i}`, sql).all(params) as KeyRow[],
  );
  const { keys, total } = pageOfKeys(groups, page);
  return {
    keys,
    total: total ?? (cache(db, `trace:count:${field}`, COUNT_SQL[field]).get(params) as { n: number }).n,
  };
}

/** A (host, queue id) pair one search group found, with the newest time it saw it. */
export interface KeyRow {
  host: string;
  queue_id: string | null;
  t: number;
}

/**
 * One page of the pairs the search groups found, newest first, each once with its newest time; with the total
 * when the page shows it (a page that is not full holds the last of them), else null: then the store counts.
 */
export function pageOfKeys(
  groups: readonly (readonly KeyRow[])[],
  page: { limit: number; offset: number },
): { keys: TraceKey[]; total: number | null } {
  const found = new Map<string, TraceKey>();
  for (const r of groups.flat()) {
    if (r.queue_id === null) continue;
    const id = `${r.host}\u0000${r.queue_id}`;
    const prev = found.get(id);
    if (!prev || prev.lastTs < r.t) found.set(id, { host: r.host, queueId: r.queue_id, lastTs: r.t });
  }
  const keys = [...found.values()]
    .sort((a, b) => b.lastTs - a.lastTs)
    .slice(page.offset, page.offset + page.limit);
  const full = keys.length < page.limit && (keys.length > 0 || page.offset === 0);
  return { keys, total: full ? page.offset + keys.length : null };
}

/** An `attempts_full` row as both stores return it (`SELECT *`). */
export interface RawAttempt {
  id: number;
  ts: number;
  host: string;
  mta: string;
  program: string;
  queue_id: string;
  recipient: string;
  orig_recipient: string | null;
  sender: string | null;
  outcome: string;
  relay_host: string | null;
  relay_ip: string | null;
  port: number | null;
  stage: string | null;
  reply_code: number | null;
  enhanced_status: string | null;
  dsn: string | null;
  diagnostic: string;
  delay: number | null;
  class: string;
  cause: string | null;
  provider: string | null;
  hard_bounce: number;
  class_conflict: string | null;
  message_id: string | null;
  flags: number | null;
}

/** A `rejects_full` row as both stores return it (`SELECT *`). */
export interface RawReject {
  id: number;
  ts: number;
  host: string;
  program: string;
  queue_id: string | null;
  action: string;
  client_host: string | null;
  client_ip: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  stage: string | null;
  reply_code: number | null;
  enhanced_status: string | null;
  diagnostic: string;
  class: string;
  cause: string | null;
}

export const toAttempt = (r: RawAttempt): TraceAttempt => ({
  id: r.id,
  ts: r.ts,
  host: r.host,
  mta: r.mta,
  program: r.program,
  queueId: r.queue_id,
  recipient: r.recipient,
  origRecipient: r.orig_recipient,
  sender: r.sender,
  outcome: r.outcome,
  relayHost: r.relay_host,
  relayIp: r.relay_ip,
  port: r.port,
  stage: r.stage,
  replyCode: r.reply_code,
  enhancedStatus: r.enhanced_status,
  dsn: r.dsn,
  diagnostic: r.diagnostic,
  delay: r.delay,
  class: r.class,
  cause: r.cause,
  provider: r.provider,
  hardBounce: r.hard_bounce !== 0,
  classConflict: r.class_conflict,
  messageId: r.message_id,
  hop: ((r.flags ?? 0) & ATTEMPT_HOP) !== 0,
});

export const toReject = (r: RawReject): TraceReject => ({
  id: r.id,
  ts: r.ts,
  host: r.host,
  program: r.program,
  queueId: r.queue_id,
  action: r.action,
  clientHost: r.client_host,
  clientIp: r.client_ip,
  helo: r.helo,
  sender: r.sender,
  recipient: r.recipient,
  stage: r.stage,
  replyCode: r.reply_code,
  enhancedStatus: r.enhanced_status,
  diagnostic: r.diagnostic,
  class: r.class,
  cause: r.cause,
});

export interface QueueHistory {
  messages: MessageRow[];
  recipients: MessageRecipientRow[];
  attempts: TraceAttempt[];
  rejects: TraceReject[];
}

/** Every stored line for one queue id on one host, in time order (lives told apart by the caller). */
export function loadQueueHistory(
  db: Db,
  key: { host: string; queueId: string },
  limit: number,
): QueueHistory {
  const params = { host: key.host, q: key.queueId, limit };
  const messages = (
    cache(
      db,
      'trace:messages',
      `SELECT * FROM messages WHERE id IN (SELECT id FROM message_rows WHERE ${QUEUE}) AND host = @host
        ORDER BY first_ts, id LIMIT @limit`,
    ).all(params) as MessageTableRow[]
  ).map(messageFromTable);
  const recipientsStmt = cache(
    db,
    'trace:recipients',
    'SELECT * FROM message_recipients WHERE message_rowid = ? ORDER BY recipient LIMIT 1000',
  );
  const recipients = messages.flatMap((m) =>
    (recipientsStmt.all(m.id) as RecipientTableRow[]).map(recipientFromTable),
  );
  const attempts = (
    cache(
      db,
      'trace:attempts',
      `SELECT * FROM attempts_full WHERE id IN (
         SELECT a.id FROM message_rows m JOIN attempt_rows a ON a.message_rowid = m.id
          WHERE bw_queue_key(m.queue_id) = bw_queue_key(bw_queue(@q)) AND m.queue_id = bw_queue(@q)
            AND m.origin IN (SELECT id FROM life_origins WHERE host = (SELECT id FROM names WHERE name = @host))
         UNION SELECT x.id FROM attempt_extras x JOIN attempt_rows a ON a.id = x.id
                 JOIN attempt_routes r ON r.id = a.route
                 WHERE x.queue_id = @q AND r.host = (SELECT id FROM names WHERE name = @host))
       ORDER BY ts, id LIMIT @limit`,
    ).all(params) as RawAttempt[]
  ).map(toAttempt);
  const rejects = (
    cache(
      db,
      'trace:rejects',
      'SELECT * FROM rejects WHERE queue_id = @q AND host = @host ORDER BY ts, id LIMIT @limit',
    ).all(params) as RawReject[]
  ).map(toReject);
  return { messages, recipients, attempts, rejects };
}

/** NOQUEUE rejects matching a recipient or sender search (none for the other fields). */
export function findLooseRejects(
  db: Db,
  field: TraceField,
  q: string,
  host: string | null,
  limit: number,
): TraceReject[] {
  const sql = LOOSE_REJECT_SQL[field];
  if (!sql) return [];
  return (cache(db, `trace:loose:${field}`, sql).all(searchParams(q, host, limit)) as RawReject[]).map(
    toReject,
  );
}
