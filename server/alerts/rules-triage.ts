/**
 * Alert rules over triage facts and the MTA itself: a submitter sending like a compromised account, fatal errors and
 * panics, disk-space warnings, a growing or ageing queue, our IP newly on a blocklist, a domain that stopped using TLS.
 */

import type { WarningFact } from '../../db/store/triage.js';
import { groupWarnings } from '../mta/warning-shapes.js';
import { withoutPanicCopies } from '../mta/panic-copies.js';
import { senderRates } from '../services/measures.js';
import type { Rule } from './rules-traffic.js';
import type { SubmitterTally } from './triage-window.js';
import type { Finding } from './types.js';
import { MINUTE } from './window.js';

const HOUR = 3_600_000;

const badShare = (t: SubmitterTally): number => {
  const r = senderRates(t);
  return (r.refusalRate ?? 0) + (r.unknownShare ?? 0);
};

const nameOf = (t: SubmitterTally) =>
  t.saslUser !== null ? `SASL user ${t.saslUser}` : `sender ${t.sender}`;

/** One submitter far above its own baseline or an absolute rate, with many unknown recipients or spam refusals. */
export const senderSpikeRule: Rule = (ctx) => {
  const c = ctx.config.senderSpike;
  if (!c.enabled) return [];
  const windowMs = c.windowMinutes * MINUTE;
  const windowStart = ctx.now - windowMs;
  const baselineStart = windowStart - c.baselineHours * HOUR;
  const now = ctx.triage.submitters(windowStart, ctx.now);
  if (now.size === 0) return [];
  const before = ctx.triage.submitters(baselineStart, windowStart);
  const findings: Finding[] = [];
  for (const [k, t] of now) {
    const key = `sender-spike:${k}`;
    const usual = ((before.get(k)?.messages ?? 0) * windowMs) / (c.baselineHours * HOUR);
    const isOpen = ctx.open.has(key);
    const volume = isOpen
      ? t.messages >= c.minMessages / 2
      : (t.messages >= c.minMessages && t.messages >= c.factor * usual) || t.messages >= c.absoluteMessages;
    const share = badShare(t);
    if (!volume || share < (isOpen ? c.minBadShare / 2 : c.minBadShare)) continue;
    const ips = [...t.clientIps].slice(0, 10);
    findings.push({
      key,
      rule: 'sender-spike',
      subject: nameOf(t),
      severity: 'critical',
      summary: `${nameOf(t)} sent ${t.messages} messages in ${c.windowMinutes} min (usually ${Math.round(usual)}); ${Math.round(share * 100)}% of its mail went to unknown users or was refused as spam or by reputation. A compromised account or web form?`,
      evidence: {
        window: { from: windowStart, to: ctx.now },
        counts: {
          messages: t.messages,
          usual: Math.round(usual),
          sent: t.sent,
          bounced: t.bounced,
          deferred: t.deferred,
          unknown: t.unknown,
          spam: t.spam,
          reputation: t.reputation,
        },
        causes: [],
        examples: t.examples.slice(0, 5).map((x) => ({
          ts: ctx.now,
          domain: x.recipient.slice(x.recipient.lastIndexOf('@') + 1) || null,
          provider: null,
          code: null,
          diagnostic: `${x.recipient}: ${x.diagnostic}`,
        })),
        senders: [{ sender: t.saslUser ?? t.sender, clientIps: ips, count: t.messages }],
        action:
          t.saslUser !== null
            ? `Lock the account ${t.saslUser} (change its password), hold its queued mail (postsuper -h / exim -Mf), and check the client IPs ${ips.join(', ')}.`
            : `Find what submits as ${t.sender} (a web form or script), stop it, and hold its queued mail.`,
      },
    });
  }
  return findings;
};

/** fatal and panic lines, and disk-space warnings, in the window. */
export const mtaHealthRule: Rule = (ctx) => {
  const c = ctx.config.mtaHealth;
  if (!c.enabled) return [];
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  // Exim's paniclog holds panics the main log may not: those of the window count as the log's own, once each (a
  // panic's copy in the main log is taken out of the main log's facts).
  const panicLines = (ctx.mta?.paniclog().lines ?? []).filter((l) => l.ts >= windowStart && l.ts < ctx.now);
  const warnings: Pick<WarningFact, 'severity' | 'topic' | 'example' | 'count' | 'last'>[] = [
    ...withoutPanicCopies(ctx.triage.warnings(windowStart, ctx.now), (w) => w.shape, panicLines),
    ...groupWarnings(panicLines),
  ];
  const findings: Finding[] = [];
  const alert = (key: 'mta-fatal' | 'disk-space', list: typeof warnings, summary: string, action: string) => {
    if (list.length === 0) return;
    const count = list.reduce((n, w) => n + w.count, 0);
    findings.push({
      key,
      rule: key,
      subject: 'this server',
      severity: 'critical',
      summary: `${summary}: ${count} in the last ${c.windowMinutes} min`,
      evidence: {
        window: { from: windowStart, to: ctx.now },
        counts: { lines: count },
        causes: [],
        examples: list.slice(-5).map((w) => ({
          ts: w.last,
          domain: null,
          provider: null,
          code: null,
          diagnostic: `${w.severity}: ${w.example}`,
        })),
        action,
      },
    });
  };
  alert(
    'mta-fatal',
    warnings.filter((w) => w.severity !== 'warning'),
    'The MTA logged fatal errors or panics',
    'Read the lines (journalctl -u postfix / the Exim paniclog), fix the cause and restart the service; mail waits meanwhile.',
  );
  alert(
    'disk-space',
    warnings.filter((w) => w.topic === 'disk'),
    'The MTA is short of disk space',
    'Free space on the queue file system (df -h /var/spool), or the MTA refuses and defers mail.',
  );
  return findings;
};

/** The queue grew fast over the window, or holds a message older than the limit. */
export const queueGrowthRule: Rule = (ctx) => {
  const c = ctx.config.queue;
  const history = ctx.mta?.queueHistory() ?? [];
  const latest = history.at(-1);
  if (!c.enabled || !latest) return [];
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  const before = history.find((q) => q.readAt >= windowStart - MINUTE);
  const grew =
    before !== undefined &&
    before !== latest &&
    latest.messages >= c.minMessages &&
    latest.messages >= (1 + c.growth) * before.messages;
  const old = latest.oldestAgeSeconds !== null && latest.oldestAgeSeconds >= c.maxAgeHours * 3_600;
  if (!grew && !old) return [];
  return [
    {
      key: 'queue-growth',
      rule: 'queue-growth',
      subject: 'the queue',
      severity: 'warning',
      summary: `${latest.messages} messages in the queue (${before?.messages ?? '?'} ${c.windowMinutes} min ago)${old ? `; the oldest has waited ${Math.round((latest.oldestAgeSeconds ?? 0) / 3_600)} h` : ''}`,
      evidence: {
        window: { from: windowStart, to: ctx.now },
        counts: {
          messages: latest.messages,
          before: before?.messages ?? 0,
          deferred: latest.deferred,
          held: latest.held,
        },
        causes: [],
        examples: [],
        domains: latest.deferredByDomain.slice(0, 10).map((d) => ({ domain: d.domain, count: d.messages })),
        action:
          'Look at the deferral reasons of the domains with most waiting mail (postqueue -p / exim -bp) and fix what they name.',
      },
    },
  ];
};

/** Our IP listed on a configured blocklist: one alert per IP and list, resolved when the listing goes. */
export const ipListedRule: Rule = (ctx) => {
  const results = ctx.mta?.blocklists().results ?? [];
  return results
    .filter((r) => r.status === 'listed')
    .map((r) => ({
      key: `ip-listed:${r.ip}:${r.zone}`,
      rule: 'ip-listed' as const,
      subject: `IP ${r.ip} on ${r.zone}`,
      severity: 'critical' as const,
      summary: `Our IP ${r.ip} is listed on ${r.zone} (${r.meanings.join(', ')})${r.delistUrl ? `; delisting: ${r.delistUrl}` : ''}`,
      evidence: {
        window: { from: r.checkedAt, to: ctx.now },
        counts: {},
        causes: [],
        examples: [],
        blocklists: [r.zone],
        ...(r.delistUrl ? { delistUrl: r.delistUrl } : {}),
        action: `Find and stop what sent spam from ${r.ip}, then ask ${r.zone} for removal${r.delistUrl ? ` at ${r.delistUrl}` : ''}.`,
      },
    }));
};

/** A recipient domain that took our mail over TLS in the baseline and now gets it without (a possible downgrade). */
export const tlsStoppedRule: Rule = (ctx) => {
  const c = ctx.config.tlsStopped;
  if (!c.enabled) return [];
  const windowStart = ctx.now - c.windowMinutes * MINUTE;
  const now = ctx.triage.tlsByDomain(windowStart, ctx.now);
  const findings: Finding[] = [];
  let before: Map<string, { tls: number; plain: number }> | null = null;
  for (const [domain, d] of now) {
    if (d.tls > 0 || d.plain < c.minPlain) continue;
    before ??= ctx.triage.tlsByDomain(windowStart - c.baselineHours * HOUR, windowStart);
    const was = before.get(domain);
    if (!was || was.tls < c.minTlsBefore) continue;
    findings.push({
      key: `tls-stopped:${domain}`,
      rule: 'tls-stopped',
      subject: `domain ${domain}`,
      severity: 'warning',
      summary: `${domain} took ${was.tls} deliveries over TLS in the ${c.baselineHours} h before; the last ${d.plain} went without TLS`,
      evidence: {
        window: { from: windowStart, to: ctx.now },
        counts: { plain: d.plain, tlsBefore: was.tls, plainBefore: was.plain },
        causes: [],
        examples: [],
        domains: [{ domain, count: d.plain }],
        action: `Check the TLS of ${domain}'s MX (posttls-finger / openssl s_client -starttls smtp); a STARTTLS stripped on the way is a downgrade attack, and smtp_tls_policy_maps can require TLS for the domain.`,
      },
    });
  }
  return findings;
};
