/** What a look at the MTA's queue found: its size and age, and the waiting recipients per domain. */

export interface QueueDomain {
  domain: string;
  /** Messages with at least one recipient at this domain still waiting. */
  messages: number;
  recipients: number;
}

export interface QueueSnapshot {
  mta: 'postfix' | 'exim';
  /** When the queue was read (unix ms). */
  readAt: number;
  messages: number;
  /** Null when the command does not say (`exim -bpc`). */
  bytes: number | null;
  /** Age of the oldest message in seconds; null for an empty queue or when the command does not say. */
  oldestAgeSeconds: number | null;
  /** Messages in the deferred queue (Postfix), or waiting with undelivered recipients (Exim). */
  deferred: number;
  /** Messages on hold (Postfix) or frozen (Exim). */
  held: number;
  /** Waiting recipients per domain, most messages first. */
  deferredByDomain: QueueDomain[];
  /** Lines the reader did not understand (counted, never fatal). */
  unreadable: number;
}

/** Domains of waiting recipients, counted once per message and once per recipient. */
export function createDomainTally(): {
  add(messageRecipients: readonly string[]): void;
  top(limit: number): QueueDomain[];
} {
  const byDomain = new Map<string, QueueDomain>();
  return {
    add(addresses) {
      const seen = new Set<string>();
      for (const address of addresses) {
        const at = address.lastIndexOf('@');
        const domain = at >= 0 ? address.slice(at + 1).toLowerCase() : '(local)';
        let d = byDomain.get(domain);
        if (!d) {
          d = { domain, messages: 0, recipients: 0 };
          byDomain.set(domain, d);
        }
        d.recipients++;
        if (!seen.has(domain)) {
          seen.add(domain);
          d.messages++;
        }
      }
    },
    top(limit) {
      return [...byDomain.values()]
        .sort(
          (a, b) =>
            b.messages - a.messages || b.recipients - a.recipients || a.domain.localeCompare(b.domain),
        )
        .slice(0, limit);
    },
  };
}

/** How many domains a snapshot lists; the rest are in the totals only. */
export const QUEUE_DOMAIN_LIMIT = 50;
