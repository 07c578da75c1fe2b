/** Queries behind operations: the alerts table, and the few reads and writes metrics and /healthz need. */

import { statSync } from 'node:fs';
import type { Db } from '../open.js';
import { BLOCK_SIZE } from '../time-blocks.js';

export type AlertSeverity = 'warning' | 'critical';
type AlertState = 'open' | 'resolved';

export interface AlertRecord {
  id: number;
  key: string;
  rule: string;
  subject: string;
  severity: AlertSeverity;
  state: AlertState;
  summary: string;
  /** The evidence as stored (JSON text): its shape belongs to the alert rules, not to the store. */
  evidence: string;
  openedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  notifiedAt: number | null;
}

export type NewAlert = Omit<
  AlertRecord,
  'id' | 'state' | 'resolvedAt' | 'notifiedAt' | 'updatedAt' | 'evidence'
> & {
  evidence: unknown;
};

/** An `alerts` row as both stores return it: the record's one-word fields, and snake_case columns for the rest. */
export interface AlertDbRow extends Pick<
  AlertRecord,
  'id' | 'rule' | 'subject' | 'severity' | 'state' | 'summary' | 'evidence'
> {
  alert_key: string;
  opened_at: number;
  updated_at: number;
  resolved_at: number | null;
  notified_at: number | null;
}

export function alertFromRow(r: AlertDbRow): AlertRecord {
  return {
    id: r.id,
    key: r.alert_key,
    rule: r.rule,
    subject: r.subject,
    severity: r.severity,
    state: r.state,
    summary: r.summary,
    evidence: r.evidence,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    notifiedAt: r.notified_at,
  };
}

export interface AlertStore {
  /** Stores a new open alert; returns its id. */
  insertAlert(alert: NewAlert): number;
  updateAlert(
    id: number,
    change: { summary: string; evidence: unknown; severity: AlertSeverity; at: number },
  ): void;
  resolveAlert(id: number, at: number): void;
  markNotified(id: number, at: number): void;
  listOpenAlerts(limit: number): AlertRecord[];
  /** Alerts resolved at or after `since`, newest first. */
  listResolvedAlerts(since: number, limit: number): AlertRecord[];
  /** The newest alert of each key opened at or after `since` (to restore cooldowns after a restart). */
  latestAlertsByKey(since: number): AlertRecord[];
  /** Deletes resolved alerts resolved before `before`; returns how many. */
  pruneAlerts(before: number): number;
}

export function createAlertStore(db: Db): AlertStore {
  const insert = db.prepare<
    [string, string, string, string, string, string, number, number]
  >(`INSERT INTO alerts (alert_key, rule, subject, severity, state, summary, evidence, opened_at, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`);
  const update = db.prepare<[string, string, string, number, number]>(
    `UPDATE alerts SET summary = ?, evidence = ?, severity = ?, updated_at = ? WHERE id = ?`,
  );
  const resolve = db.prepare<[number, number, number]>(
    `UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? AND state = 'open'`,
  );
  const notified = db.prepare<[number, number]>(`UPDATE alerts SET notified_at = ? WHERE id = ?`);
  const open = db.prepare<[number], AlertDbRow>(
    `SELECT * FROM alerts WHERE state = 'open' ORDER BY opened_at DESC, id DESC LIMIT ?`,
  );
  const resolved = db.prepare<[number, number], AlertDbRow>(
    `SELECT * FROM alerts WHERE state = 'resolved' AND resolved_at >= ?
     ORDER BY resolved_at DESC, id DESC LIMIT ?`,
  );
  const latestByKey = db.prepare<[number], AlertDbRow>(
    `SELECT a.* FROM alerts a
     JOIN (SELECT alert_key, MAX(id) AS id FROM alerts WHERE opened_at >= ? GROUP BY alert_key) l ON l.id = a.id`,
  );
  const prune = db.prepare<[number]>(`DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?`);

  return {
    insertAlert(a) {
      const info = insert.run(
        a.key,
        a.rule,
        a.subject,
        a.severity,
        a.summary,
        JSON.stringify(a.evidence),
        a.openedAt,
        a.openedAt,
      );
      return Number(info.lastInsertRowid);
    },
    updateAlert(id, c) {
      update.run(c.summary, JSON.stringify(c.evidence), c.severity, c.at, id);
    },
    resolveAlert(id, at) {
      resolve.run(at, at, id);
    },
    markNotified(id, at) {
      notified.run(at, id);
    },
    listOpenAlerts: (limit) => open.all(limit).map(alertFromRow),
    listResolvedAlerts: (since, limit) => resolved.all(since, limit).map(alertFromRow),
    latestAlertsByKey: (since) => latestByKey.all(since).map(alertFromRow),
    pruneAlerts: (before) => prune.run(before).changes,
  };
}

/** A rollup row as the alert engine reads it to rebuild its baselines after a restart. */
export interface RecentRollup {
  bucket: number;
  domain: string;
  provider: string;
  outcome: string;
  cause: string;
  count: number;
}

export interface OpsQueries {
  /** Bytes of the database file as SQLite counts them, plus its write-ahead log. */
  databaseSize(): { bytes: number; walBytes: number };
  /** Rewrites one row: throws when the database does not take writes. */
  touchHeartbeat(at: number): void;
  /** Providers by attempts since `since` (from the day rollups), busiest first. */
  busiestProviders(since: number, limit: number): { provider: string; count: number }[];
  /** Time of the newest stored attempt or reject, or null on an empty database. */
  newestEventTs(): number | null;
  /** Time of the newest successful delivery, or null. */
  lastSentTs(): number | null;
  /** Minute rollups since `since` (attempt outcomes only). */
  recentRollups(since: number, until: number | null): RecentRollup[];
}

export function createOpsQueries(db: Db): OpsQueries {
  const pageCount = db.prepare<[], { page_count: number }>(`PRAGMA page_count`);
  const pageSize = db.prepare<[], { page_size: number }>(`PRAGMA page_size`);
  const heartbeat = db.prepare<[number]>(
    `INSERT INTO ops_heartbeat (id, checked_at) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
  );
  const busiest = db.prepare<[number, number], { provider: string; count: number }>(
    // Rollup rows key on name ids (migration 0012): summed on them, the groups named after.
    `SELECT (SELECT name FROM names WHERE id = g.provider) AS provider, g.count AS count FROM (
       SELECT provider, SUM(count) AS count FROM rollup_day_rows
        WHERE bucket >= ? AND provider <> (SELECT id FROM names WHERE name = '')
          AND outcome IN (SELECT id FROM names WHERE name IN ('sent', 'deferred', 'bounced', 'expired'))
        GROUP BY provider) g
     ORDER BY count DESC, provider LIMIT ?`,
  );
  const newest = db.prepare<[], { ts: number | null }>(
    // Attempts: from their time blocks (db/sqlite/time-blocks.ts).
    `SELECT MAX(ts) AS ts FROM (SELECT MAX(max_ts) AS ts FROM attempt_blocks UNION ALL SELECT MAX(ts) FROM reject_rows)`,
  );
  const lastSent = db.prepare<[], { ts: number | null }>(
    `SELECT MAX(bucket) AS ts FROM rollup_minute_rows WHERE outcome = (SELECT id FROM names WHERE name = 'sent')`,
  );
  // The newest sent attempt at or after a time: blocks newest first, each read along its ids, until no block left
  // can hold a newer one (attempts have no time index, db/sqlite/time-blocks.ts).
  const blocksSince = db.prepare<[number], { block: number; max_ts: number }>(
    'SELECT block, max_ts FROM attempt_blocks WHERE max_ts >= ? ORDER BY max_ts DESC',
  );
  const sentIn = db
    .prepare<[number, number, number], number | null>(
      'SELECT MAX(ts) FROM attempt_rows WHERE id BETWEEN ? AND ? AND outcome = 0 AND ts >= ?',
    )
    .pluck();
  const lastSentExact = (since: number): number | null => {
    let newestTs: number | null = null;
    for (const b of blocksSince.all(since)) {
      if (newestTs !== null && b.max_ts <= newestTs) break;
      const first = b.block * BLOCK_SIZE;
      const t = sentIn.get(first, first + BLOCK_SIZE - 1, since) ?? null;
      if (t !== null && (newestTs === null || t > newestTs)) newestTs = t;
    }
    return newestTs;
  };
  const recent = db.prepare<[{ since: number; until: number | null }], RecentRollup>(
    `SELECT g.bucket AS bucket, (SELECT name FROM names WHERE id = g.domain) AS domain,
            (SELECT name FROM names WHERE id = g.provider) AS provider,
            (SELECT name FROM names WHERE id = g.outcome) AS outcome,
            (SELECT name FROM names WHERE id = g.cause) AS cause, g.count AS count FROM (
       SELECT bucket, domain, provider, outcome, cause, SUM(count) AS count FROM rollup_minute_rows
        WHERE bucket >= @since AND (@until IS NULL OR bucket < @until)
          AND outcome IN (SELECT id FROM names WHERE name IN ('sent', 'deferred', 'bounced', 'expired'))
        GROUP BY bucket, domain, provider, outcome, cause) g
     ORDER BY bucket, domain, provider, outcome, cause`,
  );

  return {
    databaseSize() {
      const bytes = (pageCount.get()?.page_count ?? 0) * (pageSize.get()?.page_size ?? 0);
      let walBytes = 0;
      if (db.name !== ':memory:' && db.name !== '') {
        try {
          walBytes = statSync(`${db.name}-wal`).size;
        } catch {
          walBytes = 0;
        }
      }
      return { bytes, walBytes };
    },
    touchHeartbeat(at) {
      heartbeat.run(at);
    },
    busiestProviders: (since, limit) => busiest.all(since, limit),
    newestEventTs: () => newest.get()?.ts ?? null,
    lastSentTs() {
      // The minute rollup finds the minute cheaply; the attempts index then gives the exact time. Minute
      // rollups cover two days: past them, the newest sent attempt is searched from the newest row back.
      const minute = lastSent.get()?.ts ?? null;
      if (minute === null) return lastSentExact(0);
      return lastSentExact(minute) ?? minute;
    },
    recentRollups: (since, until) => recent.all({ since, until }),
  };
}
