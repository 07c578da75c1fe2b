/** Raw (snake_case) rows of the message tables as `SELECT *` returns them; camelCase types stay in db/rows.ts. */

import type { Mta } from '../parsers/types.js';

export type FinalOutcome = 'delivered' | 'bounced' | 'expired' | 'pending';

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
