/** Reads the output of Postfix `postqueue -j`: one JSON object per queued message, one per line. */

import { z } from 'zod';
import { createDomainTally, QUEUE_DOMAIN_LIMIT, type QueueSnapshot } from './queue-snapshot.js';

/** The fields we use of one `postqueue -j` line (postqueue(1)); others are ignored. */
const queuedMessageSchema = z.object({
  queue_name: z.string(),
  queue_id: z.string(),
  /** Seconds since the epoch. */
  arrival_time: z.number(),
  message_size: z.number().nonnegative(),
  recipients: z.array(z.object({ address: z.string(), delay_reason: z.string().optional() })).default([]),
});

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** A snapshot of the queue from `postqueue -j` output read at `readAt`. */
export function readPostqueueJson(output: string, readAt: number): QueueSnapshot {
  const domains = createDomainTally();
  let messages = 0;
  let bytes = 0;
  let deferred = 0;
  let held = 0;
  let oldest: number | null = null;
  let unreadable = 0;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parsed = queuedMessageSchema.safeParse(parseJsonLine(line));
    if (!parsed.success) {
      unreadable++;
      continue;
    }
    const m = parsed.data;
    messages++;
    bytes += m.message_size;
    oldest = oldest === null ? m.arrival_time : Math.min(oldest, m.arrival_time);
    if (m.queue_name === 'hold') held++;
    if (m.queue_name === 'deferred') {
      deferred++;
      domains.add(m.recipients.map((r) => r.address));
    }
  }
  return {
    mta: 'postfix',
    readAt,
    messages,
    bytes,
    oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round(readAt / 1000 - oldest)),
    deferred,
    held,
    deferredByDomain: domains.top(QUEUE_DOMAIN_LIMIT),
    unreadable,
  };
}
