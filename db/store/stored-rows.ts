/** The rows ingest stores (camelCase), as they cross the store's interface in both directions. */

import type { FailureClass } from '../../classify/types.js';
import type { Mta, Outcome } from '../../parsers/types.js';

/** One message life; id 0 until the store assigned one (then it is updated batch after batch). */
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

export interface AttemptRow {
  ts: number;
  host: string;
  mta: Mta;
  program: string;
  queueId: string;
  recipient: string;
  origRecipient: string | null;
  recipientDomain: string;
  sender: string | null;
  senderDomain: string | null;
  outcome: Outcome;
  relayHost: string | null;
  relayIp: string | null;
  port: number | null;
  stage: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  dsn: string | null;
  diagnostic: string;
  delay: number | null;
  transport: string | null;
  class: FailureClass;
  cause: string | null;
  provider: string | null;
  blocklist: string | null;
  hardBounce: boolean;
  classConflict: string | null;
  messageId: string | null;
  /** The message life this attempt belongs to (its id may still be 0 when the life is new in the same batch). */
  message?: MessageRow | null;
}

export interface RejectRow {
  ts: number;
  host: string;
  mta: Mta;
  program: string;
  queueId: string | null;
  action: string;
  clientHost: string | null;
  clientIp: string | null;
  helo: string | null;
  sender: string | null;
  recipient: string | null;
  recipientDomain: string | null;
  stage: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  diagnostic: string;
  class: FailureClass;
  cause: string | null;
  provider: string | null;
}

/** Outcome names used in rollups: the four attempt outcomes plus rejects. */
export type RollupOutcome = Outcome | 'rejected';

export interface UnparsedSample {
  program: string;
  shape: string;
  reason: string;
  line: string;
  ts: number | null;
}

/** The code a row counts under in the rollups: its enhanced status, else its reply code, else ''. */
export function rollupCode(enhancedStatus: string | null, replyCode: number | null): string {
  if (enhancedStatus) return enhancedStatus;
  if (replyCode !== null) return String(replyCode);
  return '';
}
