/** Alert rules over the queue and the clock: a growing deferral backlog, expiries, and mail that stopped flowing. */

import { causeList, exampleList, topCounts } from './evidence.js';
import type { Rule } from './rules-traffic.js';
import { ALL, MINUTE, type Pending, type Sample } from './window.js';

const HOUR = 3_600_000;

function pendingCauses(entries: Iterable<Pending>): Map<string, number> {
  const causes = new Map<string, number>();
  for (const p of entries) if (p.cause !== null) causes.set(p.cause, (causes.get(p.cause) ?? 0) + 1);
  return causes;
}

/** Recipients waiting after a deferral: many of them, and more than a window ago. */
export const deferralBacklogRule: Rule = (ctx) => {
  const c = ctx.config.deferrals;
  if (!c.enabled) return [];
  const key = 'deferral-backlog';
  const isOpen = ctx.open.has(key);
  const size = ctx.backlog.size();
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  // Without history reaching a full window back (just started), growth cannot be told from refilling.
  const before = ctx.backlog.sizeAt(windowStart);
  const holds = isOpen
    ? size >= c.minBacklog / 2
    : size >= c.minBacklog && before !== null && size >= (1 + c.growth) * before;
  if (!holds) return [];
  const entries = [...ctx.backlog.entries()];
  const recent = entries.slice(-3).reverse();
  const t = ctx.store.sum(ALL, windowStart, ctx.now);
  const causes = causeList(pendingCauses(entries));
  return [
    {
      key,
      rule: 'deferral-backlog',
      subject: 'all mail',
      severity: 'warning',
      summary: `${size} recipients are waiting after a deferral (${before ?? 0} ${c.windowMinutes} min ago); ${t.deferred} deferrals in that time`,
      evidence: {
        window: { from: windowStart, to: ctx.now },
        counts: { backlog: size, backlogBefore: before ?? 0, deferred: t.deferred, sent: t.sent },
        causes,
        examples: recent.map((p) => ({
          ts: p.ts,
          domain: p.domain,
          provider: p.provider,
          code: p.code,
          diagnostic: p.diagnostic,
        })),
        domains: topCounts(entries.map((p) => p.domain)),
        action:
          causes[0]?.action ??
          'Look at the deferral replies of the busiest domains (mailq / exim -bp) and fix the cause they name.',
      },
    },
  ];
};

/** Messages given up after their retry period: each is mail a user thinks was sent. */
export const expiriesRule: Rule = (ctx) => {
  const c = ctx.config.deferrals;
  if (!c.enabled) return [];
  const key = 'expiries';
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  const t = ctx.store.sum(ALL, windowStart, ctx.now);
  const holds = ctx.open.has(key) ? t.expired > 0 : t.expired >= c.minExpired;
  if (!holds) return [];
  const samples: Sample[] = ctx.store.samples(windowStart, ctx.now, (s) => s.outcome === 'expired', 200);
  // The cause of an expiry is that of the deferrals before it.
  const lastCauses = new Map<string, number>();
  for (const s of samples) if (s.cause !== null) lastCauses.set(s.cause, (lastCauses.get(s.cause) ?? 0) + 1);
  const causes = causeList(lastCauses);
  return [
    {
      key,
      rule: 'expiries',
      subject: 'all mail',
      severity: 'critical',
      summary: `${t.expired} ${t.expired === 1 ? 'recipient' : 'recipients'} expired in the last ${c.windowMinutes} min after retrying until the queue lifetime`,
      evidence: {
        window: { from: windowStart, to: ctx.now },
        counts: { expired: t.expired, deferred: t.deferred, backlog: ctx.backlog.size() },
        causes,
        examples: exampleList(samples.slice(0, 3)),
        domains: topCounts(samples.map((s) => s.domain)),
        action:
          causes.find((x) => x.cause !== 'expired')?.action ??
          'Read the last deferral reply of the expired recipients: that is the real cause. Tell the senders; their mail was not delivered.',
      },
    },
  ];
};

/** Nothing delivered for a while on a server that usually delivers. */
export const inactivityRule: Rule = (ctx) => {
  const c = ctx.config.inactivity;
  if (!c.enabled || ctx.lastSentAt === null) return [];
  const key = 'inactivity';
  const quietMs = ctx.now - ctx.lastSentAt;
  if (quietMs < c.afterMinutes * MINUTE) return [];
  const usual = ctx.store.sum(ALL, ctx.now - c.baselineHours * HOUR, ctx.now);
  if (!ctx.open.has(key) && usual.sent < c.minUsualSent) return [];
  const since = ctx.store.sum(ALL, ctx.lastSentAt + 1, ctx.now);
  const minutes = Math.round(quietMs / MINUTE);
  const reader =
    ctx.linesSinceLastSent === 0
      ? 'No log lines were read since either: check that the MTA runs and that bouncewatch still reads its log.'
      : `${ctx.linesSinceLastSent} log lines were read since, so the log is being read: check the MTA's queue (mailq / exim -bp) and its outbound connectivity.`;
  return [
    {
      key,
      rule: 'inactivity',
      subject: 'all mail',
      severity: 'critical',
      summary: `Nothing delivered for ${minutes} min; ${usual.sent} deliveries in the last ${c.baselineHours} h`,
      evidence: {
        window: { from: ctx.lastSentAt, to: ctx.now },
        counts: {
          minutesSinceLastDelivery: minutes,
          sentInBaseline: usual.sent,
          deferredSince: since.deferred,
          bouncedSince: since.bounced,
          linesReadSince: ctx.linesSinceLastSent,
        },
        causes: causeList(since.causes),
        examples: exampleList(ctx.store.samples(ctx.lastSentAt, ctx.now + 1, (s) => s.outcome !== 'sent', 3)),
        action: reader,
      },
    },
  ];
};
