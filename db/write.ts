/** The ingest writer: raw rows, rollups, counters and the checkpoint of one batch in one transaction. */

import type { Db } from './open.js';
import type { AttemptRow, Checkpoint, RejectRow, RollupOutcome, UnparsedSample } from './rows.js';

export interface Batch {
  attempts: AttemptRow[];
  rejects: RejectRow[];
  /** Unparsed lines per program (counts) and new samples. */
  unparsedCounts: Map<string, number>;
  unparsedSamples: UnparsedSample[];
  /** Line counters by name (read, delivery, reject, ignored, warning, fatal, ...). */
  lineStats: Map<string, number>;
  /** Checkpoint covering every line of this batch, or null (stdin). */
  checkpoint: Checkpoint | null;
}

export function emptyBatch(): Batch {
  return {
    attempts: [],
    rejects: [],
    unparsedCounts: new Map(),
    unparsedSamples: [],
    lineStats: new Map(),
    checkpoint: null,
  };
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The rollup key of one event: time bucketed later, the rest as stored. */
interface RollupKey {
  ts: number;
  host: string;
  domain: string;
  provider: string;
  outcome: RollupOutcome;
  class: string;
  cause: string;
  code: string;
}

export function rollupCode(enhancedStatus: string | null, replyCode: number | null): string {
  if (enhancedStatus) return enhancedStatus;
  if (replyCode !== null) return String(replyCode);
  return '';
}

export interface BatchWriter {
  write(batch: Batch): void;
}

export function createBatchWriter(db: Db): BatchWriter {
  const insertAttempt = db.prepare(`
    INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, orig_recipient, recipient_domain,
      sender, sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn,
      diagnostic, delay, transport, class, cause, provider, blocklist, hard_bounce, class_conflict, message_id)
    VALUES (@ts, @host, @mta, @program, @queueId, @recipient, @origRecipient, @recipientDomain,
      @sender, @senderDomain, @outcome, @relayHost, @relayIp, @port, @stage, @replyCode, @enhancedStatus, @dsn,
      @diagnostic, @delay, @transport, @class, @cause, @provider, @blocklist, @hardBounce, @classConflict, @messageId)`);
  const insertReject = db.prepare(`
    INSERT INTO rejects (ts, host, mta, program, queue_id, action, client_host, client_ip, helo, sender,
      recipient, recipient_domain, stage, reply_code, enhanced_status, diagnostic, class, cause)
    VALUES (@ts, @host, @mta, @program, @queueId, @action, @clientHost, @clientIp, @helo, @sender,
      @recipient, @recipientDomain, @stage, @replyCode, @enhancedStatus, @diagnostic, @class, @cause)`);
  const rollupSql = (table: string) => `
    INSERT INTO ${table} (bucket, host, domain, provider, outcome, class, cause, code, count)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code)
    DO UPDATE SET count = count + excluded.count`;
  const rollupStatements = [
    { size: MINUTE, stmt: db.prepare(rollupSql('rollups_minute')) },
    { size: HOUR, stmt: db.prepare(rollupSql('rollups_hour')) },
    { size: DAY, stmt: db.prepare(rollupSql('rollups_day')) },
  ];
  const addUnparsedCount = db.prepare(`
    INSERT INTO unparsed_counts (program, count) VALUES (?, ?)
    ON CONFLICT (program) DO UPDATE SET count = count + excluded.count`);
  const addUnparsedSample = db.prepare(`
    INSERT INTO unparsed_samples (program, shape, reason, line, ts) VALUES (@program, @shape, @reason, @line, @ts)
    ON CONFLICT (program, shape) DO UPDATE SET count = count + 1`);
  const addLineStat = db.prepare(`
    INSERT INTO line_stats (name, count) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET count = count + excluded.count`);
  const saveCheckpoint = db.prepare(`
    INSERT INTO sources (path, inode, fingerprint, offset, size, lines, complete, updated_at)
    VALUES (@path, @inode, @fingerprint, @offset, @size, @lines, @complete, @updatedAt)
    ON CONFLICT (fingerprint) DO UPDATE SET path = excluded.path, inode = excluded.inode,
      offset = excluded.offset, size = excluded.size, lines = excluded.lines,
      complete = excluded.complete, updated_at = excluded.updated_at`);

  const write = db.transaction((batch: Batch) => {
    // Aggregate rollup increments in memory first: one upsert per distinct key and bucket, not per event.
    const counts = new Map<string, number>();
    const add = (k: RollupKey) => {
      for (let i = 0; i < rollupStatements.length; i++) {
        const size = rollupStatements[i]!.size;
        const bucket = k.ts - (k.ts % size);
        const key = `${i}\u0000${bucket}\u0000${k.host}\u0000${k.domain}\u0000${k.provider}\u0000${k.outcome}\u0000${k.class}\u0000${k.cause}\u0000${k.code}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    };
    for (const a of batch.attempts) {
      insertAttempt.run({ ...a, hardBounce: a.hardBounce ? 1 : 0 });
      add({
        ts: a.ts,
        host: a.host,
        domain: a.recipientDomain,
        provider: a.provider ?? '',
        outcome: a.outcome,
        class: a.class,
        cause: a.cause ?? '',
        code: rollupCode(a.enhancedStatus ?? a.dsn, a.replyCode),
      });
    }
    for (const r of batch.rejects) {
      insertReject.run(r);
      add({
        ts: r.ts,
        host: r.host,
        domain: r.recipientDomain ?? '',
        provider: r.provider ?? '',
        outcome: 'rejected',
        class: r.class,
        cause: r.cause ?? '',
        code: rollupCode(r.enhancedStatus, r.replyCode),
      });
    }
    for (const [key, count] of counts) {
      const [i, bucket, host, domain, provider, outcome, cls, cause, code] = key.split('\u0000');
      rollupStatements[Number(i)]!.stmt.run(
        Number(bucket),
        host,
        domain,
        provider,
        outcome,
        cls,
        cause,
        code,
        count,
      );
    }
    for (const [program, count] of batch.unparsedCounts) addUnparsedCount.run(program, count);
    for (const s of batch.unparsedSamples) addUnparsedSample.run(s);
    for (const [name, count] of batch.lineStats) addLineStat.run(name, count);
    if (batch.checkpoint) {
      saveCheckpoint.run({
        ...batch.checkpoint,
        complete: batch.checkpoint.complete ? 1 : 0,
        updatedAt: Date.now(),
      });
    }
  });

  return { write: (batch) => write(batch) };
}
