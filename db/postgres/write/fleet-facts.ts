/** What an agent writes about itself beside its batches: its lag, and log text rotation took before it was read. */

import type pg from 'pg';

export interface AgentStatusRow {
  reportedAt: number;
  lagBytes: number;
  newestLineTs: number | null;
  waitedSince: number | null;
  waitedMs: number;
}

export async function writeAgentStatus(
  client: pg.ClientBase,
  host: number,
  s: AgentStatusRow,
): Promise<void> {
  await client.query(
    `INSERT INTO agent_status (host, reported_at, lag_bytes, newest_line, waited_since, waited_ms)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (host) DO UPDATE SET reported_at = EXCLUDED.reported_at, lag_bytes = EXCLUDED.lag_bytes,
       newest_line = COALESCE(EXCLUDED.newest_line, agent_status.newest_line),
       waited_since = COALESCE(EXCLUDED.waited_since, agent_status.waited_since),
       waited_ms = CASE WHEN EXCLUDED.waited_since IS NULL THEN agent_status.waited_ms ELSE EXCLUDED.waited_ms END`,
    [host, s.reportedAt, s.lagBytes, s.newestLineTs, s.waitedSince, s.waitedMs],
  );
}

export async function writeLogLoss(
  client: pg.ClientBase,
  host: number,
  loss: { path: string; lostBytes: number; lostFrom: number; detectedAt: number },
): Promise<void> {
  await client.query(
    'INSERT INTO log_losses (host, path, lost_bytes, lost_from, detected_at) VALUES ($1, $2, $3, $4, $5)',
    [host, loss.path, loss.lostBytes, loss.lostFrom, loss.detectedAt],
  );
}
