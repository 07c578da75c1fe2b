/** The raw rows behind drill-downs and reports, read from PostgreSQL's decoded views. */

import type { PgReads } from './prepared.js';
import {
  ATTEMPT_COLS,
  REJECT_COLS,
  toFailure,
  type FailureEvent,
  type FailureQuery,
  type RawFailure,
} from '../../sqlite/read/failures.js';
import { replyShape } from '../../sqlite/read/report-shape.js';
import type { ExampleRow, ExpiredRecipientRow, HardBounceRow, TimeRange } from '../../sqlite/read/report.js';

/** The id of a dictionary text ($n), or NULL when none has it. */
const ID = (n: number) => `(SELECT id FROM dict WHERE value = $${n})`;

/**
 * Per kind: the predicates on the attempts and rejects tables' ids (matching the rollup key), or null where the
 * kind has no rejects. Key is $1, number $6.
 */
function predicates(
  kind: FailureQuery['kind'],
  basicCode: boolean,
): { attempts: string; rejects: string | null } {
  switch (kind) {
    case 'domain':
      return { attempts: `domain = ${ID(1)}`, rejects: `domain = ${ID(1)}` };
    case 'provider':
      return { attempts: `provider = ${ID(1)}`, rejects: null };
    case 'cause':
      return { attempts: `cause = ${ID(1)}`, rejects: `cause = ${ID(1)}` };
    case 'code':
      // The rollup code: the enhanced status, else dsn=, else the basic code.
      return {
        attempts: basicCode
          ? 'enhanced_status IS NULL AND dsn IS NULL AND reply_code = $6'
          : `COALESCE(enhanced_status, dsn) = ${ID(1)}`,
        rejects: basicCode ? 'reply_code = $6 AND enhanced_status IS NULL' : `enhanced_status = ${ID(1)}`,
      };
  }
}

/**
 * The newest rows of `table` that `where` picks in the range, decoded through `view`: found on the table's ids
 * (the failure indexes serve it), then read by (ts, id) bounded to their days, since a filter on the view's texts
 * reads every row of the range and planning the view over every day takes far longer than its few index reads.
 */
async function newestDecoded(
  pool: PgReads,
  table: 'attempts' | 'rejects',
  where: string,
  params: readonly unknown[],
): Promise<RawFailure[]> {
  const { rows: keys } = await pool.query<{ ts: number; id: number }>(
    `SELECT ts, id FROM ${table} WHERE ${where}
        AND ts >= $2 AND ts < $3 AND ($4::text IS NULL OR host = ${ID(4)})
        AND ($6::integer IS NULL OR true) ORDER BY ts DESC, id DESC LIMIT $5`,
    params,
  );
  if (keys.length === 0) return [];
  const { rows } = await pool.query<RawFailure>(
    `SELECT ${table === 'attempts' ? ATTEMPT_COLS : REJECT_COLS} FROM ${table}_full
      WHERE ts = ANY($1::bigint[]) AND id = ANY($2::bigint[]) AND ts >= $3 AND ts <= $4
      ORDER BY ts DESC, id DESC`,
    [keys.map((k) => k.ts), keys.map((k) => k.id), keys[keys.length - 1]!.ts, keys[0]!.ts],
  );
  return rows;
}

export async function recentFailures(pool: PgReads, q: FailureQuery): Promise<FailureEvent[]> {
  const basicCode = q.kind === 'code' && /^\d{3}$/.test(q.key);
  const pred = predicates(q.kind, basicCode);
  const params = [q.key, q.from, q.to, q.host, q.limit, basicCode ? Number(q.key) : null];
  // Class 1 is success; hops and waits are no failures.
  const [attempts, rejects] = await Promise.all([
    newestDecoded(pool, 'attempts', `${pred.attempts} AND class <> 1 AND flags & 3 = 0`, params),
    pred.rejects ? newestDecoded(pool, 'rejects', pred.rejects, params) : [],
  ]);
  return [...attempts, ...rejects]
    .sort((a, b) => b.ts - a.ts)
    .slice(0, q.limit)
    .map(toFailure);
}

/**
 * The most frequent replies of each failure cause in the range, grouped by shape, `perCause` of each: each group
 * shows its most recent text, code and domain (the SQLite store's rule). Distinct texts are read from the store,
 * their shapes computed here.
 */
export async function causeExamples(
  pool: PgReads,
  range: TimeRange,
  perCause: number,
): Promise<ExampleRow[]> {
  const { rows } = await pool.query<ExampleRow>(
    `SELECT ca.value AS cause, rp.text AS diagnostic, g.count, g."lastTs", d.value AS domain,
            COALESCE(es.value, ds.value, g.reply_code::text, '') AS code
       FROM (SELECT cause, reply, count(*) AS count, max(ts) AS "lastTs",
                    (array_agg(domain ORDER BY ts DESC, id DESC))[1] AS domain,
                    (array_agg(enhanced_status ORDER BY ts DESC, id DESC))[1] AS enhanced_status,
                    (array_agg(dsn ORDER BY ts DESC, id DESC))[1] AS dsn,
                    (array_agg(reply_code ORDER BY ts DESC, id DESC))[1] AS reply_code
               FROM attempts
              WHERE ts >= $1 AND ts < $2 AND class <> 1 AND outcome <> 1 AND flags & 3 = 0 AND cause IS NOT NULL
              GROUP BY cause, reply) g
       JOIN replies rp ON rp.id = g.reply AND rp.text <> ''
       JOIN dict ca ON ca.id = g.cause
       JOIN dict d ON d.id = g.domain
       LEFT JOIN dict es ON es.id = g.enhanced_status
       LEFT JOIN dict ds ON ds.id = g.dsn`,
    [range.from, range.to],
  );
  const groups = new Map<string, ExampleRow>();
  for (const r of rows) {
    const key = `${r.cause}\u0000${replyShape(r.diagnostic)}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { ...r });
    else {
      g.count += r.count;
      if (r.lastTs > g.lastTs) {
        g.lastTs = r.lastTs;
        g.diagnostic = r.diagnostic;
        g.code = r.code;
        g.domain = r.domain;
      }
    }
  }
  const byCause = new Map<string, ExampleRow[]>();
  for (const g of groups.values()) {
    const list = byCause.get(g.cause) ?? [];
    list.push(g);
    byCause.set(g.cause, list);
  }
  const out: ExampleRow[] = [];
  for (const cause of [...byCause.keys()].sort()) {
    // Ties go by the text's code units, as SQLite's BINARY collation orders them.
    const list = byCause
      .get(cause)!
      .sort(
        (a, b) =>
          b.count - a.count ||
          b.lastTs - a.lastTs ||
          (a.diagnostic < b.diagnostic ? -1 : a.diagnostic > b.diagnostic ? 1 : 0),
      );
    out.push(...list.slice(0, perCause));
  }
  return out;
}

export async function hardBouncedAddresses(
  pool: PgReads,
  range: TimeRange,
  limit: number,
): Promise<HardBounceRow[]> {
  const { rows } = await pool.query<HardBounceRow>(
    `WITH hb AS (
       SELECT recipient AS stored, lower(recipient) AS recipient, recipient_domain AS domain, cause,
              COALESCE(enhanced_status, dsn, reply_code::text, '') AS code, diagnostic, ts,
              ROW_NUMBER() OVER (PARTITION BY lower(recipient) ORDER BY ts DESC, id DESC) AS rank,
              COUNT(*) OVER (PARTITION BY lower(recipient)) AS bounces
         FROM attempts_full
        WHERE ts >= $1 AND ts < $2 AND hard_bounce = 1 AND class = 'permanent'
     )
     SELECT recipient, domain, cause, code, diagnostic, bounces, ts AS "lastTs" FROM hb
      WHERE rank = 1 AND NOT EXISTS (
        SELECT 1 FROM attempts s
         WHERE s.recipient = hb.stored AND s.outcome = 1 AND s.flags & 1 = 0 AND s.ts > hb.ts AND s.ts < $2)
      ORDER BY "lastTs" DESC, recipient COLLATE "C"
      LIMIT $3`,
    [range.from, range.to, limit],
  );
  return rows;
}

export async function expiredRecipients(pool: PgReads, range: TimeRange): Promise<ExpiredRecipientRow[]> {
  const { rows } = await pool.query<ExpiredRecipientRow>(
    `SELECT host, "queueId", ts, recipient, sender, cause, diagnostic FROM (
       SELECT host, queue_id AS "queueId", ts, recipient, sender, cause, diagnostic, 0 AS src
         FROM attempts_full WHERE outcome = 'expired' AND ts >= $1 AND ts < $2
       UNION ALL
       SELECT host, queue_id, expired_at, '', sender, NULL, NULL, 1
         FROM messages_full WHERE expired_at >= $1 AND expired_at < $2) e
     ORDER BY ts, "queueId" COLLATE "C", src`,
    [range.from, range.to],
  );
  return rows;
}

export async function firstRawTs(pool: PgReads): Promise<number | null> {
  const { rows } = await pool.query<{ ts: number | null }>(
    'SELECT LEAST((SELECT MIN(ts) FROM attempts), (SELECT MIN(ts) FROM rejects)) AS ts',
  );
  return rows[0]?.ts ?? null;
}
