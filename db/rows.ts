/** Row shapes (camelCase) that cross the db/ boundary. */

import type { FailureClass } from '../classify/types.js';
import type { Mta, Outcome } from '../parsers/types.js';
import type { MessageRow } from './messages.js';

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

export interface Checkpoint {
  path: string;
  inode: number | null;
  fingerprint: string;
  offset: number;
  size: number | null;
  lines: number;
  complete: boolean;
}
