/** Triage reads: the MTA's warnings by shape, connection-level counts, and what each submitter sent, over a range of hours. */

import {
  SESSION_EVENT_CODES,
  type SenderGrouping,
  type SenderRow,
  type SessionCountRow,
  type SessionFactEvent,
  type TriageRange,
  type WarningGroupRow,
} from '../../store/triage.js';
import type { Db } from '../open.js';
import { statementCache } from './statements.js';

const HOUR = 3_600_000;
const cache = statementCache();
/** Hours that overlap the range (triage facts are summed per hour), and the host filter (null: every host). */
const hours = (range: TriageRange) => ({
  from: range.from - (range.from % HOUR),
  to: range.to,
  host: range.host ?? null,
});
/** The rows of the range's hours and of its host, when one is chosen. */
const IN_RANGE = `h.hour_ts >= @from AND h.hour_ts < @to
        AND (@host IS NULL OR h.host = (SELECT id FROM triage_names WHERE name = @host))`;
const codeOf = (event: SessionFactEvent): number => SESSION_EVENT_CODES.indexOf(event) + 1;

export function warningGroups(db: Db, range: TriageRange, limit: number): WarningGroupRow[] {
  return cache(
    db,
    'triage:warnings',
    `SELECT s.severity, s.topic, s.shape AS text, s.example, SUM(h.count) AS count,
            MIN(h.first_ts) AS first, MAX(h.last_ts) AS last
       FROM warning_hours h JOIN warning_shapes s ON s.id = h.shape_id
      WHERE ${IN_RANGE}
      GROUP BY h.shape_id ORDER BY count DESC, last DESC, s.severity, s.shape LIMIT @limit`,
  ).all({ ...hours(range), limit }) as WarningGroupRow[];
}

/** Totals per event over the range. */
export function sessionTotals(db: Db, range: TriageRange): Partial<Record<SessionFactEvent, number>> {
  const rows = cache(
    db,
    'triage:session-totals',
    `SELECT h.event, SUM(h.count) AS count FROM session_hours h
      WHERE ${IN_RANGE} GROUP BY h.event`,
  ).all(hours(range)) as { event: number; count: number }[];
  return Object.fromEntries(
    rows.flatMap((r) => {
      const event = SESSION_EVENT_CODES[r.event - 1];
      return event === undefined ? [] : [[event, r.count]];
    }),
  );
}

/** The keys of one event with the most counts over the range. */
export function sessionTop(
  db: Db,
  range: TriageRange,
  event: SessionFactEvent,
  limit: number,
): SessionCountRow[] {
  const rows = cache(
    db,
    'triage:session-top',
    `SELECT n.name AS key, SUM(h.count) AS count
       FROM session_hours h JOIN triage_names n ON n.id = h.key_id
      WHERE ${IN_RANGE} AND h.event = @event
      GROUP BY h.key_id ORDER BY count DESC, key LIMIT @limit`,
  ).all({ ...hours(range), event: codeOf(event), limit }) as Omit<SessionCountRow, 'event'>[];
  return rows.map((r) => ({ event, ...r }));
}

const GROUP_KEY: Record<SenderGrouping, string> = {
  // A SASL user is one submitter whatever sender it writes; without one, the sender address is.
  submitter: 'CASE WHEN h.sasl_id != 0 THEN h.sasl_id ELSE -h.sender_id END',
  domain: "lower(substr(se.name, instr(se.name, '@') + 1))",
  ip: 'h.ip_id',
};

interface SenderSqlRow extends Omit<SenderRow, 'clientIps' | 'saslUser'> {
  saslUser: string;
  clientIps: string | null;
}

/**
 * Submitters by messages (then failures, then sender, then SASL user: the same order as the PostgreSQL store's) over
 * the range; `ip` and `domain` group otherwise.
 */
export function senderTotals(
  db: Db,
  range: TriageRange,
  grouping: SenderGrouping,
  limit: number,
): SenderRow[] {
  const rows = cache(
    db,
    `triage:senders:${grouping}`,
    `SELECT MIN(sa.name) AS saslUser, ${grouping === 'domain' ? GROUP_KEY.domain : 'MIN(se.name)'} AS sender,
            group_concat(DISTINCT ip.name) AS clientIps,
            SUM(h.messages) AS messages, SUM(h.recipients) AS recipients, SUM(h.bytes) AS bytes,
            SUM(h.sent) AS sent, SUM(h.deferred) AS deferred, SUM(h.bounced) AS bounced,
            SUM(h.reputation) AS reputation, SUM(h.spam) AS spam, SUM(h.unknown) AS unknown
       FROM sender_hours h
       JOIN triage_names sa ON sa.id = h.sasl_id
       JOIN triage_names se ON se.id = h.sender_id
       JOIN triage_names ip ON ip.id = h.ip_id
      WHERE ${IN_RANGE}
      GROUP BY ${GROUP_KEY[grouping]}
      ORDER BY messages DESC, SUM(h.sent + h.deferred + h.bounced) DESC, sender, saslUser LIMIT @limit`,
  ).all({ ...hours(range), limit }) as SenderSqlRow[];
  return rows.map((r) => ({
    ...r,
    saslUser: grouping === 'submitter' && r.saslUser !== '' ? r.saslUser : null,
    // Sorted, so that the same IPs are listed whatever order the rows were read in.
    clientIps: (r.clientIps ?? '')
      .split(',')
      .filter((ip) => ip !== '')
      .sort()
      .slice(0, 20),
  }));
}
