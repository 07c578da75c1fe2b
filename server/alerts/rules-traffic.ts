/** Alert rules over delivery outcomes: bounce-rate spikes, a provider newly blocking us, authentication failure surges. */

import type { AlertsConfig } from '../config.js';
import { bounceRate as rateOf, finalsOf } from '../services/measures.js';
import {
  actionFor,
  blocklistNames,
  causeList,
  exampleList,
  percent,
  providerCodes,
  topCounts,
} from './evidence.js';
import type { MtaMonitor } from '../mta/monitor.js';
import type { FleetFacts } from './rules-fleet.js';
import type { TriageWindow } from './triage-window.js';
import type { Finding } from './types.js';
import { ALL, MINUTE, type Backlog, type Sample, type Tally, type WindowStore } from './window.js';

export interface RuleContext {
  now: number;
  config: AlertsConfig;
  store: WindowStore;
  backlog: Backlog;
  /** Time of the newest delivery seen, or null. */
  lastSentAt: number | null;
  /** Log lines read since the newest delivery (tells a silent MTA from a silent reader). */
  linesSinceLastSent: number;
  /** Open alerts by key: a baseline ends where the alert's own window began, so a spike never becomes its own baseline. */
  open: ReadonlyMap<string, { openedAt: number }>;
  /** Recent triage facts: warnings, sessions, submitters. */
  triage: TriageWindow;
  /** The live queue and blocklist state, where this process reads them. */
  mta: Pick<MtaMonitor, 'queueHistory' | 'blocklists' | 'paniclog'> | null;
  /** Per-host deliveries and log losses (a fleet's store; losses also from this process's follower). */
  fleet: FleetFacts;
}

export type Rule = (ctx: RuleContext) => Finding[];

const HOUR = 3_600_000;

/** [windowStart, now) and the baseline period before it, which stops where an open alert began. */
function periods(ctx: RuleContext, key: string, windowMinutes: number, baselineHours: number) {
  const windowMs = windowMinutes * MINUTE;
  const windowStart = ctx.now - windowMs;
  const opened = ctx.open.get(key)?.openedAt;
  const baselineEnd = opened === undefined ? windowStart : Math.min(windowStart, opened - windowMs);
  return { windowStart, baselineStart: baselineEnd - baselineHours * HOUR, baselineEnd };
}

/** The dashboard's bounce rate; a window with no final outcome compares as 0. */
const bounceRate = (t: Tally): number => rateOf(t) ?? 0;

const isFailure = (s: Sample) => s.outcome !== 'sent';

/** Bounce rate of a domain or provider well above its own recent baseline, with enough volume to mean something. */
export const bounceSpikeRule: Rule = (ctx) => {
  const c = ctx.config.bounceSpike;
  if (!c.enabled) return [];
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  const findings: Finding[] = [];
  const providerVolume = new Map<string, number>();
  for (const prefix of ['p:', 'd:'] as const) {
    for (const [dim, t] of ctx.store.byDim(prefix, windowStart, ctx.now)) {
      const name = dim.slice(2);
      const kind = prefix === 'p:' ? 'provider' : 'domain';
      const key = `bounce-spike:${kind}:${name}`;
      const isOpen = ctx.open.has(key);
      if (!isOpen && (finalsOf(t) < c.minAttempts || t.bounced + t.expired < c.minBounces)) continue;
      const p = periods(ctx, key, c.windowMinutes, c.baselineHours);
      const base = ctx.store.sum(dim, p.baselineStart, p.baselineEnd);
      // A baseline too small to trust counts as zero: then only minRate decides.
      const baseRate = finalsOf(base) >= c.minAttempts ? bounceRate(base) : 0;
      const threshold = Math.max(c.minRate, c.factor * baseRate);
      const rate = bounceRate(t);
      // Once open, it stays open until the rate falls below half the threshold (no flapping at the edge).
      const holds = isOpen ? finalsOf(t) > 0 && rate >= threshold / 2 : rate >= threshold;
      if (!holds) continue;
      if (kind === 'provider') providerVolume.set(name, finalsOf(t));
      else {
        // A domain that is most of an alerting provider's traffic is already covered by that alert.
        const sample = ctx.store.samples(windowStart, ctx.now, (s) => s.domain === name, 1)[0];
        const pv = sample?.provider ? providerVolume.get(sample.provider) : undefined;
        if (!isOpen && pv !== undefined && finalsOf(t) >= 0.8 * pv) continue;
      }
      const samples = ctx.store.samples(
        windowStart,
        ctx.now,
        (s) =>
          isFailure(s) &&
          s.outcome !== 'deferred' &&
          (kind === 'domain' ? s.domain === name : s.provider === name),
        3,
      );
      const causes = causeList(t.causes);
      findings.push({
        key,
        rule: 'bounce-spike',
        subject: `${kind} ${name}`,
        severity: rate >= 0.5 ? 'critical' : 'warning',
        summary: `Bounce rate for ${kind} ${name} is ${percent(rate)} over the last ${c.windowMinutes} min (${t.bounced + t.expired} of ${finalsOf(t)}), against ${percent(baseRate)} before`,
        evidence: {
          window: { from: windowStart, to: ctx.now },
          counts: {
            sent: t.sent,
            bounced: t.bounced,
            expired: t.expired,
            deferred: t.deferred,
            ratePermille: Math.round(rate * 1000),
            baselineRatePermille: Math.round(baseRate * 1000),
            baselineAttempts: finalsOf(base),
          },
          causes,
          examples: exampleList(samples),
          codes: providerCodes(samples),
          action:
            causes[0]?.action ??
            'Read the example replies: they say why the remote side refused. Pause bulk sending to this destination until the cause is fixed.',
        },
      });
    }
  }
  return findings;
};

/** A provider (or, for mail to no known provider, a domain) that did not block us in the quiet period now answers with a reputation or blocklist refusal. */
export const blocklistRule: Rule = (ctx) => {
  const c = ctx.config.blocklist;
  if (!c.enabled) return [];
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  const findings: Finding[] = [];
  const blocked = (s: Sample) => s.cause === 'reputation-blocklist';
  for (const prefix of ['p:', 'd:'] as const) {
    const kind = prefix === 'p:' ? 'provider' : 'domain';
    for (const [dim, t] of ctx.store.byDim(prefix, windowStart, ctx.now)) {
      if (t.blocklisted === 0) continue;
      const name = dim.slice(2);
      const samples = ctx.store.samples(
        windowStart,
        ctx.now,
        (s) =>
          blocked(s) &&
          (kind === 'provider' ? s.provider === name : s.domain === name && s.provider === null),
        5,
      );
      // A domain whose refusals came from a known provider is covered by that provider's alert.
      if (kind === 'domain' && samples.length === 0) continue;
      const key = `reputation-blocklist:${kind}:${name}`;
      if (!ctx.open.has(key)) {
        if (t.blocklisted < c.minCount) continue;
        const before = ctx.store.sum(dim, windowStart - c.quietHours * HOUR, windowStart);
        if (before.blocklisted > 0) continue;
      }
      const lists = blocklistNames(samples);
      const codes = providerCodes(samples);
      const named =
        lists.length > 0 ? lists.join(', ') : codes.length > 0 ? codes.join(', ') : 'no list named';
      findings.push({
        key,
        rule: 'reputation-blocklist',
        subject: `${kind} ${name}`,
        severity: 'critical',
        summary: `${name} refuses our mail for reputation or a blocklist (${named}): ${t.blocklisted} ${t.blocklisted === 1 ? 'attempt' : 'attempts'} in the last ${c.windowMinutes} min`,
        evidence: {
          window: { from: windowStart, to: ctx.now },
          counts: { blocklisted: t.blocklisted, bounced: t.bounced, deferred: t.deferred, sent: t.sent },
          causes: causeList(new Map([['reputation-blocklist', t.blocklisted]])),
          examples: exampleList(samples.slice(0, 3)),
          blocklists: lists,
          codes,
          domains: topCounts(samples.map((s) => s.domain)),
          senders: topSenders(ctx, windowStart),
          action:
            actionFor('reputation-blocklist') ??
            'Check the blocklist named in the reply and request delisting.',
        },
      });
    }
  }
  return findings;
};

/** The submitters whose mail was refused for reputation in the window, most first: who may have caused a listing. */
function topSenders(
  ctx: RuleContext,
  from: number,
): { sender: string; clientIps: string[]; count: number }[] {
  return [...ctx.triage.submitters(from, ctx.now).values()]
    .filter((t) => t.reputation > 0)
    .sort((a, b) => b.reputation - a.reputation || b.messages - a.messages)
    .slice(0, 5)
    .map((t) => ({
      sender: t.saslUser ?? t.sender,
      clientIps: [...t.clientIps].slice(0, 5),
      count: t.reputation,
    }));
}

/** SPF, DKIM or DMARC failures well above their usual level. */
export const authenticationRule: Rule = (ctx) => {
  const c = ctx.config.authFailures;
  if (!c.enabled) return [];
  const key = 'authentication:all';
  const isOpen = ctx.open.has(key);
  const p = periods(ctx, key, c.windowMinutes, c.baselineHours);
  const t = ctx.store.sum(ALL, p.windowStart, ctx.now);
  if (t.authFailed === 0) return [];
  const base = ctx.store.sum(ALL, p.baselineStart, p.baselineEnd);
  // The baseline expressed per window length, so windows and baselines of any size compare.
  const expected = (base.authFailed * c.windowMinutes * MINUTE) / (p.baselineEnd - p.baselineStart);
  const threshold = Math.max(c.minCount, c.factor * expected);
  const holds = isOpen ? t.authFailed >= threshold / 2 : t.authFailed >= threshold;
  if (!holds) return [];
  const samples = ctx.store.samples(p.windowStart, ctx.now, (s) => s.cause === 'authentication', 50);
  const senders = topCounts(
    samples.flatMap((s) => (s.senderDomain === null ? [] : [s.senderDomain])),
    3,
  );
  const senderText =
    senders.length > 0 ? ` (sender domains: ${senders.map((s) => s.domain).join(', ')})` : '';
  return [
    {
      key,
      rule: 'authentication',
      subject: 'all mail',
      severity: 'critical',
      summary: `${t.authFailed} SPF/DKIM/DMARC failures in the last ${c.windowMinutes} min, usually ${expected.toFixed(1)}${senderText}`,
      evidence: {
        window: { from: p.windowStart, to: ctx.now },
        counts: {
          failures: t.authFailed,
          expectedPerWindow: Math.round(expected * 10) / 10,
          baselineFailures: base.authFailed,
        },
        causes: causeList(new Map([['authentication', t.authFailed]])),
        examples: exampleList(samples.slice(0, 3)),
        codes: providerCodes(samples),
        domains: topCounts(samples.map((s) => s.domain)),
        action:
          actionFor('authentication') ??
          'Check the SPF record, the DKIM signing and the DMARC policy of the sender domains named.',
      },
    },
  ];
};
