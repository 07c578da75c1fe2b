/** The open message lives of one host, with their recipients and deferrals: what its agent resumes with. */

import type pg from 'pg';
import type { Mta, SmtpStage } from '../../../parsers/types.js';
import type { FinalOutcome, OpenLives } from '../../store/open-lives.js';

interface LifeRow {
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

export async function readOpenLives(
  client: pg.ClientBase,
  hostKey: number,
  limit: number,
): Promise<OpenLives> {
  const lives = await client.query<LifeRow>(
    `SELECT * FROM messages_full WHERE host_key = $1 AND closed_at IS NULL ORDER BY last_ts DESC LIMIT $2`,
    [hostKey, limit],
  );
  const ids = lives.rows.map((r) => r.id);
  if (ids.length === 0) return { messages: [], recipients: [], deferrals: [] };
  const recipients = await client.query<{
    message_rowid: number;
    recipient: string;
    final_outcome: FinalOutcome;
    deferrals: number;
    first_attempt_ts: number | null;
    final_ts: number | null;
    last_cause: string | null;
    last_diagnostic: string | null;
  }>('SELECT * FROM message_recipients WHERE message_rowid = ANY($1::bigint[])', [ids]);
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
    messages: lives.rows.map((r) => ({
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
    })),
    recipients: recipients.rows.map((r) => ({
      messageRowid: r.message_rowid,
      recipient: r.recipient,
      finalOutcome: r.final_outcome,
      deferrals: r.deferrals,
      firstAttemptTs: r.first_attempt_ts,
      finalTs: r.final_ts,
      lastCause: r.last_cause,
      lastDiagnostic: r.last_diagnostic,
    })),
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
