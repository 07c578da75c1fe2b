/** Message trace in PostgreSQL: find (host, queue id) pairs, then every stored line of their lives. */

import type { PgReads } from './prepared.js';
import type { MessageRecipientRow } from '../../store/open-lives.js';
import {
  messageFromTable,
  recipientFromTable,
  type MessageTableRow,
  type RecipientTableRow,
} from '../../sqlite/message-table-rows.js';
import {
  pageOfKeys,
  toAttempt,
  toReject,
  type KeyRow,
  type QueueHistory,
  type RawAttempt,
  type RawReject,
  type TraceField,
  type TraceKey,
  type TraceReject,
} from '../../sqlite/read/trace.js';

const HOST = '($2::text IS NULL OR host = $2)';

/** Per field, groups of (host, queue id) pairs over ($1 q, $2 host, $4 lower, $5 bare, $6 bracketed). */
const KEY_GROUPS: Record<TraceField, string[]> = {
  recipient: [
    `SELECT host, queue_id, MAX(ts) AS t FROM attempts_full WHERE recipient IN ($1, $4) AND ${HOST}
     GROUP BY host, queue_id`,
    `SELECT host, queue_id, MAX(ts) AS t FROM attempts_full WHERE orig_recipient IN ($1, $4) AND ${HOST}
     GROUP BY host, queue_id`,
  ],
  sender: [
    `SELECT host, queue_id, MAX(last_ts) AS t FROM messages_full WHERE sender IN ($1, $4) AND ${HOST}
     GROUP BY host, queue_id`,
  ],
  'queue-id': [
    `SELECT host, queue_id, MAX(last_ts) AS t FROM messages_full WHERE queue_id = $1 AND ${HOST}
     GROUP BY host, queue_id`,
    `SELECT h.value AS host, a.queue_id, MAX(a.ts) AS t FROM attempts a JOIN dict h ON h.id = a.host
      WHERE a.queue_id = $1 AND a.queue_id <> '' AND ($2::text IS NULL OR h.value = $2)
     GROUP BY h.value, a.queue_id`,
    `SELECT host, queue_id, MAX(ts) AS t FROM rejects_full WHERE queue_id = $1 AND ${HOST}
     GROUP BY host, queue_id`,
  ],
  'message-id': [
    `SELECT host, queue_id, MAX(last_ts) AS t FROM messages_full WHERE message_id IN ($1, $5, $6) AND ${HOST}
     GROUP BY host, queue_id`,
  ],
};

/** The newest pairs of each group, as many as a page needs ($3). */
const keySql = (group: string) => `${group} ORDER BY t DESC LIMIT $3`;

/** How many distinct pairs a search finds in all, for "20 of N". */
const countSql = (field: TraceField) =>
  `SELECT COUNT(*) AS n FROM (${KEY_GROUPS[field]
    .map((g, i) => `SELECT host, queue_id FROM (${g}) g${i} WHERE queue_id IS NOT NULL`)
    .join(' UNION ')}) pairs`;

const LOOSE_REJECT_SQL: Partial<Record<TraceField, string>> = {
  recipient: `SELECT * FROM rejects_full WHERE recipient IN ($1, $4) AND queue_id IS NULL AND ${HOST}
    ORDER BY ts DESC, id LIMIT $3`,
  sender: `SELECT * FROM rejects_full WHERE sender IN ($1, $4) AND queue_id IS NULL AND ${HOST}
    ORDER BY ts DESC, id LIMIT $3`,
};

function searchParams(q: string, host: string | null, limit: number) {
  const bare = q.replace(/^<|>$/g, '');
  return [q, host, limit, q.toLowerCase(), bare, `<${bare}>`];
}

/**
 * The statement with its parameters numbered again, and only those it names: PostgreSQL must know the type of
 * every parameter it is given.
 */
function used(sql: string, params: unknown[]): [string, unknown[]] {
  const named = [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const renumbered = sql.replace(/\$(\d+)/g, (_, n: string) => `$${named.indexOf(Number(n)) + 1}`);
  return [renumbered, named.map((n) => params[n - 1])];
}

export async function findTraceKeys(
  pool: PgReads,
  field: TraceField,
  q: string,
  host: string | null,
  page: { limit: number; offset: number },
): Promise<{ keys: TraceKey[]; total: number }> {
  const params = searchParams(q, host, page.limit + page.offset);
  const groups: KeyRow[][] = [];
  for (const group of KEY_GROUPS[field])
    groups.push((await pool.query<KeyRow>(...used(keySql(group), params))).rows);
  const { keys, total } = pageOfKeys(groups, page);
  if (total !== null) return { keys, total };
  const { rows } = await pool.query<{ n: number }>(...used(countSql(field), params));
  return { keys, total: rows[0]?.n ?? 0 };
}

export async function findLooseRejects(
  pool: PgReads,
  field: TraceField,
  q: string,
  host: string | null,
  limit: number,
): Promise<TraceReject[]> {
  const sql = LOOSE_REJECT_SQL[field];
  if (!sql) return [];
  const { rows } = await pool.query<RawReject>(...used(sql, searchParams(q, host, limit)));
  return rows.map(toReject);
}

export async function loadQueueHistory(
  pool: PgReads,
  key: { host: string; queueId: string },
  limit: number,
): Promise<QueueHistory> {
  const params = [key.host, key.queueId, limit];
  const lives = await pool.query<MessageTableRow>(
    'SELECT * FROM messages_full WHERE queue_id = $2 AND host = $1 ORDER BY first_ts, id LIMIT $3',
    params,
  );
  const messages = lives.rows.map(messageFromTable);
  const recipients: MessageRecipientRow[] = [];
  for (const m of messages) {
    const { rows } = await pool.query<RecipientTableRow>(
      'SELECT * FROM message_recipients WHERE message_rowid = $1 ORDER BY recipient COLLATE "C" LIMIT 1000',
      [m.id],
    );
    recipients.push(...rows.map(recipientFromTable));
  }
  // The attempts of its lives, and those that name the queue id themselves (found first by their own index,
  // since a join to attempts_full is planned as a hash of every stored life). One OR over attempts_full's queue
  // id, which falls back to the life's, would read every attempt of the host.
  const [ofLives, ownKeys] = await Promise.all([
    pool.query<RawAttempt>(
      'SELECT * FROM attempts_full WHERE message_rowid = ANY($2::bigint[]) AND host = $1 ORDER BY ts, id LIMIT $3',
      [key.host, messages.map((m) => m.id), limit],
    ),
    pool.query<{ ts: number; id: number }>(
      `SELECT ts, id FROM attempts
        WHERE queue_id = $2 AND queue_id <> '' AND host = (SELECT id FROM dict WHERE value = $1)
        ORDER BY ts, id LIMIT $3`,
      params,
    ),
  ]);
  const own =
    ownKeys.rows.length === 0
      ? []
      : (
          await pool.query<RawAttempt>(
            'SELECT * FROM attempts_full WHERE ts = ANY($1::bigint[]) AND id = ANY($2::bigint[])',
            [ownKeys.rows.map((r) => r.ts), ownKeys.rows.map((r) => r.id)],
          )
        ).rows;
  const byId = new Map([...ofLives.rows, ...own].map((r) => [r.id, r]));
  const attempts = [...byId.values()].sort((x, y) => x.ts - y.ts || x.id - y.id).slice(0, limit);
  const rejects = await pool.query<RawReject>(
    'SELECT * FROM rejects_full WHERE queue_id = $2 AND host = $1 ORDER BY ts, id LIMIT $3',
    params,
  );
  return {
    messages,
    recipients,
    attempts: attempts.map(toAttempt),
    rejects: rejects.rows.map(toReject),
  };
}

/** Most lives one queue id may hand over to (the SQLite store's bound). */
const MAX_HOP_CHILDREN = 20;

/** Queue ids of the lives on `host` re-queued from `queueId` (messages.hop_of), oldest first. */
export async function hopChildren(pool: PgReads, key: { host: string; queueId: string }): Promise<string[]> {
  const { rows } = await pool.query<{ queue_id: string }>(
    `SELECT queue_id, MIN(first_ts) AS t FROM messages_full WHERE hop_of = $2 AND host = $1
      GROUP BY queue_id ORDER BY t LIMIT ${MAX_HOP_CHILDREN}`,
    [key.host, key.queueId],
  );
  return rows.map((r) => r.queue_id);
}
