/** Raw (snake_case) rows of the message tables as `SELECT *` returns them, and their camelCase shapes. */

import type { Mta } from '../../parsers/types.js';
import type { FinalOutcome, MessageRecipientRow } from '../store/open-lives.js';
import type { MessageRow } from '../store/stored-rows.js';

export interface MessageTableRow {
  id: number;
  host: string;
  mta: Mta;
  queue_id: string;
  first_ts: number;
  last_ts: number;
  sender: string | null;
  sender_domain: string | null;
  size: number | null;
  nrcpt: number | null;
  message_id: string | null;
  client_host: string | null;
  client_ip: string | null;
  notification_of: string | null;
  hop_of: string | null;
  expired_at: number | null;
  closed_at: number | null;
}

export interface RecipientTableRow {
  message_rowid: number;
  recipient: string;
  final_outcome: FinalOutcome;
  deferrals: number;
  first_attempt_ts: number | null;
  final_ts: number | null;
  last_cause: string | null;
  last_diagnostic: string | null;
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
  hopOf: r.hop_of,
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
