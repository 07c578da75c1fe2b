/** Recent failed attempts and rejects for one domain, provider, cause or code: the raw rows behind a drill-down. */

import type { Db } from '../open.js';
import { statementCache } from './statements.js';

/** What a drill-down is about: its rows are filtered on this column. */
export type DetailKind = 'domain' | 'provider' | 'cause' | 'code';

export interface FailureEvent {
  source: 'attempt' | 'reject';
  ts: number;
  host: string;
  queueId: string | null;
  recipient: string | null;
  recipientDomain: string | null;
  sender: string | null;
  outcome: string;
  class: string;
  cause: string | null;
  provider: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  relayHost: string | null;
  clientHost: string | null;
  helo: string | null;
  diagnostic: string;
  hardBounce: boolean;
}

const cache = statementCache();

/** The columns of a failure (RawFailure) from attempts_full and from rejects, in both stores' SQL. */
export const ATTEMPT_COLS = `'attempt' AS source, ts, host, queue_id, recipient, recipient_domain, sender, outcome, class,
  cause, provider, reply_code, COALESCE(enhanced_status, dsn) AS enhanced_status, relay_host, NULL AS client_host,
  NULL AS helo, diagnostic, hard_bounce`;
export const REJECT_COLS = `'reject' AS source, ts, host, queue_id, recipient, recipient_domain, sender, 'rejected' AS outcome,
  class, cause, NULL AS provider, reply_code, enhanced_status, NULL AS relay_host, client_host, helo, diagnostic,
  0 AS hard_bounce`;

/** The id of a stored name (host, domain, provider, cause, status), or NULL when none has it. */
const NAME = (param: string) => `(SELECT id FROM names WHERE name = @${param})`;

/**
 * Per kind: the predicate on attempt_rows (matching the rollup key) and on reject_rows, or null (no such column).
 * Both read the stored codes, so the failure indexes of migration 0010 serve them.
 */
function predicates(
  kind: DetailKind,
  basicCode: boolean,
  numeric: boolean,
): { attempts: string; rejects: string | null } {
  switch (kind) {
    case 'domain':
      return { attempts: `recipient_domain = ${NAME('key')}`, rejects: `recipient_domain = ${NAME('key')}` };
    case 'provider':
      return { attempts: `provider = ${NAME('key')}`, rejects: null };
    case 'cause':
      return { attempts: `cause = ${NAME('key')}`, rejects: `cause = ${NAME('key')}` };
    case 'code':
      // The rollup code is the enhanced status (else dsn=), else the basic code: match the same rows here. The
      // attempts' expression is that of their index (migration 0010), word for word: a basic code is negated.
      // A code that is no number is one range of that index, read newest first; two ranges need a sort.
      return {
        attempts: numeric
          ? `COALESCE(enhanced_status, dsn, -reply_code) IN (${NAME('key')}, -@num)`
          : `COALESCE(enhanced_status, dsn, -reply_code) = ${NAME('key')}`,
        rejects: basicCode
          ? 'reply_code = @num AND enhanced_status IS NULL'
          : `enhanced_status = ${NAME('key')}`,
      };
  }
}

/** A failed attempt or reject as both stores select it (ATTEMPT_COLS, REJECT_COLS). */
export interface RawFailure {
  source: 'attempt' | 'reject';
  ts: number;
  host: string;
  queue_id: string | null;
  recipient: string | null;
  recipient_domain: string | null;
  sender: string | null;
  outcome: string;
  class: string;
  cause: string | null;
  provider: string | null;
  reply_code: number | null;
  enhanced_status: string | null;
  relay_host: string | null;
  client_host: string | null;
  helo: string | null;
  diagnostic: string;
  hard_bounce: number;
}

export function toFailure(r: RawFailure): FailureEvent {
  return {
    source: r.source,
    ts: r.ts,
    host: r.host,
    queueId: r.queue_id,
    recipient: r.recipient,
    recipientDomain: r.recipient_domain,
    sender: r.sender,
    outcome: r.outcome,
    class: r.class,
    cause: r.cause,
    provider: r.provider,
    replyCode: r.reply_code,
    enhancedStatus: r.enhanced_status,
    relayHost: r.relay_host,
    clientHost: r.client_host,
    helo: r.helo,
    diagnostic: r.diagnostic,
    hardBounce: r.hard_bounce !== 0,
  };
}

export interface FailureQuery {
  kind: DetailKind;
  key: string;
  from: number;
  to: number;
  host: string | null;
  /** Newest rows to read from each table. */
  limit: number;
}

const DAY_MS = 86_400_000;

type Window = { from: number; to: number };

/**
 * Up to `limit` rows of `read`, a day at a time from the newest matching row backwards, until enough are read:
 * the index range of a busy key over weeks is long, and a day's piece of it bounds what one read may sort or
 * skip. `newest` finds the next matching row below a day that came up short, so days without any are jumped
 * over instead of asked one by one (a range may reach back to 1970).
 */
function newestRows(
  q: FailureQuery,
  read: (window: Window & { limit: number }) => RawFailure[],
  newest: (window: Window) => number | null,
): RawFailure[] {
  const rows: RawFailure[] = [];
  let end = newest({ from: q.from, to: q.to });
  while (end !== null && rows.length < q.limit) {
    const day = { from: Math.max(q.from, end + 1 - DAY_MS), to: end + 1 };
    rows.push(...read({ ...day, limit: q.limit - rows.length }));
    end = rows.length < q.limit && day.from > q.from ? newest({ from: q.from, to: day.from }) : null;
  }
  return rows;
}

function newestTs(row: unknown): number | null {
  return row === undefined ? null : (row as { ts: number }).ts;
}

/** The newest failed attempts and rejects matching the drill-down, newest first (at most `limit` in all). */
export function recentFailures(db: Db, q: FailureQuery): FailureEvent[] {
  const basicCode = q.kind === 'code' && /^\d{3}$/.test(q.key);
  // A code that reads as a number may be a stored basic code (as text it is the number's own digits).
  const num =
    q.kind === 'code' && /^\d+$/.test(q.key) && String(Number(q.key)) === q.key ? Number(q.key) : null;
  const pred = predicates(q.kind, basicCode, num !== null);
  const params = { key: q.key, num, host: q.host };
  const common = `ts >= @from AND ts < @to AND (@host IS NULL OR host = ${NAME('host')})`;
  // An attempt names its host through its route (migration 0013).
  const attemptsCommon = `ts >= @from AND ts < @to
    AND (@host IS NULL OR route IN (SELECT id FROM attempt_routes WHERE host = ${NAME('host')}))`;
  // The newest matching rows are found on the stored codes, then read with their texts (ties: newest row first).
  const attemptsStmt = cache(
    db,
    `failures:attempts:${q.kind}:${basicCode}:${num !== null}`,
    `SELECT ${ATTEMPT_COLS} FROM attempts_full WHERE id IN (
       SELECT id FROM attempt_rows WHERE ${pred.attempts} AND class != 0 AND flags & 3 = 0 AND ${attemptsCommon}
        ORDER BY ts DESC LIMIT @limit)
     ORDER BY ts DESC, id DESC`,
  );
  const attemptsNewest = cache(
    db,
    `failures:attempts-newest:${q.kind}:${basicCode}:${num !== null}`,
    `SELECT ts FROM attempt_rows WHERE ${pred.attempts} AND class != 0 AND flags & 3 = 0 AND ${attemptsCommon}
      ORDER BY ts DESC LIMIT 1`,
  );
  const attempts = newestRows(
    q,
    (w) => attemptsStmt.all({ ...params, ...w }) as RawFailure[],
    (w) => newestTs(attemptsNewest.get({ ...params, ...w })),
  );
  let rejects: RawFailure[] = [];
  if (pred.rejects) {
    const rejectsStmt = cache(
      db,
      `failures:rejects:${q.kind}:${basicCode}`,
      `SELECT ${REJECT_COLS} FROM rejects WHERE id IN (
         SELECT id FROM reject_rows WHERE ${pred.rejects} AND ${common} ORDER BY ts DESC LIMIT @limit)
       ORDER BY ts DESC, id DESC`,
    );
    const rejectsNewest = cache(
      db,
      `failures:rejects-newest:${q.kind}:${basicCode}`,
      `SELECT ts FROM reject_rows WHERE ${pred.rejects} AND ${common} ORDER BY ts DESC LIMIT 1`,
    );
    rejects = newestRows(
      q,
      (w) => rejectsStmt.all({ ...params, ...w }) as RawFailure[],
      (w) => newestTs(rejectsNewest.get({ ...params, ...w })),
    );
  }
  return [...attempts, ...rejects]
    .sort((a, b) => b.ts - a.ts)
    .slice(0, q.limit)
    .map(toFailure);
}
