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

type Value = string | number | null;

/** Rows bound per statement: one call and one step per 32 rows instead of per row (a quarter less CPU per row). */
const ROWS_PER_STATEMENT = 32;

/** An insert fed row by row and run ROWS_PER_STATEMENT rows at a time; `end` writes what is left. */
interface MultiRowInsert<T> {
  add(row: T): void;
  end(): void;
  /** Forgets rows added but not written (a batch whose transaction failed is retried whole). */
  reset(): void;
}

/**
 * `head` is the statement up to VALUES, `tail` what follows the rows (an ON CONFLICT clause, or ''); `fill`
 * writes the `width` values of one row into `buf` from offset `o`. Rows run in the order they were added.
 */
function multiRowInsert<T>(
  db: Db,
  head: string,
  tail: string,
  width: number,
  fill: (buf: Value[], o: number, row: T) => void,
): MultiRowInsert<T> {
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  const many = db.prepare(
    `${head} VALUES ${new Array<string>(ROWS_PER_STATEMENT).fill(tuple).join(', ')} ${tail}`,
  );
  const one = db.prepare(`${head} VALUES ${tuple} ${tail}`);
  const buf = new Array<Value>(width * ROWS_PER_STATEMENT).fill(null);
  const single = new Array<Value>(width).fill(null);
  let rows = 0;
  return {
    add(row) {
      fill(buf, rows * width, row);
      if (++rows === ROWS_PER_STATEMENT) {
        many.run(buf);
        rows = 0;
      }
    },
    end() {
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < width; i++) single[i] = buf[r * width + i]!;
        one.run(single);
      }
      rows = 0;
    },
    reset() {
      rows = 0;
    },
  };
}

export function createBatchWriter(db: Db): BatchWriter {
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const insertAttempt = multiRowInsert<AttemptRow>(
    db,
    `INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, orig_recipient, recipient_domain,
      sender, sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn,
      diagnostic, delay, transport, class, cause, provider, blocklist, hard_bounce, class_conflict, message_id)`,
    '',
    28,
    (b, o, a) => {
      b[o] = a.ts;
      b[o + 1] = a.host;
      b[o + 2] = a.mta;
      b[o + 3] = a.program;
      b[o + 4] = a.queueId;
      b[o + 5] = a.recipient;
      b[o + 6] = a.origRecipient;
      b[o + 7] = a.recipientDomain;
      b[o + 8] = a.sender;
      b[o + 9] = a.senderDomain;
      b[o + 10] = a.outcome;
      b[o + 11] = a.relayHost;
      b[o + 12] = a.relayIp;
      b[o + 13] = a.port;
      b[o + 14] = a.stage;
      b[o + 15] = a.replyCode;
      b[o + 16] = a.enhancedStatus;
      b[o + 17] = a.dsn;
      b[o + 18] = a.diagnostic;
      b[o + 19] = a.delay;
      b[o + 20] = a.transport;
      b[o + 21] = a.class;
      b[o + 22] = a.cause;
      b[o + 23] = a.provider;
      b[o + 24] = a.blocklist;
      b[o + 25] = a.hardBounce ? 1 : 0;
      b[o + 26] = a.classConflict;
      b[o + 27] = a.messageId;
    },
  );
  const insertReject = multiRowInsert<RejectRow>(
    db,
    `INSERT INTO rejects (ts, host, mta, program, queue_id, action, client_host, client_ip, helo, sender,
      recipient, recipient_domain, stage, reply_code, enhanced_status, diagnostic, class, cause)`,
    '',
    18,
    (b, o, r) => {
      b[o] = r.ts;
      b[o + 1] = r.host;
      b[o + 2] = r.mta;
      b[o + 3] = r.program;
      b[o + 4] = r.queueId;
      b[o + 5] = r.action;
      b[o + 6] = r.clientHost;
      b[o + 7] = r.clientIp;
      b[o + 8] = r.helo;
      b[o + 9] = r.sender;
      b[o + 10] = r.recipient;
      b[o + 11] = r.recipientDomain;
      b[o + 12] = r.stage;
      b[o + 13] = r.replyCode;
      b[o + 14] = r.enhancedStatus;
      b[o + 15] = r.diagnostic;
      b[o + 16] = r.class;
      b[o + 17] = r.cause;
    },
  );
  const fillCell = (b: Value[], o: number, c: Cell) => {
    b[o] = c.bucket;
    b[o + 1] = c.host;
    b[o + 2] = c.domain;
    b[o + 3] = c.provider;
    b[o + 4] = c.outcome;
    b[o + 5] = c.cls;
    b[o + 6] = c.cause;
    b[o + 7] = c.code;
    b[o + 8] = c.count;
  };
  const rollupInsert = (table: string) =>
    multiRowInsert<Cell>(
      db,
      `INSERT INTO ${table} (bucket, host, domain, provider, outcome, class, cause, code, count)`,
      `ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code)
       DO UPDATE SET count = count + excluded.count`,
      9,
      fillCell,
    );
  const rollupMinute = rollupInsert('rollups_minute');
  const rollupHour = rollupInsert('rollups_hour');
  const rollupDay = rollupInsert('rollups_day');
  // Lives are numbered here (after the largest id, as SQLite would) so they can be upserted 32 at a time: a
  // new life is inserted, a known one updated (or inserted again with its id if retention pruned it meanwhile).
  const lastMessageId = db.prepare<[], number | null>('SELECT MAX(id) FROM messages').pluck();
  const upsertMessage = multiRowInsert<MessageRow>(
    db,
    `INSERT INTO messages (id, host, mta, queue_id, first_ts, last_ts, sender, sender_domain, size, nrcpt,
      message_id, client_host, client_ip, notification_of, expired_at, closed_at)`,
    `ON CONFLICT (id) DO UPDATE SET last_ts = excluded.last_ts, sender = excluded.sender,
      sender_domain = excluded.sender_domain, size = excluded.size, nrcpt = excluded.nrcpt,
      message_id = excluded.message_id, client_host = excluded.client_host, client_ip = excluded.client_ip,
      notification_of = excluded.notification_of, expired_at = excluded.expired_at, closed_at = excluded.closed_at`,
    16,
    (b, o, m) => {
      b[o] = m.id;
      b[o + 1] = m.host;
      b[o + 2] = m.mta;
      b[o + 3] = m.queueId;
      b[o + 4] = m.firstTs;
      b[o + 5] = m.lastTs;
      b[o + 6] = m.sender;
      b[o + 7] = m.senderDomain;
      b[o + 8] = m.size;
      b[o + 9] = m.nrcpt;
      b[o + 10] = m.messageId;
      b[o + 11] = m.clientHost;
      b[o + 12] = m.clientIp;
      b[o + 13] = m.notificationOf;
      b[o + 14] = m.expiredAt;
      b[o + 15] = m.closedAt;
    },
  );
  const upsertRecipient = multiRowInsert<MessageRecipientRow>(
    db,
    `INSERT INTO message_recipients (message_rowid, recipient, final_outcome, deferrals, first_attempt_ts,
      final_ts, last_cause, last_diagnostic)`,
    `ON CONFLICT (message_rowid, recipient) DO UPDATE SET final_outcome = excluded.final_outcome,
      deferrals = excluded.deferrals, first_attempt_ts = excluded.first_attempt_ts, final_ts = excluded.final_ts,
      last_cause = excluded.last_cause, last_diagnostic = excluded.last_diagnostic`,
    8,
    (b, o, r) => {
      b[o] = r.messageRowid;
      b[o + 1] = r.recipient;
      b[o + 2] = r.finalOutcome;
      b[o + 3] = r.deferrals;
      b[o + 4] = r.firstAttemptTs;
      b[o + 5] = r.finalTs;
      b[o + 6] = r.lastCause;
      b[o + 7] = r.lastDiagnostic;
    },
  );
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
    for (const c of cells.values()) rollupMinute.add(c);
    rollupMinute.end();
    const hours = foldCells(cells.values(), HOUR_MS);
    for (const c of hours.values()) rollupHour.add(c);
    rollupHour.end();
    for (const c of foldCells(hours.values(), DAY_MS).values()) rollupDay.add(c);
    rollupDay.end();
  };

  const sinks = [
    insertAttempt,
    insertReject,
    rollupMinute,
    rollupHour,
    rollupDay,
    upsertMessage,
    upsertRecipient,
  ];
  const write = db.transaction((batch: Batch) => {
    for (const sink of sinks) sink.reset();
    const cells = new Map<string, Cell>();
    for (const a of batch.attempts) {
      insertAttempt.add(a);
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
    insertAttempt.end();
    for (const r of batch.rejects) {
      insertReject.add(r);
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
    insertReject.end();
    if (cells.size > 0) writeRollups(cells);
    const messages = batch.messages ?? [];
    if (messages.length > 0) {
      let lastId = lastMessageId.get() ?? 0;
      for (const m of messages) {
        if (m.id === 0) m.id = ++lastId;
        upsertMessage.add(m);
      }
      upsertMessage.end();
    }
    for (const r of batch.recipients ?? []) upsertRecipient.add(r);
    for (const { message, row } of batch.recipientsOf ?? []) {
      row.messageRowid = message.id;
      upsertRecipient.add(row);
    }
    upsertRecipient.end();
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

  // IMMEDIATE: the write lock from the start, so the largest message id read first stays the largest.
  return { write: (batch) => write.immediate(batch) };
}
