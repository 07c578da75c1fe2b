/** The open message lives of one host, with their recipients and deferrals: what its agent resumes with. */

import type pg from 'pg';
import type { Mta, SmtpStage } from '../../../parsers/types.js';
import type { OpenLives } from '../../store/open-lives.js';
import {
  messageFromTable,
  recipientFromTable,
  type MessageTableRow,
  type RecipientTableRow,
} from '../../sqlite/message-table-rows.js';

export async function readOpenLives(
  client: pg.ClientBase,
  hostKey: number,
  limit: number,
): Promise<OpenLives> {
  const lives = await client.query<MessageTableRow>(
    `SELECT * FROM messages_full WHERE host_key = $1 AND closed_at IS NULL ORDER BY last_ts DESC LIMIT $2`,
    [hostKey, limit],
  );
  const ids = lives.rows.map((r) => r.id);
  if (ids.length === 0) return { messages: [], recipients: [], deferrals: [] };
  const recipients = await client.query<RecipientTableRow>(
    'SELECT * FROM message_recipients WHERE message_rowid = ANY($1::bigint[])',
    [ids],
  );
  const deferrals = await client.query<{
    message_rowid: number;
    recipient: string;
    mta: Mta;
    reply_code: number | null;
    enhanced_status: string | null;
    dsn: string | null;
    stage: SmtpStage | null;
    relay_host: string | null;
    relay_ip: string | null;
    port: number | null;
    diagnostic: string;
  }>(
    `SELECT message_rowid, recipient, mta, reply_code, enhanced_status, dsn, stage, relay_host, relay_ip, port,
            diagnostic
       FROM attempts_full WHERE message_rowid = ANY($1::bigint[]) AND outcome = 'deferred' ORDER BY id`,
    [ids],
  );
  return {
    messages: lives.rows.map(messageFromTable),
    recipients: recipients.rows.map(recipientFromTable),
    deferrals: deferrals.rows.map((d) => ({
      messageRowid: d.message_rowid,
      recipient: d.recipient,
      mta: d.mta,
      replyCode: d.reply_code,
      enhancedStatus: d.enhanced_status,
      dsn: d.dsn,
      stage: d.stage,
      relayHost: d.relay_host,
      relayIp: d.relay_ip,
      port: d.port,
      diagnostic: d.diagnostic,
    })),
  };
}
