/** The classifier's contract: what it reads about one reply and what it answers. */

import type { Outcome, SmtpStage } from '../parsers/types.js';

export type FailureClass = 'success' | 'temporary' | 'permanent';

/** The fixed cause ids of the design's taxonomy. */
export const CAUSES = [
  'recipient-unknown',
  'domain-invalid',
  'mailbox-full',
  'mailbox-disabled',
  'recipient-filtered',
  'sender-rejected',
  'reputation-blocklist',
  'reverse-dns',
  'authentication',
  'spam-content',
  'message-format',
  'message-too-large',
  'policy',
  'auth-required',
  'relay-denied',
  'rate-limited',
  'greylisted',
  'tls',
  'network',
  'remote-error',
  'expired',
  'unclassified',
] as const;

export type Cause = (typeof CAUSES)[number];

export interface ClassifyInput {
  replyCode?: number | null;
  enhancedStatus?: string | null;
  /** Postfix dsn= (used when the text carries no enhanced status). */
  dsn?: string | null;
  diagnostic?: string | null;
  stage?: SmtpStage | null;
  /** Host name of the server that answered (relay=), to recognise the provider. */
  remoteHost?: string | null;
  outcome?: Outcome | null;
  /** Recipient domain, a fallback hint for the provider. */
  recipientDomain?: string | null;
  /**
   * Which way the mail went: 'outbound' (default) for our delivery attempts, 'inbound' for our own
   * server's rejects of remote clients. Inbound answers speak as the receiver and name no provider.
   */
  direction?: 'outbound' | 'inbound' | null;
}

export interface Classification {
  class: FailureClass;
  cause: Cause | null; // null for success
  /** The address is dead: recipient-unknown, or domain-invalid when permanent. */
  hardBounce: boolean;
  /** A concrete next step for the admin. */
  action: string;
  replyCode: number | null;
  enhancedStatus: string | null;
  /** Receiving organisation id (google, microsoft, yahoo, ...) or null. */
  provider: string | null;
  /** Blocklist named in the text (zen.spamhaus.org, ...), or null. */
  blocklist: string | null;
  /** Set when the enhanced status, the basic code and/or the outcome disagree about the class. */
  conflict: string | null;
}

/** What `explain` answers for a basic code, an enhanced status, or both together. */
export interface Explanation {
  /** The code as understood: "550", "5.7.26", "X.7.26", "550 5.7.1", or a provider code such as "S3150". */
  code: string;
  kind: 'basic' | 'enhanced' | 'combined' | 'provider';
  /** Null for an "X." form, whose class is not given. */
  class: FailureClass | null;
  /** Registry or standard title. */
  title: string;
  meaning: string;
  /** What to do, most specific first. */
  actions: string[];
  /** Causes this code usually means, most likely first. */
  causes: Cause[];
  /** Class and subject notes (first-digit rule, subject area). */
  notes: string[];
  /** Where the definition comes from (RFC 5321, RFC 3463, customary ...). */
  source: string;
  /** Provider-specific meanings of the same code, when one is known. */
  providerNotes: { provider: string; label: string; meaning: string; action: string }[];
}
