/** What a message trace answers: the messages a search finds, every line of each life in order. */

import type {
  QueueHistory,
  StoreReader,
  TraceAttempt,
  TraceField,
  TraceReject,
} from '../../db/store/reader.js';
import type { MessageTrace, TraceEvent, TraceResponse } from '../http/contract/trace.js';
import type { Knowledge } from './knowledge.js';
import { hopChain, joinLives, type TracedLife } from './trace-hops.js';

/** Most lines one message life may return: a looping message should not take the server with it. */
const MAX_LINES = 2000;

/** Guesses the field: `<...>` is a Message-ID, an address is a recipient (then sender), else a queue id. */
function guessFields(q: string): TraceField[] {
  if (q.startsWith('<') && q.endsWith('>')) return ['message-id'];
  if (q.includes('@')) return ['recipient', 'sender', 'message-id'];
  return ['queue-id'];
}

const fromAttempt = (a: TraceAttempt): TraceEvent => ({
  kind: 'attempt',
  ts: a.ts,
  queueId: a.queueId,
  hop: a.hop,
  program: a.program,
  recipient: a.recipient,
  outcome: a.outcome,
  class: a.class,
  cause: a.cause,
  causeTitle: null,
  replyCode: a.replyCode,
  enhancedStatus: a.enhancedStatus,
  dsn: a.dsn,
  stage: a.stage,
  relayHost: a.relayHost,
  relayIp: a.relayIp,
  clientHost: null,
  clientIp: null,
  helo: null,
  delay: a.delay,
  diagnostic: a.diagnostic,
  classConflict: a.classConflict,
});

const fromReject = (r: TraceReject): TraceEvent => ({
  kind: 'reject',
  ts: r.ts,
  queueId: r.queueId,
  hop: false,
  program: r.program,
  recipient: r.recipient,
  outcome: 'rejected',
  class: r.class,
  cause: r.cause,
  causeTitle: null,
  replyCode: r.replyCode,
  enhancedStatus: r.enhancedStatus,
  dsn: null,
  stage: r.stage,
  relayHost: null,
  relayIp: null,
  clientHost: r.clientHost,
  clientIp: r.clientIp,
  helo: r.helo,
  delay: null,
  diagnostic: r.diagnostic,
  classConflict: null,
});

/**
 * Splits one queue id's history into message lives. Postfix reuses queue ids, so an attempt belongs to the
 * life whose first line precedes it most closely; without correlated messages the whole history is one life.
 */
function toLives(h: QueueHistory, host: string, queueId: string): TracedLife[] {
  const events = [...h.attempts.map(fromAttempt), ...h.rejects.map(fromReject)].sort((a, b) => a.ts - b.ts);
  if (h.messages.length === 0) {
    const first = h.attempts[0];
    const trace: MessageTrace = {
      host,
      queueId,
      queueIds: [queueId],
      mta: first?.mta ?? null,
      sender: h.attempts.find((a) => a.sender)?.sender ?? h.rejects.find((r) => r.sender)?.sender ?? null,
      messageId: h.attempts.find((a) => a.messageId)?.messageId ?? null,
      size: null,
      clientHost: h.rejects[0]?.clientHost ?? null,
      clientIp: h.rejects[0]?.clientIp ?? null,
      notificationOf: null,
      firstTs: events[0]?.ts ?? 0,
      lastTs: events.at(-1)?.ts ?? 0,
      expiredAt: null,
      closedAt: null,
      recipients: [],
      events,
    };
    return [{ trace, hopOf: null }];
  }
  const lives = h.messages.map((m) => ({ m, events: [] as TraceEvent[] }));
  for (const e of events) {
    let target = lives[0]!;
    for (const life of lives) if (life.m.firstTs <= e.ts) target = life;
    target.events.push(e);
  }
  return lives
    .map(({ m, events: evs }) => ({
      hopOf: m.hopOf ?? null,
      trace: {
        host,
        queueId,
        queueIds: [queueId],
        mta: m.mta,
        sender: m.sender,
        messageId: m.messageId,
        size: m.size,
        clientHost: m.clientHost,
        clientIp: m.clientIp,
        notificationOf: m.notificationOf,
        firstTs: Math.min(m.firstTs, evs[0]?.ts ?? m.firstTs),
        lastTs: Math.max(m.lastTs, evs.at(-1)?.ts ?? m.lastTs),
        expiredAt: m.expiredAt,
        closedAt: m.closedAt,
        recipients: h.recipients
          .filter((r) => r.messageRowid === m.id)
          .map((r) => ({
            recipient: r.recipient,
            finalOutcome: r.finalOutcome,
            deferrals: r.deferrals,
            firstAttemptTs: r.firstAttemptTs,
            finalTs: r.finalTs,
            lastCause: r.lastCause,
          })),
        events: evs,
      },
    }))
    .reverse();
}

/** A reused queue id has several lives: keep the ones the search was about. */
function lifeMatches(life: MessageTrace, field: TraceField, q: string): boolean {
  const want = q.toLowerCase();
  const same = (v: string | null) => v !== null && v.toLowerCase() === want;
  switch (field) {
    case 'queue-id':
      return true;
    case 'recipient':
      return life.events.some((e) => same(e.recipient)) || life.recipients.some((r) => same(r.recipient));
    case 'sender':
      return same(life.sender);
    case 'message-id': {
      const bare = (v: string | null) => (v === null ? null : v.replace(/^<|>$/g, '').toLowerCase());
      return life.messageId !== null && bare(life.messageId) === bare(q);
    }
  }
}

interface TraceQuery {
  q: string;
  by: 'auto' | TraceField;
  host: string | null;
  limit: number;
  /** Messages (queue ids) to skip: the page. */
  offset: number;
}

export interface TraceService {
  trace(q: TraceQuery): Promise<TraceResponse>;
}

export function createTraceService(deps: { reader: StoreReader; knowledge: Knowledge }): TraceService {
  const { reader, knowledge } = deps;
  /** An event with its cause's title, for a page that names causes by title. */
  const titled = (e: TraceEvent): TraceEvent =>
    e.cause === null ? e : { ...e, causeTitle: knowledge.cause(e.cause)?.title ?? e.cause };

  /**
   * The lives of one page of the messages a field finds, newest first, each joined across its hops (a content
   * filter's hand-over and the re-queued copy are one life, found once); answers how many it finds in all.
   */
  const livesFor = async (
    field: TraceField,
    q: TraceQuery,
    found: MessageTrace[],
  ): Promise<{ total: number; scanned: number }> => {
    const { keys, total } = await reader.findTraceKeys(field, q.q, q.host, {
      limit: q.limit,
      offset: q.offset,
    });
    const loaded = new Map<string, Promise<TracedLife[]>>();
    const load = (host: string, queueId: string) => {
      const id = `${host}\u0000${queueId}`;
      let lives = loaded.get(id);
      if (lives === undefined) {
        lives = reader.loadQueueHistory({ host, queueId }, MAX_LINES).then((h) => toLives(h, host, queueId));
        loaded.set(id, lives);
      }
      return lives;
    };
    const seen = new Set<TracedLife>();
    for (const key of keys) {
      const lives = await load(key.host, key.queueId);
      const matching = lives.filter((life) => lifeMatches(life.trace, field, q.q));
      for (const life of matching.length > 0 ? matching : lives) {
        if (seen.has(life)) continue;
        const chain = await hopChain(reader, life, load);
        for (const l of chain) seen.add(l);
        found.push(joinLives(chain));
      }
    }
    return { total, scanned: keys.length };
  };

  return {
    async trace(q) {
      const messages: MessageTrace[] = [];
      const rejects: TraceEvent[] = [];
      let total = 0;
      let scanned = 0;
      // Fields are tried in order until one finds something.
      for (const field of q.by === 'auto' ? guessFields(q.q) : [q.by]) {
        ({ total, scanned } = await livesFor(field, q, messages));
        // Rejects before queueing have no message to page through: they come with the first page.
        if (q.offset === 0)
          rejects.push(...(await reader.findLooseRejects(field, q.q, q.host, q.limit)).map(fromReject));
        if (total > 0 || rejects.length > 0) break;
      }
      messages.sort((a, b) => b.lastTs - a.lastTs);
      return {
        query: { q: q.q, by: q.by },
        total,
        offset: q.offset,
        limit: q.limit,
        scanned,
        messages: messages.map((m) => ({ ...m, events: m.events.map(titled) })),
        rejects: rejects.map(titled),
      };
    },
  };
}
