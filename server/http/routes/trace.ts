/** Message trace: search by recipient, sender, queue id or Message-ID; every line of each message's life in order. */

import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../db/sqlite/open.js';
import {
  findLooseRejects,
  findTraceKeys,
  loadQueueHistory,
  TRACE_FIELDS,
  type QueueHistory,
  type TraceAttempt,
  type TraceField,
  type TraceReject,
} from '../../../db/queries/trace.js';
import type { MessageTrace, TraceEvent, TraceResponse } from '../contract.js';
import { hostSchema, limitSchema, parseInput } from '../params.js';

const traceQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, 'enter an address, queue id or Message-ID')
    .max(320)
    .regex(/^[^\s\p{Cc}]+$/u, 'must be a single word without spaces'),
  by: z
    .enum(['auto', ...TRACE_FIELDS])
    .optional()
    .default('auto'),
  host: hostSchema.optional(),
  limit: limitSchema(50, 20),
});

/** Most lines one message life may return: a looping message should not take the server with it. */
const MAX_LINES = 2000;

/** Guesses the field: `<...>` is a Message-ID, an address is a recipient (then sender), else a queue id. */
export function guessFields(q: string): TraceField[] {
  if (q.startsWith('<') && q.endsWith('>')) return ['message-id'];
  if (q.includes('@')) return ['recipient', 'sender', 'message-id'];
  return ['queue-id'];
}

const fromAttempt = (a: TraceAttempt): TraceEvent => ({
  kind: 'attempt',
  ts: a.ts,
  program: a.program,
  recipient: a.recipient,
  outcome: a.outcome,
  class: a.class,
  cause: a.cause,
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

export const fromReject = (r: TraceReject): TraceEvent => ({
  kind: 'reject',
  ts: r.ts,
  program: r.program,
  recipient: r.recipient,
  outcome: 'rejected',
  class: r.class,
  cause: r.cause,
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
export function toLives(h: QueueHistory, host: string, queueId: string): MessageTrace[] {
  const events = [...h.attempts.map(fromAttempt), ...h.rejects.map(fromReject)].sort((a, b) => a.ts - b.ts);
  if (h.messages.length === 0) {
    const first = h.attempts[0];
    return [
      {
        host,
        queueId,
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
      },
    ];
  }
  const lives = h.messages.map((m) => ({ m, events: [] as TraceEvent[] }));
  for (const e of events) {
    let target = lives[0]!;
    for (const life of lives) if (life.m.firstTs <= e.ts) target = life;
    target.events.push(e);
  }
  return lives
    .map(({ m, events: evs }) => ({
      host,
      queueId,
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
    }))
    .reverse();
}

/** A reused queue id has several lives: keep the ones the search was about. */
export function lifeMatches(life: MessageTrace, field: TraceField, q: string): boolean {
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

export function createTraceRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/trace', (req, res) => {
    const q = parseInput(traceQuery, req.query);
    const host = q.host ?? null;
    const fields = q.by === 'auto' ? guessFields(q.q) : [q.by];
    const messages: MessageTrace[] = [];
    const rejects: TraceEvent[] = [];
    for (const field of fields) {
      const keys = findTraceKeys(deps.db, field, q.q, host, q.limit);
      for (const key of keys) {
        if (messages.length >= q.limit) break;
        if (messages.some((m) => m.host === key.host && m.queueId === key.queueId)) continue;
        const lives = toLives(loadQueueHistory(deps.db, key, MAX_LINES), key.host, key.queueId);
        const matching = lives.filter((life) => lifeMatches(life, field, q.q));
        messages.push(...(matching.length > 0 ? matching : lives));
      }
      rejects.push(...findLooseRejects(deps.db, field, q.q, host, q.limit).map(fromReject));
      if (messages.length > 0 || rejects.length > 0) break;
    }
    messages.sort((a, b) => b.lastTs - a.lastTs);
    const body: TraceResponse = {
      query: { q: q.q, by: q.by },
      messages: messages.slice(0, q.limit),
      rejects,
    };
    res.json(body);
  });
  return router;
}
