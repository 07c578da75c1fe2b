/** The ingest writer: raw rows, rollups, message lives, counters and the checkpoint of one batch in one transaction. */

import type { SourceCheckpoint } from './checkpoints.js';
import type { DirtyRecipient, MessageRecipientRow, MessageRow } from './messages.js';
import { addCell, DAY_MS, foldCells, HOUR_MS, type Cell } from './rollup-cells.js';
import type { Db } from './open.js';
import type { AttemptRow, RejectRow, UnparsedSample } from './rows.js';

/** An unparsed sample with the number of lines of its shape seen in this batch (default 1). */
export interface CountedSample extends UnparsedSample {
  count?: number;
}

export interface Batch {
  attempts: AttemptRow[];
  rejects: RejectRow[];
  /** Unparsed lines per program (counts) and new samples. */
  unparsedCounts: Map<string, number>;
  unparsedSamples: CountedSample[];
  /** Line counters by name (read, delivery, reject, ignored, warning, fatal, ...). */
  lineStats: Map<string, number>;
  /** Checkpoint covering every line of this batch, or null (stdin). */
  checkpoint: SourceCheckpoint | null;
  /**
   * Message lives created or changed by this batch: id 0 means new (the database picks the id and it is set on
   * the row); any other id is updated, or inserted with that id.
   */
  messages?: MessageRow[];
  /** Recipient outcomes with their message id (upserted by message and recipient). */
  recipients?: MessageRecipientRow[];
  /** Recipient outcomes whose message may get its id in this same batch (what ingest writes). */
  recipientsOf?: DirtyRecipient[];
}

export function emptyBatch(): Batch {
  return {
    attempts: [],
    rejects: [],
    unparsedCounts: new Map(),
    unparsedSamples: [],
    lineStats: new Map(),
    checkpoint: null,
    messages: [],
    recipients: [],
    recipientsOf: [],
  };
}

export function rollupCode(enhancedStatus: string | null, replyCode: number | null): string {
  if (enhancedStatus) return enhancedStatus;
  if (replyCode !== null) return String(replyCode);
  return '';
}

export interface BatchWriter {
  write(batch: Batch): void;
}

/** Page cache of the writer connection: the rollup and index pages a batch touches stay in memory. */
const WRITER_CACHE_KIB = 16 * 1024;

export function createBatchWriter(db: Db): BatchWriter {
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const insertAttempt = db.prepare(`
    INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, orig_recipient, recipient_domain,
      sender, sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn,
      diagnostic, delay, transport, class, cause, provider, blocklist, hard_bounce, class_conflict, message_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertReject = db.prepare(`
    INSERT INTO rejects (ts, host, mta, program, queue_id, action, client_host, client_ip, helo, sender,
      recipient, recipient_domain, stage, reply_code, enhanced_status, diagnostic, class, cause)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const rollupSql = (table: string) => `
    INSERT INTO ${table} (bucket, host, domain, provider, outcome, class, cause, code, count)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code)
    DO UPDATE SET count = count + excluded.count`;
  const rollupMinute = db.prepare(rollupSql('rollups_minute'));
  const rollupHour = db.prepare(rollupSql('rollups_hour'));
  const rollupDay = db.prepare(rollupSql('rollups_day'));
  const insertMessage = db.prepare(`
    INSERT INTO messages (id, host, mta, queue_id, first_ts, last_ts, sender, sender_domain, size, nrcpt,
      message_id, client_host, client_ip, notification_of, expired_at, closed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateMessage = db.prepare(`
    UPDATE messages SET last_ts = ?, sender = ?, sender_domain = ?, size = ?, nrcpt = ?, message_id = ?,
      client_host = ?, client_ip = ?, notification_of = ?, expired_at = ?, closed_at = ?
    WHERE id = ?`);
  const upsertRecipient = db.prepare(`
    INSERT INTO message_recipients (message_rowid, recipient, final_outcome, deferrals, first_attempt_ts,
      final_ts, last_cause, last_diagnostic)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (message_rowid, recipient) DO UPDATE SET final_outcome = excluded.final_outcome,
      deferrals = excluded.deferrals, first_attempt_ts = excluded.first_attempt_ts, final_ts = excluded.final_ts,
      last_cause = excluded.last_cause, last_diagnostic = excluded.last_diagnostic`);
  const addUnparsedCount = db.prepare(`
    INSERT INTO unparsed_counts (program, count) VALUES (?, ?)
    ON CONFLICT (program) DO UPDATE SET count = count + excluded.count`);
  const addUnparsedSample = db.prepare(`
    INSERT INTO unparsed_samples (program, shape, reason, line, ts, count) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (program, shape) DO UPDATE SET count = count + excluded.count`);
  const addLineStat = db.prepare(`
    INSERT INTO line_stats (name, count) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET count = count + excluded.count`);
  const renameFingerprint = db.prepare('UPDATE OR REPLACE sources SET fingerprint = ? WHERE fingerprint = ?');
  const saveCheckpoint = db.prepare(`
    INSERT INTO sources (path, inode, fingerprint, offset, size, lines, complete, updated_at, cursor)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (fingerprint) DO UPDATE SET path = excluded.path, inode = excluded.inode,
      offset = excluded.offset, size = excluded.size, lines = excluded.lines,
      complete = excluded.complete, updated_at = excluded.updated_at, cursor = excluded.cursor`);

  const writeRollups = (cells: Map<string, Cell>) => {
    for (const c of cells.values()) {
      rollupMinute.run(c.bucket, c.host, c.domain, c.provider, c.outcome, c.cls, c.cause, c.code, c.count);
    }
    const hours = foldCells(cells.values(), HOUR_MS);
    for (const c of hours.values()) {
      rollupHour.run(c.bucket, c.host, c.domain, c.provider, c.outcome, c.cls, c.cause, c.code, c.count);
    }
    for (const c of foldCells(hours.values(), DAY_MS).values()) {
      rollupDay.run(c.bucket, c.host, c.domain, c.provider, c.outcome, c.cls, c.cause, c.code, c.count);
    }
  };

  const write = db.transaction((batch: Batch) => {
    const cells = new Map<string, Cell>();
    for (const a of batch.attempts) {
      insertAttempt.run(
        a.ts,
        a.host,
        a.mta,
        a.program,
        a.queueId,
        a.recipient,
        a.origRecipient,
        a.recipientDomain,
        a.sender,
        a.senderDomain,
        a.outcome,
        a.relayHost,
        a.relayIp,
        a.port,
        a.stage,
        a.replyCode,
        a.enhancedStatus,
        a.dsn,
        a.diagnostic,
        a.delay,
        a.transport,
        a.class,
        a.cause,
        a.provider,
        a.blocklist,
        a.hardBounce ? 1 : 0,
        a.classConflict,
        a.messageId,
      );
      addCell(
        cells,
        a.ts,
        a.host,
        a.recipientDomain,
        a.provider ?? '',
        a.outcome,
        a.class,
        a.cause ?? '',
        rollupCode(a.enhancedStatus ?? a.dsn, a.replyCode),
      );
    }
    for (const r of batch.rejects) {
      insertReject.run(
        r.ts,
        r.host,
        r.mta,
        r.program,
        r.queueId,
        r.action,
        r.clientHost,
        r.clientIp,
        r.helo,
        r.sender,
        r.recipient,
        r.recipientDomain,
        r.stage,
        r.replyCode,
        r.enhancedStatus,
        r.diagnostic,
        r.class,
        r.cause,
      );
      addCell(
        cells,
        r.ts,
        r.host,
        r.recipientDomain ?? '',
        r.provider ?? '',
        'rejected',
        r.class,
        r.cause ?? '',
        rollupCode(r.enhancedStatus, r.replyCode),
      );
    }
    if (cells.size > 0) writeRollups(cells);
    for (const m of batch.messages ?? []) {
      const updated =
        m.id !== 0 &&
        updateMessage.run(
          m.lastTs,
          m.sender,
          m.senderDomain,
          m.size,
          m.nrcpt,
          m.messageId,
          m.clientHost,
          m.clientIp,
          m.notificationOf,
          m.expiredAt,
          m.closedAt,
          m.id,
        ).changes > 0;
      if (!updated) {
        // New (id 0: the database numbers it), or pruned by retention meanwhile: insert.
        const info = insertMessage.run(
          m.id === 0 ? null : m.id,
          m.host,
          m.mta,
          m.queueId,
          m.firstTs,
          m.lastTs,
          m.sender,
          m.senderDomain,
          m.size,
          m.nrcpt,
          m.messageId,
          m.clientHost,
          m.clientIp,
          m.notificationOf,
          m.expiredAt,
          m.closedAt,
        );
        m.id = Number(info.lastInsertRowid);
      }
    }
    const upsert = (r: MessageRecipientRow) =>
      upsertRecipient.run(
        r.messageRowid,
        r.recipient,
        r.finalOutcome,
        r.deferrals,
        r.firstAttemptTs,
        r.finalTs,
        r.lastCause,
        r.lastDiagnostic,
      );
    for (const r of batch.recipients ?? []) upsert(r);
    for (const { message, row } of batch.recipientsOf ?? []) {
      row.messageRowid = message.id;
      upsert(row);
    }
    for (const [program, count] of batch.unparsedCounts) addUnparsedCount.run(program, count);
    for (const s of batch.unparsedSamples) {
      addUnparsedSample.run(s.program, s.shape, s.reason, s.line, s.ts, s.count ?? 1);
    }
    for (const [name, count] of batch.lineStats) addLineStat.run(name, count);
    const cp = batch.checkpoint;
    if (cp) {
      if (cp.previousFingerprint && cp.previousFingerprint !== cp.fingerprint) {
        renameFingerprint.run(cp.fingerprint, cp.previousFingerprint);
      }
      saveCheckpoint.run(
        cp.path,
        cp.inode,
        cp.fingerprint,
        cp.offset,
        cp.size,
        cp.lines,
        cp.complete ? 1 : 0,
        Date.now(),
        cp.cursor ?? null,
      );
    }
  });

  return { write: (batch) => write(batch) };
}
