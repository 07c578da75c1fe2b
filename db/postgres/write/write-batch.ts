/**
 * One batch into PostgreSQL: its texts and replies learnt and its day partitions made first (each in a short
 * statement of its own), then attempts, rejects, lives, rollups, counters and the checkpoint in one transaction.
 * Rows go in as one multi-row insert per table (unnest of one array per column).
 */

import type pg from 'pg';
import type { Batch } from '../../store/batch.js';
import { ATTEMPT_NOTICE, attemptRollupOutcome, rollupCode } from '../../store/stored-rows.js';
import { CLASS_CODE, codeOf, MTA_CODE, OUTCOME_CODE } from './codes.js';
import type { Dict } from './dict.js';
import type { Partitions } from './partitions.js';
import type { Replies } from './replies.js';
import { createRollupCells, type RollupColumns } from './rollup-cells.js';
import { triageTexts, triageTimes, writeTriage } from './triage-facts.js';

export interface WriteContext {
  /** The writer's host: its counters and checkpoints are kept under it. */
  host: string;
  dict: Dict;
  replies: Replies;
  partitions: Partitions;
}

/** Every low-cardinality text a batch names, for the dictionary. */
function batchTexts(batch: Batch): string[] {
  const out: string[] = [];
  const add = (v: string | null | undefined) => {
    if (v) out.push(v);
  };
  for (const a of batch.attempts) {
    add(a.host);
    add(a.program);
    add(a.recipientDomain);
    add(a.senderDomain);
    add(a.relayHost);
    add(a.stage);
    add(a.enhancedStatus);
    add(a.dsn);
    add(a.transport);
    add(a.cause);
    add(a.provider);
    add(a.blocklist);
    add(rollupCode(a.enhancedStatus ?? a.dsn, a.replyCode));
  }
  for (const r of batch.rejects) {
    add(r.host);
    add(r.program);
    add(r.action);
    add(r.recipientDomain);
    add(r.stage);
    add(r.enhancedStatus);
    add(r.cause);
    add(r.provider);
    add(rollupCode(r.enhancedStatus, r.replyCode));
  }
  for (const m of batch.messages ?? []) {
    add(m.host);
    add(m.senderDomain);
  }
  for (const t of batch.tallies ?? []) {
    add(t.host);
    add(t.domain);
  }
  for (const f of batch.facts?.domains ?? []) add(f.domain);
  for (const c of batch.facts?.clients ?? []) add(c.domain);
  out.push(...triageTexts(batch.triage));
  return out;
}

function* batchTimes(batch: Batch): Iterable<number> {
  for (const a of batch.attempts) yield a.ts;
  for (const r of batch.rejects) yield r.ts;
  for (const m of batch.messages ?? []) yield m.firstTs;
  yield* triageTimes(batch.triage);
}

/** Gives the lives new in the batch their ids (from the store's sequence), before anything is written. */
async function numberNewLives(client: pg.ClientBase, batch: Batch): Promise<void> {
  const fresh = (batch.messages ?? []).filter((m) => m.id === 0);
  if (fresh.length === 0) return;
  const { rows } = await client.query<{ id: number }>(
    "SELECT nextval('life_ids') AS id FROM generate_series(1, $1::integer)",
    [fresh.length],
  );
  fresh.forEach((m, i) => {
    m.id = rows[i]!.id;
  });
}

const ATTEMPT_SQL = `INSERT INTO attempts (host, ts, life, life_ts, mta, program, queue_id, recipient, orig_recipient,
    domain, sender, sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn, reply,
    delay, transport, class, cause, provider, blocklist, hard_bounce, class_conflict, message_id, flags)
  SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bigint[], $4::bigint[], $5::smallint[], $6::integer[],
    $7::text[], $8::text[], $9::text[], $10::integer[], $11::text[], $12::integer[], $13::smallint[], $14::integer[],
    $15::text[], $16::integer[], $17::integer[], $18::smallint[], $19::integer[], $20::integer[], $21::bigint[],
    $22::real[], $23::integer[], $24::smallint[], $25::integer[], $26::integer[], $27::integer[], $28::boolean[],
    $29::text[], $30::text[], $31::smallint[])`;

const REJECT_SQL = `INSERT INTO rejects (host, ts, mta, program, queue_id, action, client_host, client_ip, helo, sender,
    recipient, domain, stage, reply_code, enhanced_status, reply, class, cause, provider)
  SELECT * FROM unnest($1::integer[], $2::bigint[], $3::smallint[], $4::integer[], $5::text[], $6::integer[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::integer[], $14::smallint[],
    $15::integer[], $16::bigint[], $17::smallint[], $18::integer[], $19::integer[])`;

const MESSAGE_SQL = `INSERT INTO messages (host, first_ts, id, mta, queue_id, last_ts, sender, sender_domain, size, nrcpt,
    message_id, client_host, client_ip, notification_of, expired_at, closed_at, hop_of)
  SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bigint[], $4::smallint[], $5::text[], $6::bigint[], $7::text[],
    $8::integer[], $9::bigint[], $10::integer[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[],
    $16::bigint[], $17::text[])
  ON CONFLICT (host, first_ts, id) DO UPDATE SET last_ts = excluded.last_ts, sender = excluded.sender,
    sender_domain = excluded.sender_domain, size = excluded.size, nrcpt = excluded.nrcpt,
    message_id = excluded.message_id, client_host = excluded.client_host, client_ip = excluded.client_ip,
    notification_of = excluded.notification_of, expired_at = excluded.expired_at, closed_at = excluded.closed_at,
    hop_of = excluded.hop_of`;

export const rollupSql = (
  table: string,
) => `INSERT INTO ${table} (host, bucket, domain, provider, outcome, class, cause, code, count)
  SELECT * FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::integer[], $5::smallint[], $6::smallint[],
    $7::integer[], $8::integer[], $9::bigint[])
  ON CONFLICT (host, bucket, domain, provider, outcome, class, cause, code)
  DO UPDATE SET count = ${table}.count + excluded.count`;

export const rollupParams = (c: RollupColumns) => [
  c.host,
  c.bucket,
  c.domain,
  c.provider,
  c.outcome,
  c.class,
  c.cause,
  c.code,
  c.count,
];

/** Transposes rows into one array per column. */
function columns<T>(rows: readonly T[], width: number, cells: (row: T) => unknown[]): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => {
    const values = cells(row);
    for (let c = 0; c < width; c++) out[c]![i] = values[c];
  });
  return out;
}

/**
 * Writes a batch: rows, lives, rollups, counters and checkpoint are committed together, or nothing is. New lives
 * get their ids first (kept if the transaction fails, so that the batch can be written again).
 */
export async function writeBatch(client: pg.ClientBase, batch: Batch, ctx: WriteContext, minuteFrom: number) {
  const { dict, replies, partitions } = ctx;
  await dict.learn(client, [ctx.host, ...batchTexts(batch)]);
  await replies.learn(client, [
    ...batch.attempts.map((a) => a.diagnostic),
    ...batch.rejects.map((r) => r.diagnostic),
  ]);
  await partitions.ensure(client, batchTimes(batch));
  await numberNewLives(client, batch);
  const cells = createRollupCells();
  const id = (value: string | null | undefined) => dict.id(value);
  const attempts = columns(batch.attempts, 31, (a) => {
    const life = a.message ?? null;
    const outcome = codeOf(OUTCOME_CODE, a.outcome);
    const cls = codeOf(CLASS_CODE, a.class);
    const code = rollupCode(a.enhancedStatus ?? a.dsn, a.replyCode);
    const flags = a.flags ?? 0;
    // Hops and waits count under their own outcomes; a notification's delivery once more under notice-<outcome>.
    const counted = attemptRollupOutcome(a.outcome, flags);
    const key = (as: string) =>
      [
        dict.key(a.host),
        dict.key(a.recipientDomain),
        dict.key(a.provider),
        codeOf(OUTCOME_CODE, as),
        cls,
        dict.key(a.cause),
        dict.key(code),
      ] as const;
    cells.add(a.ts, key(counted));
    if (flags & ATTEMPT_NOTICE && counted === a.outcome) cells.add(a.ts, key(`notice-${a.outcome}`));
    return [
      dict.key(a.host),
      a.ts,
      life ? life.id : null,
      life ? life.firstTs : null,
      codeOf(MTA_CODE, a.mta),
      dict.key(a.program),
      // A life's fields are stored once, with the life: an attempt keeps them only when its own line differs.
      life && a.queueId === life.queueId ? '' : a.queueId,
      a.recipient,
      a.origRecipient,
      dict.key(a.recipientDomain),
      life && a.sender === life.sender ? null : a.sender,
      life && a.senderDomain === life.senderDomain ? null : id(a.senderDomain),
      outcome,
      id(a.relayHost),
      a.relayIp,
      a.port,
      id(a.stage),
      a.replyCode,
      id(a.enhancedStatus),
      id(a.dsn),
      replies.id(a.diagnostic),
      a.delay,
      id(a.transport),
      cls,
      id(a.cause),
      id(a.provider),
      id(a.blocklist),
      a.hardBounce,
      a.classConflict,
      life && a.messageId === life.messageId ? null : a.messageId,
      flags,
    ];
  });
  const rejects = columns(batch.rejects, 19, (r) => {
    const cls = codeOf(CLASS_CODE, r.class);
    // Rejects count under no provider: our server refused a client, no provider answered.
    cells.add(r.ts, [
      dict.key(r.host),
      dict.key(r.recipientDomain),
      0,
      codeOf(OUTCOME_CODE, 'rejected'),
      cls,
      dict.key(r.cause),
      dict.key(rollupCode(r.enhancedStatus, r.replyCode)),
    ]);
    return [
      dict.key(r.host),
      r.ts,
      codeOf(MTA_CODE, r.mta),
      dict.key(r.program),
      r.queueId,
      dict.key(r.action),
      r.clientHost,
      r.clientIp,
      r.helo,
      r.sender,
      r.recipient,
      id(r.recipientDomain),
      id(r.stage),
      r.replyCode,
      id(r.enhancedStatus),
      replies.id(r.diagnostic),
      cls,
      id(r.cause),
      id(r.provider),
    ];
  });
  for (const t of batch.tallies ?? []) {
    cells.add(t.ts, [dict.key(t.host), dict.key(t.domain), 0, codeOf(OUTCOME_CODE, t.outcome), 0, 0, 0]);
  }
  const messages = columns(batch.messages ?? [], 17, (m) => [
    dict.key(m.host),
    m.firstTs,
    m.id,
    codeOf(MTA_CODE, m.mta),
    m.queueId,
    m.lastTs,
    m.sender,
    id(m.senderDomain),
    m.size,
    m.nrcpt,
    m.messageId,
    m.clientHost,
    m.clientIp,
    m.notificationOf,
    m.expiredAt,
    m.closedAt,
    m.hopOf ?? null,
  ]);
  const rollups = cells.columns(minuteFrom);
  const host = dict.key(ctx.host);
  await client.query('BEGIN');
  try {
    if (batch.attempts.length > 0) await client.query(ATTEMPT_SQL, attempts);
    if (batch.rejects.length > 0) await client.query(REJECT_SQL, rejects);
    if ((batch.messages ?? []).length > 0) await client.query(MESSAGE_SQL, messages);
    if (rollups.minute.count.length > 0)
      await client.query(rollupSql('rollups_minute'), rollupParams(rollups.minute));
    if (rollups.hour.count.length > 0)
      await client.query(rollupSql('rollups_hour'), rollupParams(rollups.hour));
    if (rollups.day.count.length > 0) await client.query(rollupSql('rollups_day'), rollupParams(rollups.day));
    await writeCounters(client, batch, host);
    await writeFacts(client, batch, host, dict);
    await writeTriage(client, batch.triage, host, dict);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function writeCounters(client: pg.ClientBase, batch: Batch, host: number): Promise<void> {
  if (batch.unparsedCounts.size > 0) {
    await client.query(
      `INSERT INTO unparsed_counts (host, program, count) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
       ON CONFLICT (host, program) DO UPDATE SET count = unparsed_counts.count + excluded.count`,
      [host, [...batch.unparsedCounts.keys()], [...batch.unparsedCounts.values()]],
    );
  }
  if (batch.unparsedSamples.length > 0) {
    // One row per shape: the same shape twice in one batch is added up before the upsert.
    const byShape = new Map<string, (typeof batch.unparsedSamples)[number] & { n: number }>();
    for (const s of batch.unparsedSamples) {
      const key = `${s.program}\u0001${s.shape}`;
      const seen = byShape.get(key);
      if (seen) seen.n += s.count ?? 1;
      else byShape.set(key, { ...s, n: s.count ?? 1 });
    }
    const rows = [...byShape.values()];
    await client.query(
      `INSERT INTO unparsed_samples (host, program, shape, reason, line, ts, count)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
       ON CONFLICT (host, program, shape) DO UPDATE SET count = unparsed_samples.count + excluded.count`,
      [
        host,
        rows.map((s) => s.program),
        rows.map((s) => s.shape),
        rows.map((s) => s.reason),
        rows.map((s) => s.line),
        rows.map((s) => s.ts),
        rows.map((s) => s.n),
      ],
    );
  }
  if (batch.lineStats.size > 0) {
    await client.query(
      `INSERT INTO line_stats (host, name, count) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
       ON CONFLICT (host, name) DO UPDATE SET count = line_stats.count + excluded.count`,
      [host, [...batch.lineStats.keys()], [...batch.lineStats.values()]],
    );
  }
  const cp = batch.checkpoint;
  if (cp) {
    if (cp.previousFingerprint && cp.previousFingerprint !== cp.fingerprint) {
      await client.query('DELETE FROM sources WHERE host = $1 AND fingerprint = $2', [host, cp.fingerprint]);
      await client.query('UPDATE sources SET fingerprint = $1 WHERE host = $2 AND fingerprint = $3', [
        cp.fingerprint,
        host,
        cp.previousFingerprint,
      ]);
    }
    await client.query(
      `INSERT INTO sources (host, path, inode, fingerprint, "offset", size, lines, complete, updated_at, cursor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (host, fingerprint) DO UPDATE SET path = excluded.path, inode = excluded.inode,
         "offset" = excluded."offset", size = excluded.size, lines = excluded.lines, complete = excluded.complete,
         updated_at = excluded.updated_at, cursor = excluded.cursor`,
      [
        host,
        cp.path,
        cp.inode,
        cp.fingerprint,
        cp.offset,
        cp.size,
        cp.lines,
        cp.complete,
        Date.now(),
        cp.cursor ?? null,
      ],
    );
  }
}

/** What the batch says about whose domains they are: facts added up, the first day of each client kept. */
async function writeFacts(client: pg.ClientBase, batch: Batch, host: number, dict: Dict): Promise<void> {
  const facts = batch.facts;
  if (!facts) return;
  const byKey = new Map<string, { domain: number; fact: number; day: number; count: number }>();
  for (const f of facts.domains) {
    const domain = dict.key(f.domain);
    const key = `${domain},${f.fact},${f.day}`;
    const seen = byKey.get(key);
    if (seen) seen.count += f.count;
    else byKey.set(key, { domain, fact: f.fact, day: f.day, count: f.count });
  }
  const rows = [...byKey.values()];
  if (rows.length > 0) {
    await client.query(
      `INSERT INTO domain_facts (host, domain, fact, day, count)
       SELECT $1, * FROM unnest($2::integer[], $3::smallint[], $4::bigint[], $5::bigint[])
       ON CONFLICT (host, domain, fact, day) DO UPDATE SET count = domain_facts.count + excluded.count`,
      [
        host,
        rows.map((r) => r.domain),
        rows.map((r) => r.fact),
        rows.map((r) => r.day),
        rows.map((r) => r.count),
      ],
    );
  }
  if (facts.clients.length > 0) {
    await client.query(
      `INSERT INTO client_domains (host, client_ip, domain, day)
       SELECT $1, * FROM unnest($2::text[], $3::integer[], $4::bigint[]) ON CONFLICT DO NOTHING`,
      [
        host,
        facts.clients.map((c) => c.ip),
        facts.clients.map((c) => dict.key(c.domain)),
        facts.clients.map((c) => c.day),
      ],
    );
  }
  if (facts.authenticated.length > 0) {
    await client.query(
      `INSERT INTO authenticated_clients (host, client_ip, day)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[]) ON CONFLICT DO NOTHING`,
      [host, facts.authenticated.map((c) => c.ip), facts.authenticated.map((c) => c.day)],
    );
  }
}
