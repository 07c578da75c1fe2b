/** The hops between message lives: which lives were re-queued from one (a content filter's `queued as`). */

import type { Db } from '../open.js';
import { statementCache } from './statements.js';

const cache = statementCache();

/** Most lives one queue id may hand over to: a filter re-queues a message once, a split message a few times. */
const MAX_CHILDREN = 20;

/** Queue ids of the lives on `host` re-queued from `queueId` (messages.hop_of), oldest first. */
export function hopChildren(db: Db, key: { host: string; queueId: string }): string[] {
  const rows = cache(
    db,
    'hops:children',
    `SELECT queue_id, MIN(first_ts) AS t FROM messages WHERE hop_of = @q AND host = @host
      GROUP BY queue_id ORDER BY t LIMIT ${MAX_CHILDREN}`,
  ).all({ q: key.queueId, host: key.host }) as { queue_id: string }[];
  return rows.map((r) => r.queue_id);
}
