/** Message lives and per-recipient outcomes: the life rows ingest writes, and what it reads back when it resumes. */

import type { Mta } from '../parsers/types.js';
import type { Db } from './open.js';
import type { FinalOutcome, MessageTableRow, RecipientTableRow } from './table-rows.js';

export type { FinalOutcome };

/** One message life; id 0 until the database assigned one (then it is updated batch after batch). */
export interface MessageRow {
  id: number;
  host: string;
  mta: Mta;
  queueId: string;
  firstTs: number;
  lastTs: number;
  sender: string | null;
  senderDomain: string | null;
  size: number | null;
  nrcpt: number | null;
  messageId: string | null;
  clientHost: string | null;
  clientIp: string | null;
  notificationOf: string | null;
  expiredAt: number | null;
  closedAt: number | null;
}

/** A recipient's outcome in one life, as the `message_recipients` view derives it from the life's attempts. */
export interface MessageRecipientRow {
  messageRowid: number;
  recipient: string;
  finalOutcome: FinalOutcome;
  deferrals: number;
  firstAttemptTs: number | null;
  finalTs: number | null;
  lastCause: string | null;
  lastDiagnostic: string | null;
}

export interface OpenLives {
  messages: MessageRow[];
  recipients: MessageRecipientRow[];
}

export interface MessageStore {
  /** Lives not closed yet, newest first, at most `limit`: correlation picks them up after a restart. */
  openLives(limit: number): OpenLives;
}

/** A `messages` row as `SELECT *` returns it, in the shape ingest and trace use. */
export const messageFromTable = (r: MessageTableRow): MessageRow => ({
  id: r.id,
  host: r.host,
  mta: r.mta,
  queueId: r.queue_id,
  firstTs: r.first_ts,
  lastTs: r.last_ts,
  sender: r.sender,
  senderDomain: r.sender_domain,
  size: r.size,
  nrcpt: r.nrcpt,
  messageId: r.message_id,
  clientHost: r.client_host,
  clientIp: r.client_ip,
  notificationOf: r.notification_of,
  expiredAt: r.expired_at,
  closedAt: r.closed_at,
});

/** A `message_recipients` row as `SELECT *` returns it. */
export const recipientFromTable = (r: RecipientTableRow): MessageRecipientRow => ({
  messageRowid: r.message_rowid,
  recipient: r.recipient,
  finalOutcome: r.final_outcome,
  deferrals: r.deferrals,
  firstAttemptTs: r.first_attempt_ts,
  finalTs: r.final_ts,
  lastCause: r.last_cause,
  lastDiagnostic: r.last_diagnostic,
});

export function createMessageStore(db: Db): MessageStore {
  const open = db.prepare<[number], MessageTableRow>(
    'SELECT * FROM messages WHERE closed_at IS NULL ORDER BY last_ts DESC LIMIT ?',
  );
  const recipients = db.prepare<[number], RecipientTableRow>(
    'SELECT * FROM message_recipients WHERE message_rowid = ?',
  );
  return {
    openLives(limit) {
      const messages = open.all(limit).map(messageFromTable);
      const rcpts: MessageRecipientRow[] = [];
      for (const m of messages) for (const r of recipients.all(m.id)) rcpts.push(recipientFromTable(r));
      return { messages, recipients: rcpts };
    },
  };
}
