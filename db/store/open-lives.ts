/** What ingest reads back when it resumes: the message lives still open, their recipients and deferrals. */

import type { Mta, SmtpStage } from '../../parsers/types.js';
import type { MessageRow } from './stored-rows.js';

/** A recipient's final outcome as the store derives it from the life's attempts. */
export type FinalOutcome = 'delivered' | 'bounced' | 'expired' | 'pending';

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

/** What a deferral said: an expiry, or an Exim retry wait, is classified and reported by a recipient's last one. */
export interface DeferralReply {
  replyCode: number | null;
  enhancedStatus: string | null;
  dsn: string | null;
  stage: SmtpStage | null;
  relayHost: string | null;
  relayIp: string | null;
  port: number | null;
  diagnostic: string;
}

/** A deferral stored for a recipient of an open life: what correlation goes by again after a restart. */
export interface StoredDeferral extends DeferralReply {
  messageRowid: number;
  recipient: string;
  mta: Mta;
}

export interface OpenLives {
  messages: MessageRow[];
  recipients: MessageRecipientRow[];
  /** The deferrals of those lives' recipients, oldest first. */
  deferrals: StoredDeferral[];
}
