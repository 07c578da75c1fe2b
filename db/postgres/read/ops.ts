/** What health, metrics, the unparsed page and the alert engine read from PostgreSQL. */

import type { PgReads } from './prepared.js';
import {
  alertFromRow,
  type AlertDbRow,
  type AlertRecord,
  type RecentRollup,
} from '../../sqlite/read/alerts.js';
import type { StoreHealth } from '../../sqlite/read/health.js';
import type { DomainEvidence } from '../../sqlite/read/own-domains.js';
import type { UnparsedCount, UnparsedSampleRow } from '../../sqlite/read/unparsed.js';

export async function lineStats(pool: PgReads): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ name: string; count: number }>(
    'SELECT name, SUM(count) AS count FROM line_stats GROUP BY name',
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.count]));
}

export async function unparsedShapes(
  pool: PgReads,
  range: { from: number; to: number },
  limit: number,
): Promise<{ program: string; reason: string; count: number }[]> {
  const { rows } = await pool.query<{ program: string; reason: string; count: number }>(
    `SELECT program, reason, SUM(count) AS count FROM unparsed_samples
      WHERE ts >= $1 AND ts < $2 GROUP BY program, reason ORDER BY count DESC, program COLLATE "C" LIMIT $3`,
    [range.from, range.to, limit],
  );
  return rows;
}

export async function unparsedCounts(pool: PgReads): Promise<UnparsedCount[]> {
  const { rows } = await pool.query<UnparsedCount>(
    `SELECT program, SUM(count) AS count FROM unparsed_counts GROUP BY program
      ORDER BY count DESC, program COLLATE "C" LIMIT 500`,
  );
  return rows;
}

export async function unparsedSamples(
  pool: PgReads,
  q: { program: string | null; limit: number; offset: number },
): Promise<{ total: number; samples: UnparsedSampleRow[] }> {
  const where = '($1::text IS NULL OR program = $1)';
  const total = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM unparsed_samples WHERE ${where}`, [
    q.program,
  ]);
  const samples = await pool.query<UnparsedSampleRow>(
    `SELECT seq AS id, program, shape, reason, line, ts, count FROM unparsed_samples WHERE ${where}
      ORDER BY count DESC, seq LIMIT $2 OFFSET $3`,
    [q.program, q.limit, q.offset],
  );
  return { total: total.rows[0]?.n ?? 0, samples: samples.rows };
}

export async function storeHealth(pool: PgReads): Promise<StoreHealth> {
  const { rows } = await pool.query<{ version: number; attempt: number | null; reject: number | null }>(
    `SELECT (SELECT max(version) FROM schema_migrations) AS version, (SELECT max(ts) FROM attempts) AS attempt,
            (SELECT max(ts) FROM rejects) AS reject`,
  );
  const stats = await pool.query<{ name: string; count: number }>(
    'SELECT name, SUM(count) AS count FROM line_stats GROUP BY name ORDER BY name LIMIT 200',
  );
  const sources = await pool.query<StoreHealth['sources'][number]>(
    `SELECT CASE WHEN h.value = '' THEN s.path ELSE h.value || ':' || s.path END AS path, s."offset", s.size, s.lines,
            s.complete, s.updated_at AS "updatedAt"
       FROM sources s JOIN dict h ON h.id = s.host ORDER BY s.updated_at DESC LIMIT 50`,
  );
  return {
    schemaVersion: rows[0]?.version ?? 0,
    newestAttemptTs: rows[0]?.attempt ?? null,
    newestRejectTs: rows[0]?.reject ?? null,
    lineStats: Object.fromEntries(stats.rows.map((r) => [r.name, r.count])),
    sources: sources.rows,
    // The PostgreSQL writer never sets indexes aside: a bulk import writes through the same transactions.
    indexesMissing: 0,
  };
}

export async function openAlerts(pool: PgReads, limit: number): Promise<AlertRecord[]> {
  const { rows } = await pool.query<AlertDbRow>(
    "SELECT * FROM alerts WHERE state = 'open' ORDER BY opened_at DESC, id DESC LIMIT $1",
    [limit],
  );
  return rows.map(alertFromRow);
}

export async function resolvedAlerts(pool: PgReads, since: number, limit: number): Promise<AlertRecord[]> {
  const { rows } = await pool.query<AlertDbRow>(
    `SELECT * FROM alerts WHERE state = 'resolved' AND resolved_at >= $1
      ORDER BY resolved_at DESC, id DESC LIMIT $2`,
    [since, limit],
  );
  return rows.map(alertFromRow);
}

export async function latestAlertsByKey(pool: PgReads, since: number): Promise<AlertRecord[]> {
  const { rows } = await pool.query<AlertDbRow>(
    `SELECT a.* FROM alerts a
       JOIN (SELECT alert_key, MAX(id) AS id FROM alerts WHERE opened_at >= $1 GROUP BY alert_key) l ON l.id = a.id`,
    [since],
  );
  return rows.map(alertFromRow);
}

export async function recentRollups(
  pool: PgReads,
  since: number,
  until: number | null,
): Promise<RecentRollup[]> {
  const { rows } = await pool.query<RecentRollup>(
    `SELECT bucket, domain, provider, outcome, cause, SUM(count) AS count FROM rollups_minute_v
      WHERE bucket >= $1 AND ($2::bigint IS NULL OR bucket < $2)
        AND outcome IN ('sent', 'deferred', 'bounced', 'expired')
      GROUP BY bucket, domain, provider, outcome, cause`,
    [since, until],
  );
  return rows;
}

export async function busiestProviders(
  pool: PgReads,
  since: number,
  limit: number,
): Promise<{ provider: string; count: number }[]> {
  const { rows } = await pool.query<{ provider: string; count: number }>(
    `SELECT provider, SUM(count) AS count FROM rollups_day_v
      WHERE bucket >= $1 AND provider <> '' AND outcome IN ('sent', 'deferred', 'bounced', 'expired')
      GROUP BY provider ORDER BY count DESC, provider COLLATE "C" LIMIT $2`,
    [since, limit],
  );
  return rows;
}

export async function newestEventTs(pool: PgReads): Promise<number | null> {
  const { rows } = await pool.query<{ ts: number | null }>(
    'SELECT GREATEST((SELECT MAX(ts) FROM attempts), (SELECT MAX(ts) FROM rejects)) AS ts',
  );
  return rows[0]?.ts ?? null;
}

export async function lastSentTs(pool: PgReads): Promise<number | null> {
  const { rows } = await pool.query<{ ts: number | null }>(
    `SELECT (SELECT ts FROM attempts WHERE outcome = 1
              AND ts >= COALESCE((SELECT MAX(bucket) FROM rollups_minute WHERE outcome = 1), 0)
            ORDER BY ts DESC LIMIT 1) AS ts`,
  );
  return rows[0]?.ts ?? null;
}

export async function databaseSize(pool: PgReads): Promise<{ bytes: number; walBytes: number }> {
  const { rows } = await pool.query<{ bytes: number }>(
    'SELECT pg_database_size(current_database()) AS bytes',
  );
  return { bytes: rows[0]?.bytes ?? 0, walBytes: 0 };
}

export async function probeWrite(pool: PgReads, at: number): Promise<void> {
  await pool.query(
    `INSERT INTO ops_heartbeat (id, checked_at) VALUES (1, $1)
     ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
    [at],
  );
}

/** Outside clients a domain needs to be learned from them (as the SQLite store). */
const OWN_DOMAIN_MIN_CLIENTS = 3;
/** Recipient domains past which a client is an application server or smarthost client, not the world. */
const RELAY_CLIENT_MIN_DOMAINS = 10;

/** What makes each domain ours, over the fleet's whole history (own domains are fleet-wide). */
export async function ownDomainEvidence(pool: PgReads): Promise<DomainEvidence[]> {
  const { rows } = await pool.query<DomainEvidence>(
    `SELECT domain, fact, count FROM (
       SELECT d.value AS domain, f.fact::integer AS fact, SUM(f.count) AS count
         FROM domain_facts f JOIN dict d ON d.id = f.domain GROUP BY d.value, f.fact
       UNION ALL
       SELECT d.value, 0, COUNT(DISTINCT c.client_ip) FROM client_domains c JOIN dict d ON d.id = c.domain
        WHERE c.client_ip IN (
          SELECT client_ip FROM client_domains GROUP BY client_ip HAVING COUNT(DISTINCT domain) < $1
          EXCEPT SELECT client_ip FROM authenticated_clients)
        GROUP BY d.value HAVING COUNT(DISTINCT c.client_ip) >= $2) e
     ORDER BY domain COLLATE "C", fact`,
    [RELAY_CLIENT_MIN_DOMAINS, OWN_DOMAIN_MIN_CLIENTS],
  );
  return rows;
}

/**
 * What PostgreSQL itself says is unsound in the store: indexes left invalid (a failed build) and tables whose
 * pages it could not read are reported by the server; the check here is the catalogue's, cheap on any size.
 */
export async function integrityProblems(pool: PgReads): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE NOT i.indisvalid AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
  );
  return rows.map((r) => `index ${r.name} is not valid (a build failed): rebuild it with REINDEX`);
}
