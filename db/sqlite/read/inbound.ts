/** What this server refused, by client and by recipient: the inbound-protection view's tables. */

import type { Db } from '../open.js';
import type { TimeRange } from './report.js';
import { statementCache } from './statements.js';

const cache = statementCache();

/** One client that was refused: its address, the names it gave, how often, and its commonest cause. */
export interface RejectedClient {
  ip: string;
  host: string | null;
  helo: string | null;
  count: number;
  cause: string | null;
}

/** One recipient refused mail was addressed to. */
export interface RejectedRecipient {
  recipient: string;
  count: number;
  clients: number;
}

const HOST = '(@host IS NULL OR host = @host)';

export function rejectedClients(
  db: Db,
  range: TimeRange & { host: string | null },
  limit: number,
): RejectedClient[] {
  // One pass: counts per client and cause, then each client's commonest cause (bare columns beside MAX() come
  // from the row holding the maximum, SQLite's rule: the latest names the client gave).
  return cache(
    db,
    'inbound:clients',
    `WITH c AS (
       SELECT client_ip, cause, client_host, helo, MAX(ts) AS last, COUNT(*) AS n
         FROM rejects WHERE ts >= @from AND ts < @to AND ${HOST} GROUP BY client_ip, cause),
     r AS (
       SELECT client_ip, cause, client_host, helo, SUM(n) OVER (PARTITION BY client_ip) AS total,
              ROW_NUMBER() OVER (PARTITION BY client_ip ORDER BY n DESC, cause) AS rank
         FROM c)
     SELECT COALESCE(client_ip, '') AS ip, client_host AS host, helo, total AS count, cause
       FROM r WHERE rank = 1 ORDER BY total DESC, ip LIMIT @limit`,
  ).all({ ...range, limit }) as RejectedClient[];
}

export function rejectedRecipients(
  db: Db,
  range: TimeRange & { host: string | null },
  limit: number,
): RejectedRecipient[] {
  return cache(
    db,
    'inbound:recipients',
    `SELECT lower(recipient) AS recipient, COUNT(*) AS count, COUNT(DISTINCT client_ip) AS clients
       FROM rejects WHERE ts >= @from AND ts < @to AND ${HOST} AND recipient IS NOT NULL AND recipient != ''
      GROUP BY lower(recipient) ORDER BY count DESC, recipient LIMIT @limit`,
  ).all({ ...range, limit }) as RejectedRecipient[];
}
