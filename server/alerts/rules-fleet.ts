/** Alert rules of a fleet: one host that stopped delivering while it usually does, and log text lost to rotation. */

import type { HostActivity, LogLoss } from '../../db/store/fleet.js';
import type { Rule } from './rules-traffic.js';
import type { Finding } from './types.js';
import { MINUTE } from './window.js';

const HOUR = 3_600_000;

/** What the store says of the fleet at this evaluation (hosts' deliveries) and what was lost to rotation. */
export interface FleetFacts {
  /** Per host, over the silence rule's baseline; empty where the store keeps no fleet facts. */
  hosts: readonly HostActivity[];
  /** Losses found within logLoss.keepHours, newest first. */
  losses: readonly LogLoss[];
}

const bytes = (n: number): string =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} B`;

/** A host that delivered nothing for a while, though it usually does, while other hosts go on. */
export const hostSilenceRule: Rule = (ctx) => {
  const c = ctx.config.hostSilence;
  const hosts = ctx.fleet.hosts;
  // One host alone is the inactivity rule's case.
  if (!c.enabled || hosts.length < 2) return [];
  const findings: Finding[] = [];
  for (const h of hosts) {
    if (h.lastSentTs === null) continue;
    const key = `host-silent:${h.host}`;
    const quietMs = ctx.now - h.lastSentTs;
    if (quietMs < c.afterMinutes * MINUTE) continue;
    if (!ctx.open.has(key) && h.sent < c.minUsualSent) continue;
    const minutes = Math.round(quietMs / MINUTE);
    const others = hosts.filter(
      (o) => o.host !== h.host && o.lastSentTs !== null && o.lastSentTs > h.lastSentTs!,
    );
    findings.push({
      key,
      rule: 'host-silent',
      subject: `host ${h.host}`,
      severity: 'critical',
      summary: `${h.host} delivered nothing for ${minutes} min; ${h.sent} deliveries in the last ${c.baselineHours} h`,
      evidence: {
        window: { from: h.lastSentTs, to: ctx.now },
        counts: {
          minutesSinceLastDelivery: minutes,
          sentInBaseline: h.sent,
          hostsStillDelivering: others.length,
        },
        causes: [],
        examples: [],
        action:
          `Check that the MTA on ${h.host} runs and that its agent (bouncewatch follow --host-id ${h.host}) still ` +
          'reads its log; then its queue (mailq / exim -bp) and its outbound connectivity.',
      },
    });
  }
  return findings;
};

/** Log text deleted by rotation before an agent read it (found when it resumed). */
export const logLossRule: Rule = (ctx) => {
  const c = ctx.config.logLoss;
  if (!c.enabled) return [];
  const since = ctx.now - c.keepHours * HOUR;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const l of ctx.fleet.losses) {
    if (l.detectedAt < since) continue;
    const key = `log-lost:${l.host}:${l.path}:${l.lostFrom}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const from = new Date(l.lostFrom).toISOString();
    findings.push({
      key,
      rule: 'log-lost',
      subject: `host ${l.host}`,
      severity: 'warning',
      summary:
        l.lostBytes > 0
          ? `At least ${bytes(l.lostBytes)} of ${l.path} on ${l.host} were rotated away unread; lines from ${from} on are missing`
          : `${l.path} on ${l.host} was rotated away before it was read to its end; lines logged from ${from} until its agent resumed may be missing`,
      evidence: {
        window: { from: l.lostFrom, to: l.detectedAt },
        counts: { lostBytes: l.lostBytes },
        causes: [],
        examples: [],
        action:
          'The figures miss what that host logged from then until the agent resumed. Keep more rotated files ' +
          '(logrotate rotate N), or bring the store and the agent back sooner; the agent reads rotated files it finds.',
      },
    });
  }
  return findings;
};
