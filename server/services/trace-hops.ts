/**
 * One message's life across the queue ids a content filter gave it (design, Counting: hops): the hand-over and
 * the re-queued copy's real outcome are joined into one life, followed both ways from the life a search found.
 */

import type { StoreReader } from '../../db/store/reader.js';
import type { MessageTrace } from '../http/contract/trace.js';

/** A life as the trace shows it, and the queue id it was re-queued from (null: none). */
export interface TracedLife {
  trace: MessageTrace;
  hopOf: string | null;
}

/** The lives of one queue id on one host (a reused queue id has several). */
export type LoadLives = (host: string, queueId: string) => Promise<TracedLife[]>;

/** Hops followed each way: a filter chain is one or two deep; a loop must not run on. */
const MAX_HOPS = 5;

/** The lives joined to `life` by hops, oldest first, `life` among them. */
export async function hopChain(
  reader: Pick<StoreReader, 'hopChildren'>,
  life: TracedLife,
  load: LoadLives,
): Promise<TracedLife[]> {
  const chain = [life];
  const host = life.trace.host;
  // Up: of the lives of the queue id it came from, the one that began last before it.
  let cur = life;
  for (let i = 0; i < MAX_HOPS && cur.hopOf !== null; i++) {
    const begin = cur.trace.firstTs;
    const parent = (await load(host, cur.hopOf))
      .filter((p) => p.trace.firstTs <= begin && !chain.includes(p))
      .sort((a, b) => b.trace.firstTs - a.trace.firstTs)[0];
    if (parent === undefined) break;
    chain.unshift(parent);
    cur = parent;
  }
  // Down: for each queue id re-queued from a life, its first life that names it and began after it.
  let level = [life];
  for (let i = 0; i < MAX_HOPS && level.length > 0; i++) {
    const next: TracedLife[] = [];
    for (const from of level) {
      for (const id of await reader.hopChildren({ host, queueId: from.trace.queueId })) {
        const child = (await load(host, id))
          .filter((c) => c.hopOf === from.trace.queueId && c.trace.firstTs >= from.trace.firstTs)
          .sort((a, b) => a.trace.firstTs - b.trace.firstTs)[0];
        if (child !== undefined && !chain.includes(child)) next.push(child);
      }
    }
    chain.push(...next);
    level = next;
  }
  return chain;
}

/** The lives of a chain as one: the first life's facts, every line in order, the final lives' recipients. */
export function joinLives(chain: readonly TracedLife[]): MessageTrace {
  const first = chain[0]!.trace;
  if (chain.length === 1) return first;
  const handedOver = new Set(chain.map((l) => l.hopOf).filter((id): id is string => id !== null));
  // A life that handed the message over says "delivered" of its hand-over: the lives after it tell the outcome.
  const finals = chain.filter((l) => !handedOver.has(l.trace.queueId));
  const recipients = new Map<string, MessageTrace['recipients'][number]>();
  for (const l of finals) for (const r of l.trace.recipients) recipients.set(r.recipient, r);
  const last = chain.reduce((a, b) => (b.trace.lastTs > a.trace.lastTs ? b : a)).trace;
  const some = <K extends keyof MessageTrace>(k: K) => chain.map((l) => l.trace[k]).find((v) => v !== null);
  return {
    ...first,
    queueIds: chain.map((l) => l.trace.queueId),
    messageId: some('messageId') ?? null,
    size: first.size ?? some('size') ?? null,
    firstTs: Math.min(...chain.map((l) => l.trace.firstTs)),
    lastTs: last.lastTs,
    expiredAt: finals.map((l) => l.trace.expiredAt).find((v) => v !== null) ?? null,
    closedAt: last.closedAt,
    recipients: [...recipients.values()],
    events: chain.flatMap((l) => l.trace.events).sort((a, b) => a.ts - b.ts),
  };
}
