/** Reads Exim's queue listings: `exim -bpc` (a count) and `exim -bp` (each message with its age, size and recipients). */

import { createDomainTally, QUEUE_DOMAIN_LIMIT, type QueueSnapshot } from './queue-snapshot.js';

/** `exim -bp` prints an age in minutes, hours or days, rounded (queue.c): `25m`, `2h`, `4d`. */
const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3_600, d: 86_400 };
/** Sizes are `123`, `2.9K`, `1.2M`, `3.0G`. */
const SIZE_FACTOR: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

const HEAD = /^\s*(\d+)([mhd])\s+(\d+(?:\.\d+)?)([KMG]?)\s+([\w]+-[\w]+-[\w]+)\s+(.*)$/;

interface Pending {
  frozen: boolean;
  waiting: string[];
}

/** A snapshot of the queue from `exim -bp` output read at `readAt`. */
export function readEximQueueList(output: string, readAt: number): QueueSnapshot {
  const domains = createDomainTally();
  let messages = 0;
  let bytes = 0;
  let deferred = 0;
  let held = 0;
  let oldest: number | null = null;
  let unreadable = 0;
  let current: Pending | null = null;

  const close = () => {
    if (!current) return;
    if (current.frozen) held++;
    if (current.waiting.length > 0) {
      deferred++;
      domains.add(current.waiting);
    }
    current = null;
  };

  for (const line of output.split('\n')) {
    if (line.trim() === '') {
      close();
      continue;
    }
    const head = HEAD.exec(line);
    if (head) {
      close();
      const [, age = '0', unit = 'm', size = '0', factor = '', , rest = ''] = head;
      messages++;
      bytes += Math.round(Number(size) * (SIZE_FACTOR[factor] ?? 1));
      const ageSeconds = Number(age) * (UNIT_SECONDS[unit] ?? 60);
      oldest = oldest === null ? ageSeconds : Math.max(oldest, ageSeconds);
      current = { frozen: rest.endsWith('*** frozen ***'), waiting: [] };
      continue;
    }
    if (!current || !/^\s/.test(line)) {
      unreadable++;
      continue;
    }
    // Recipient lines: `D` marks one already delivered, `+D` one delivered through a redirect.
    const address = line.trim();
    if (address.startsWith('D ') || address.startsWith('+D ')) continue;
    current.waiting.push(address);
  }
  close();
  return {
    mta: 'exim',
    readAt,
    messages,
    bytes,
    oldestAgeSeconds: oldest,
    deferred,
    held,
    deferredByDomain: domains.top(QUEUE_DOMAIN_LIMIT),
    unreadable,
  };
}

/** The count `exim -bpc` prints, or null when the output is not a count. */
export function readEximQueueCount(output: string): number | null {
  const text = output.trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}
