/** Inbound rejects in the receiver's terms: the design's inbound cause ids, with receiving-side actions. */

import {
  CAUSE_INFO,
  INBOUND_CAUSE_INFO,
  INBOUND_CAUSES,
  LOCAL_CAUSES,
  type InboundCause,
  type LocalCause,
} from '../../classify/index.js';

/**
 * Rejects stored before ingest classified them as inbound carry an outbound cause id: each is read as the
 * inbound cause it stands for, so no reject is ever shown with a sender-side action.
 */
const FROM_OUTBOUND: Readonly<Record<string, InboundCause>> = {
  'reputation-blocklist': 'client-blocklisted',
  'reverse-dns': 'client-reverse-dns',
  'sender-rejected': 'sender-refused',
  'recipient-unknown': 'recipient-unknown-here',
  'mailbox-disabled': 'recipient-unknown-here',
  'relay-denied': 'relay-attempt',
  'auth-required': 'relay-attempt',
  greylisted: 'greylisting',
  'spam-content': 'content',
  'message-format': 'content',
  'recipient-filtered': 'content',
  'message-too-large': 'policy-here',
  authentication: 'policy-here',
  policy: 'policy-here',
  'rate-limited': 'rate-here',
  network: 'protocol',
  tls: 'protocol',
};

const isInboundCause = (id: string): id is InboundCause => (INBOUND_CAUSES as readonly string[]).includes(id);
const isLocalCause = (id: string): id is LocalCause => (LOCAL_CAUSES as readonly string[]).includes(id);

/** The inbound cause a stored reject's cause id stands for; a refusal our own fault caused keeps its local cause. */
function inboundCauseOf(stored: string): InboundCause | LocalCause {
  if (isInboundCause(stored) || isLocalCause(stored)) return stored;
  return FROM_OUTBOUND[stored] ?? 'other-inbound';
}

function infoOf(cause: InboundCause | LocalCause): { title: string; meaning: string; action: string } {
  if (!isLocalCause(cause)) return INBOUND_CAUSE_INFO[cause];
  const info = CAUSE_INFO[cause];
  return { title: info.title, meaning: info.meaning, action: info.inboundAction };
}

export interface InboundCauseStat {
  cause: InboundCause | LocalCause;
  title: string;
  meaning: string;
  action: string;
  count: number;
}

/** Reject counts by stored cause id, folded into the inbound causes, largest first. */
export function inboundCauses(byStoredCause: ReadonlyMap<string, number>): InboundCauseStat[] {
  const counts = new Map<InboundCause | LocalCause, number>();
  for (const [stored, n] of byStoredCause) {
    const cause = inboundCauseOf(stored);
    counts.set(cause, (counts.get(cause) ?? 0) + n);
  }
  return [...counts]
    .map(([cause, count]) => {
      const info = infoOf(cause);
      return { cause, title: info.title, meaning: info.meaning, action: info.action, count };
    })
    .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
}
