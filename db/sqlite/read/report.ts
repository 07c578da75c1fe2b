/** Queries behind the deliverability report: rollup aggregates, and the raw rows that give it detail. */

import type { Db } from '../open.js';
import { registerReplyShape } from './report-shape.js';
import { groupRollups, type GroupColumn } from './rollups.js';
import { statementCache } from './statements.js';

const cache = statementCache();

export interface TimeRange {
  from: number;
  to: number;
}

/** One rollup aggregate row of the report: counts per domain x provider x outcome x class x cause x code. */
export interface ReportCountRow {
  domain: string;
  provider: string;
  outcome: string;
  class: string;
  cause: string;
  code: string;
  count: number;
}

const REPORT_COLUMNS: readonly GroupColumn[] = ['domain', 'provider', 'outcome', 'class', 'cause', 'code'];

/** Counts over [from, to), exact to the minute (minute, hour and day rollups stitched together). */
export function reportCounts(db: Db, range: TimeRange): ReportCountRow[] {
  return groupRollups(db, range, REPORT_COLUMNS).map((r) => ({
    domain: r.keys.domain,
    provider: r.keys.provider,
    outcome: r.keys.outcome,
    class: r.keys.class,
    cause: r.keys.cause,
    code: r.keys.code,
    count: r.count,
  }));
}

/** First and last instant the rollups cover (hour precision), or null when the database holds no events. */
export function dataSpan(db: Db): TimeRange | null {
  const row = cache(
    db,
    'report:span',
    // Two subqueries so each is a single seek on the primary key, not a scan.
    `SELECT (SELECT MIN(bucket) FROM rollup_hour_rows) AS first, (SELECT MAX(bucket) FROM rollup_hour_rows) AS last`,
  ).get() as { first: number | null; last: number | null };
  if (row.first === null || row.last === null) return null;
  return { from: row.first, to: row.last + 3_600_000 };
}

/**
 * The day or hour buckets in [from, to) that hold any count, oldest first. One index seek per bucket found
 * (a skip-scan written as a recursive query), never a scan of the rows within a bucket.
 */
export function bucketsWithData(db: Db, unit: 'day' | 'hour', range: TimeRange): number[] {
  const table = unit === 'day' ? 'rollup_day_rows' : 'rollup_hour_rows';
  const rows = cache(
    db,
    `report:buckets:${unit}`,
    `WITH RECURSIVE b(v) AS (
       SELECT (SELECT MIN(bucket) FROM ${table} WHERE bucket >= @from AND bucket < @to)
       UNION ALL
       SELECT (SELECT MIN(bucket) FROM ${table} WHERE bucket > b.v AND bucket < @to) FROM b WHERE b.v IS NOT NULL
     )
     SELECT v FROM b WHERE v IS NOT NULL`,
  ).all(range) as { v: number }[];
  return rows.map((r) => r.v);
}

/** Earliest raw attempt or reject still stored (retention may have trimmed older ones). */
export function firstRawTs(db: Db): number | null {
  const row = cache(
    db,
    'report:first-raw',
    // Attempts: from their time blocks, which retention keeps exact (db/sqlite/time-blocks.ts).
    `SELECT MIN(ts) AS ts FROM (SELECT MIN(min_ts) AS ts FROM attempt_blocks UNION ALL SELECT MIN(ts) AS ts FROM reject_rows)`,
  ).get() as { ts: number | null };
  return row.ts;
}

/** One recipient of an expired message (an `expired` attempt), or the expiry of a message life (recipient ''). */
export interface ExpiredRecipientRow {
  host: string;
  queueId: string;
  ts: number;
  recipient: string;
  sender: string | null;
  cause: string | null;
  diagnostic: string | null;
}

/**
 * Expiry events in [from, to): attempts with outcome `expired` (one per recipient still undelivered, or one to
 * '' when none was known), and messages whose life ended in expiry, as events without recipients. The same
 * event may come from both sources; the caller merges them by host, queue id and time. An expiry is never a
 * success: saying so lets the planner read the failures' time index (migration 0008) instead of the week.
 */
export function expiredRecipients(db: Db, range: TimeRange): ExpiredRecipientRow[] {
  return cache(
    db,
    'report:expired',
    `SELECT host, queue_id AS queueId, ts, recipient, sender, cause, diagnostic, 0 AS src
       FROM attempts_full WHERE id IN (
         SELECT id FROM attempt_rows WHERE outcome = 3 AND class != 0 AND ts >= @from AND ts < @to)
     UNION ALL
     SELECT host, queue_id, expired_at, '', sender, NULL, NULL, 1
       FROM messages WHERE expired_at >= @from AND expired_at < @to
     ORDER BY ts, queueId, src`,
  ).all(range) as ExpiredRecipientRow[];
}

/** A distinct reply text of one cause, with how often it came and the last time. */
export interface ExampleRow {
  cause: string;
  diagnostic: string;
  code: string;
  domain: string;
  count: number;
  lastTs: number;
}

/**
 * The most frequent replies of each delivery-failure cause in [from, to), `perCause` of each at most.
 * Replies are grouped by their shape (ids, addresses and numbers left out); each group shows its most
 * recent real text, code and domain.
 */
export function causeExamples(db: Db, range: TimeRange, perCause: number): ExampleRow[] {
  registerReplyShape(db);
  return cache(
    db,
    'report:examples',
    // Bare columns next to MAX() come from the row holding the maximum (SQLite's documented rule): each
    // group shows its latest reply. Rows are grouped on their stored cause and reply (the same groups as their
    // texts), so each distinct reply is put together and shaped once, not once per row.
    `SELECT cause, diagnostic, code, domain, count, lastTs FROM (
       SELECT cause, diagnostic, code, domain, count, lastTs,
              ROW_NUMBER() OVER (PARTITION BY cause ORDER BY count DESC, lastTs DESC, diagnostic) AS rank
         FROM (
           SELECT cause, diagnostic, code, domain, MAX(lastTs) AS lastTs, SUM(count) AS count
             FROM (
               SELECT cause, diagnostic, bw_reply_shape(diagnostic) AS shape, domain, code, lastTs, count
                 FROM (
                   SELECT (SELECT name FROM names WHERE id = g.cause) AS cause,
                          bw_reply((SELECT template FROM reply_templates WHERE id = g.reply), g.words) AS diagnostic,
                          (SELECT name FROM names WHERE id = g.domain) AS domain,
                          COALESCE((SELECT name FROM names WHERE id = g.status), CAST(g.reply_code AS TEXT), '') AS code,
                          g.lastTs AS lastTs, g.count AS count
                     FROM (
                       SELECT cause, reply, reply_words AS words, recipient_domain AS domain,
                              COALESCE(enhanced_status, dsn) AS status, reply_code, MAX(ts) AS lastTs, COUNT(*) AS count
                         FROM attempt_rows
                        WHERE ts >= @from AND ts < @to AND class != 0 AND outcome != 0 AND flags & 3 = 0 AND cause IS NOT NULL
                        GROUP BY cause, reply, reply_words
                     ) g
                 ) WHERE diagnostic != ''
             )
            GROUP BY cause, shape
         )
     ) WHERE rank <= @perCause
     ORDER BY cause, count DESC, lastTs DESC, diagnostic`,
  ).all({ ...range, perCause }) as ExampleRow[];
}

/** A dead address: its last hard bounce in the range. */
export interface HardBounceRow {
  recipient: string;
  domain: string;
  cause: string | null;
  code: string;
  diagnostic: string;
  bounces: number;
  lastTs: number;
}

/**
 * Addresses that bounced hard in [from, to) and had no successful delivery after their last hard bounce
 * (up to the end of the range), newest first. One row per address, lower-cased. (`class != 0` (success) is
 * implied by 2 (permanent) but written out: SQLite uses the failures' time index only for its own condition.)
 */
export function hardBouncedAddresses(db: Db, range: TimeRange, limit: number): HardBounceRow[] {
  return cache(
    db,
    'report:hard-bounces',
    `WITH hb AS (
       SELECT recipient AS stored, lower(recipient) AS recipient, recipient_domain AS domain, cause,
              COALESCE(enhanced_status, dsn, CAST(reply_code AS TEXT), '') AS code, diagnostic, ts,
              ROW_NUMBER() OVER (PARTITION BY lower(recipient) ORDER BY ts DESC, id DESC) AS rank,
              COUNT(*) OVER (PARTITION BY lower(recipient)) AS bounces,
              (SELECT bw_recipient_key(r.recipient, r.recipient_domain, r.flags) FROM attempt_rows r
                WHERE r.id = attempts.id) AS rkey
         FROM attempts
        WHERE id IN (SELECT id FROM attempt_rows
                      WHERE ts >= @from AND ts < @to AND hard_bounce = 1 AND class = 2 AND class != 0)
     )
     SELECT recipient, domain, cause, code, diagnostic, bounces, ts AS lastTs FROM hb
      WHERE rank = 1 AND NOT EXISTS (
        SELECT 1 FROM attempt_rows s
         WHERE bw_recipient_key(s.recipient, s.recipient_domain, s.flags) = hb.rkey AND s.outcome = 0 AND s.flags & 1 = 0 AND s.ts > hb.ts AND s.ts < @to
           AND hb.stored = CASE WHEN s.flags & 8 THEN bw_text(s.recipient)
                                ELSE bw_text(s.recipient) || '@' || (SELECT name FROM names WHERE id = s.recipient_domain) END)
      ORDER BY lastTs DESC, recipient
      LIMIT @limit`,
  ).all({ ...range, limit }) as HardBounceRow[];
}

/** Line counters by name (read, delivery, reject, ignored, warning, ...), database-wide. */
export function lineStats(db: Db): Record<string, number> {
  const rows = cache(db, 'report:line-stats', `SELECT name, count FROM line_stats`).all() as {
    name: string;
    count: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.count]));
}

/** Shapes of unread lines first seen in [from, to): program, reason and how often each shape came. */
export function unparsedShapes(
  db: Db,
  range: TimeRange,
  limit: number,
): { program: string; reason: string; count: number }[] {
  return cache(
    db,
    'report:unparsed-shapes',
    `SELECT program, reason, SUM(count) AS count FROM unparsed_samples
      WHERE ts >= @from AND ts < @to GROUP BY program, reason ORDER BY count DESC, program LIMIT @limit`,
  ).all({ ...range, limit }) as { program: string; reason: string; count: number }[];
}
