/** What this server refused, by client and by recipient, read from PostgreSQL (the inbound-protection view). */

import type { PgReads } from './prepared.js';
import type { RejectedClient, RejectedRecipient } from '../../sqlite/read/inbound.js';
import type { TimeRange } from '../../sqlite/read/report.js';

const IN_RANGE = 'ts >= $1 AND ts < $2 AND ($3::text IS NULL OR host = $3)';

export async function rejectedClients(
  pool: PgReads,
  range: TimeRange & { host: string | null },
  limit: number,
): Promise<RejectedClient[]> {
  // Counts per client and cause, then each client's commonest cause with the latest names it gave.
  const { rows } = await pool.query<RejectedClient>(
    `WITH c AS (
       SELECT client_ip, cause, COUNT(*) AS n, MAX(ts) AS last,
              (array_agg(client_host ORDER BY ts DESC))[1] AS client_host,
              (array_agg(helo ORDER BY ts DESC))[1] AS helo
         FROM rejects_full WHERE ${IN_RANGE} GROUP BY client_ip, cause),
     r AS (
       SELECT client_ip, cause, client_host, helo, SUM(n) OVER (PARTITION BY client_ip) AS total,
              ROW_NUMBER() OVER (PARTITION BY client_ip ORDER BY n DESC, cause) AS rank
         FROM c)
     SELECT COALESCE(client_ip, '') AS ip, client_host AS host, helo, total::int AS count, cause
       FROM r WHERE rank = 1 ORDER BY total DESC, ip LIMIT $4`,
    [range.from, range.to, range.host, limit],
  );
  return rows;
}

export async function rejectedRecipients(
  pool: PgReads,
  range: TimeRange & { host: string | null },
  limit: number,
): Promise<RejectedRecipient[]> {
  const { rows } = await pool.query<RejectedRecipient>(
    `SELECT lower(recipient) AS recipient, COUNT(*)::int AS count, COUNT(DISTINCT client_ip)::int AS clients
       FROM rejects_full WHERE ${IN_RANGE} AND recipient IS NOT NULL AND recipient != ''
      GROUP BY lower(recipient) ORDER BY count DESC, recipient LIMIT $4`,
    [range.from, range.to, range.host, limit],
  );
  return rows;
}
