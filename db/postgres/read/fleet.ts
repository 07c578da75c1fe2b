/** The fleet's own facts (db/store/fleet.ts) from PostgreSQL: per-host deliveries, log losses, agents' reports. */

import type pg from 'pg';
import type { AgentReport, FleetReader, HostActivity, LogLoss } from '../../store/fleet.js';

/** Outcome code 1 is `sent` (outcome_codes). */
const SENT = 1;

async function hostActivity(pool: pg.Pool, since: number): Promise<HostActivity[]> {
  // Minute rollups reach two days back, more than any silence the rule waits for.
  const { rows } = await pool.query<{ host: string; last: number | null; sent: number }>(
    `SELECT d.value AS host, max(r.bucket) + 59999 AS last, sum(r.count) AS sent
       FROM rollups_minute r JOIN dict d ON d.id = r.host
      WHERE r.bucket >= $1 AND r.outcome = $2 GROUP BY d.value ORDER BY d.value`,
    [since, SENT],
  );
  return rows.map((r) => ({ host: r.host, lastSentTs: r.last, sent: r.sent }));
}

async function logLosses(pool: pg.Pool, since: number): Promise<LogLoss[]> {
  const { rows } = await pool.query<LogLoss>(
    `SELECT d.value AS host, l.path, l.lost_bytes AS "lostBytes", l.lost_from AS "lostFrom",
            l.detected_at AS "detectedAt"
       FROM log_losses l JOIN dict d ON d.id = l.host
      WHERE l.detected_at >= $1 ORDER BY l.detected_at DESC LIMIT 1000`,
    [since],
  );
  return rows;
}

async function agentReports(pool: pg.Pool, since: number): Promise<AgentReport[]> {
  const { rows } = await pool.query<AgentReport>(
    `SELECT d.value AS host, a.reported_at AS "reportedAt", a.lag_bytes AS "lagBytes",
            a.newest_line AS "newestLineTs", a.waited_since AS "waitedSince", a.waited_ms AS "waitedMs"
       FROM agent_status a JOIN dict d ON d.id = a.host
      WHERE a.reported_at >= $1 ORDER BY d.value`,
    [since],
  );
  return rows;
}

export function createPgFleetReader(pool: pg.Pool): FleetReader {
  return {
    hostActivity: (since) => hostActivity(pool, since),
    logLosses: (since) => logLosses(pool, since),
    agentReports: (since) => agentReports(pool, since),
  };
}
