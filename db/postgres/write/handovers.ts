/**
 * Hand-overs between hosts of a fleet: a host that delivered a message to another host of the fleet (an MX to
 * the internal mailstore, a submission server to the outbound relay) did not deliver it; the next host's life
 * goes on, and only its final outcome counts (design, Counting: hops). The sending host's agent finds its own
 * deliveries whose `queued as` id names a life another host logged about the same time (with the same
 * Message-ID where both have one), marks them as hops and moves their counts from `sent` to `hop`, in one
 * transaction: only that agent writes its host's rows, and a delivery already marked is never counted again.
 */

import type pg from 'pg';
import { MINUTE_ROLLUPS_KEPT_MS } from '../../sqlite/rollup-horizon.js';
import { OUTCOME_CODE } from './codes.js';
import { createRollupCells } from './rollup-cells.js';
import { rollupParams, rollupSql } from './write-batch.js';

/** How far apart the hand-over and the next host's first line may be: clocks of a fleet drift a little. */
const SKEW_MS = 10 * 60_000;

/** Flags of attempts that are something else than a delivery already (hop, wait, notification). */
const NOT_A_DELIVERY = 1 | 2 | 4;

const MARK_SQL = `
WITH cand AS (
  SELECT a.host, a.ts, a.id, a.life, a.domain, a.provider, a.class, a.cause, a.enhanced_status, a.dsn, a.reply_code,
         a.message_id, substring(r.text from 'queued as ([0-9A-Za-z]{5,})') AS qid
    FROM attempts a JOIN replies r ON r.id = a.reply
   WHERE a.host = $1 AND a.ts >= $2 AND a.outcome = 1 AND a.flags & ${NOT_A_DELIVERY} = 0
     AND r.text LIKE '%queued as %'
), joined AS (
  SELECT c.* FROM cand c
    LEFT JOIN messages l ON l.id = c.life
   WHERE c.qid IS NOT NULL AND EXISTS (
     SELECT 1 FROM messages m
      WHERE m.queue_id = c.qid AND m.host <> c.host
        AND m.first_ts BETWEEN c.ts - ${SKEW_MS} AND c.ts + ${SKEW_MS}
        AND (m.message_id IS NULL OR COALESCE(c.message_id, l.message_id) IS NULL
             OR m.message_id = COALESCE(c.message_id, l.message_id)))
)
UPDATE attempts a SET flags = a.flags | 1 FROM joined j
 WHERE a.host = j.host AND a.ts = j.ts AND a.id = j.id AND a.flags & 1 = 0
RETURNING j.ts, j.domain, COALESCE(j.provider, 0) AS provider, j.class, COALESCE(j.cause, 0) AS cause,
  COALESCE(NULLIF(j.enhanced_status, 0), NULLIF(j.dsn, 0),
           (SELECT d.id FROM dict d WHERE d.value = j.reply_code::text), 0) AS code`;

interface Marked {
  ts: number;
  domain: number;
  provider: number;
  class: number;
  cause: number;
  code: number;
}

/**
 * Marks this host's deliveries since `since` that were hand-overs to another host of the fleet, and moves their
 * counts; answers how many it marked.
 */
export async function markHandovers(
  client: pg.ClientBase,
  host: number,
  since: number,
  now: number,
): Promise<number> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<Marked>(MARK_SQL, [host, since]);
    if (rows.length > 0) {
      const cells = createRollupCells();
      const sent = createRollupCells();
      for (const r of rows) {
        cells.add(r.ts, [host, r.domain, r.provider, OUTCOME_CODE['hop']!, r.class, r.cause, r.code]);
        sent.add(r.ts, [host, r.domain, r.provider, OUTCOME_CODE['sent']!, r.class, r.cause, r.code]);
      }
      const minuteFrom = now - MINUTE_ROLLUPS_KEPT_MS;
      const hop = cells.columns(minuteFrom);
      const gone = sent.columns(minuteFrom);
      for (const [table, add, take] of [
        ['rollups_minute', hop.minute, gone.minute],
        ['rollups_hour', hop.hour, gone.hour],
        ['rollups_day', hop.day, gone.day],
      ] as const) {
        if (add.count.length === 0) continue;
        await client.query(rollupSql(table), rollupParams(add));
        await client.query(rollupSql(table), rollupParams({ ...take, count: take.count.map((n) => -n) }));
        await client.query(
          `DELETE FROM ${table} WHERE host = $1 AND outcome = $2 AND count <= 0 AND bucket = ANY($3)`,
          [host, OUTCOME_CODE['sent'], [...new Set(take.bucket)]],
        );
      }
    }
    await client.query('COMMIT');
    return rows.length;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
