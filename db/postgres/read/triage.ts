/**
 * Triage reads from PostgreSQL (migration 5): the MTA's warnings by shape, connection-level counts, and what each
 * submitter sent, over a range of hours, across the fleet or for one host. The same answers as the SQLite store's
 * (db/sqlite/read/triage.ts).
 */

import type { PgReads } from './prepared.js';
import {
  SENDER_COUNTS,
  type SenderGrouping,
  type SenderRow,
  type SessionCountRow,
  type SessionFactEvent,
  type TriageRange,
  type WarningGroupRow,
} from '../../store/triage.js';

const HOUR = 3_600_000;
const SEVERITY = "(ARRAY['warning', 'fatal', 'panic'])[h.severity]";

/** Hours that overlap the range, and the host filter: $1 from, $2 to, $3 host name or null. */
const params = (range: TriageRange) => [range.from - (range.from % HOUR), range.to, range.host ?? null];
const IN_RANGE =
  'h.hour >= $1 AND h.hour < $2 AND ($3::text IS NULL OR h.host = (SELECT id FROM dict WHERE value = $3))';

export async function warningGroups(
  pool: PgReads,
  range: TriageRange,
  limit: number,
): Promise<WarningGroupRow[]> {
  const { rows } = await pool.query<WarningGroupRow>(
    `SELECT * FROM (
       SELECT ${SEVERITY} AS severity, t.value AS topic, h.shape AS text,
              (array_agg(h.example ORDER BY h.last_ts DESC))[1] AS example, SUM(h.count)::float8 AS count,
              MIN(h.first_ts)::float8 AS first, MAX(h.last_ts)::float8 AS last
         FROM warning_hours h JOIN dict t ON t.id = h.topic
        WHERE ${IN_RANGE}
        GROUP BY h.severity, t.value, h.shape) w
      ORDER BY count DESC, last DESC, severity COLLATE "C", text COLLATE "C" LIMIT $4`,
    [...params(range), limit],
  );
  return rows;
}

/** Totals per event over the range. */
export async function sessionTotals(
  pool: PgReads,
  range: TriageRange,
): Promise<Partial<Record<SessionFactEvent, number>>> {
  const { rows } = await pool.query<{ event: SessionFactEvent; count: number }>(
    `SELECT e.value AS event, SUM(h.count)::float8 AS count
       FROM session_hours h JOIN dict e ON e.id = h.event
      WHERE ${IN_RANGE} GROUP BY e.value`,
    params(range),
  );
  return Object.fromEntries(rows.map((r) => [r.event, r.count]));
}

/** The keys of one event with the most counts over the range. */
export async function sessionTop(
  pool: PgReads,
  range: TriageRange,
  event: SessionFactEvent,
  limit: number,
): Promise<SessionCountRow[]> {
  const { rows } = await pool.query<SessionCountRow>(
    `SELECT $4::text AS event, h.key, SUM(h.count)::float8 AS count
       FROM session_hours h
      WHERE ${IN_RANGE} AND h.event = (SELECT id FROM dict WHERE value = $4)
      GROUP BY h.key ORDER BY count DESC, h.key COLLATE "C" LIMIT $5`,
    [...params(range), event, limit],
  );
  return rows;
}

const GROUP_KEY: Record<SenderGrouping, string> = {
  // A SASL user is one submitter whatever sender it writes; without one, the sender address is.
  submitter: "CASE WHEN h.sasl_user <> '' THEN 'u' || h.sasl_user ELSE 's' || h.sender END",
  domain: "lower(substr(h.sender, strpos(h.sender, '@') + 1))",
  ip: 'h.client_ip',
};

const SUMS = SENDER_COUNTS.map((c) => `SUM(h.${c})::float8 AS ${c}`).join(', ');

interface SenderSqlRow extends Omit<SenderRow, 'saslUser' | 'clientIps'> {
  saslUser: string;
  /** Null when no row of the group named a client IP. */
  clientIps: string[] | null;
}

/** Submitters by messages (then failures) over the range; `ip` and `domain` group otherwise. */
export async function senderTotals(
  pool: PgReads,
  range: TriageRange,
  grouping: SenderGrouping,
  limit: number,
): Promise<SenderRow[]> {
  const sender = grouping === 'domain' ? GROUP_KEY.domain : 'MIN(h.sender COLLATE "C")';
  const { rows } = await pool.query<SenderSqlRow>(
    `SELECT * FROM (
       SELECT MIN(h.sasl_user COLLATE "C") AS "saslUser", ${sender} AS sender,
              (array_agg(DISTINCT h.client_ip COLLATE "C") FILTER (WHERE h.client_ip <> ''))[1:20] AS "clientIps", ${SUMS}
         FROM sender_hours h
        WHERE ${IN_RANGE}
        GROUP BY ${GROUP_KEY[grouping]}) s
      ORDER BY messages DESC, sent + deferred + bounced DESC, sender COLLATE "C", "saslUser" COLLATE "C" LIMIT $4`,
    [...params(range), limit],
  );
  return rows.map((r) => ({
    ...r,
    saslUser: grouping === 'submitter' && r.saslUser !== '' ? r.saslUser : null,
    clientIps: r.clientIps ?? [],
  }));
}
