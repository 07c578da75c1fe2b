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
  'local-disk',
  'local-dns',
  'local-config',
  'local-filter',
] as const;

export type Cause = (typeof CAUSES)[number];

/** The causes of failures this server caused itself. */
export const LOCAL_CAUSES = ['local-disk', 'local-dns', 'local-config', 'local-filter'] as const;
export type LocalCause = (typeof LOCAL_CAUSES)[number];

/** Why this server refused someone else's mail (inbound rejects), in the receiver's terms. */
export const INBOUND_CAUSES = [
  'client-blocklisted',
  'client-reverse-dns',
  'sender-refused',
  'recipient-unknown-here',
  'relay-attempt',
  'greylisting',
  'protocol',
  'content',
  'policy-here',
  'rate-here',
  'other-inbound',
] as const;
export type InboundCause = (typeof INBOUND_CAUSES)[number];

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
  /** Null only for a text with no code, no outcome and no known meaning. */
  class: FailureClass | null;
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
  /** How the class and the cause were decided, in one or two sentences. */
  reason: string;
  /**
   * Set when the codes, the outcome or the text disagree (about the class, or the text about the
   * cause a specific code means): then it holds the same sentence as `reason`, decision included.
   */
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
  /** How large providers use the same code, from the provider catalogue, with the page it comes from. */
  providerNotes: {
    provider: string;
    label: string;
    meaning: string;
    action: string;
    cause: Cause | null;
    source: string;
  }[];
}
