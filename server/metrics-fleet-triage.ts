/**
 * A fleet's triage figures per host in /metrics, read from the store: the central dashboard sees no agent's batches,
 * so it counts each host's last 24 hours of warnings, failed SASL logins and volume. Hosts are the agents that
 * reported (a bounded label set, as for the agent gauges); IPs, logins and senders are never labels.
 */

import { Gauge, type Registry } from 'prom-client';
import type { SessionFactEvent, TriageReader } from '../db/store/triage.js';
import { hostGauge } from './metrics-host-gauge.js';

const DAY_MS = 86_400_000;
/** Figures over a day move little in a minute: one read of every host per minute at most, whatever the scrapes. */
const READ_EVERY_MS = 60_000;
const SEVERITIES = ['warning', 'fatal', 'panic'] as const;
const WARNINGS_READ = 10_000;

interface HostFigures {
  host: string;
  warnings: Record<(typeof SEVERITIES)[number], number>;
  sessions: Partial<Record<SessionFactEvent, number>>;
}

export function createFleetTriageGauges(
  registry: Registry,
  deps: { hosts: () => Promise<string[]>; triage: TriageReader; now: () => number },
): void {
  let read: { at: number; figures: Promise<HostFigures[]> } | null = null;
  const figures = () => {
    const t = deps.now();
    if (read && t - read.at < READ_EVERY_MS) return read.figures;
    const range = { from: t - DAY_MS, to: t };
    const pending = deps.hosts().then((hosts) =>
      Promise.all(
        hosts.map(async (host) => {
          const [groups, sessions] = await Promise.all([
            deps.triage.warningGroups({ ...range, host }, WARNINGS_READ),
            deps.triage.sessionTotals({ ...range, host }),
          ]);
          const warnings = { warning: 0, fatal: 0, panic: 0 };
          for (const g of groups) warnings[g.severity] += g.count;
          return { host, warnings, sessions };
        }),
      ),
    );
    // A failed read is tried again at the next scrape rather than kept for a minute.
    pending.catch(() => {
      read = null;
    });
    read = { at: t, figures: pending };
    return pending;
  };
  const registers = [registry];
  const warnings: Gauge<'host' | 'severity'> = new Gauge({
    name: 'bouncewatch_fleet_mta_warnings_24h',
    help: "Each host's warning, fatal and panic lines over the last 24 hours, from the fleet's store.",
    labelNames: ['host', 'severity'] as const,
    registers,
    async collect() {
      warnings.reset();
      for (const f of await figures())
        for (const severity of SEVERITIES) warnings.set({ host: f.host, severity }, f.warnings[severity]);
    },
  });
  const sessionGauge = (name: string, help: string, event: SessionFactEvent) =>
    hostGauge(registers, name, help, async () =>
      (await figures()).map((f) => [f.host, f.sessions[event] ?? 0] as const),
    );
  sessionGauge(
    'bouncewatch_fleet_sasl_auth_failures_24h',
    "Each host's failed SASL logins over the last 24 hours.",
    'auth-ip',
  );
  sessionGauge(
    'bouncewatch_fleet_received_messages_24h',
    'Messages each host received over the last 24 hours (as pflogsumm counts).',
    'received',
  );
  sessionGauge(
    'bouncewatch_fleet_delivered_recipients_24h',
    'Recipients each host delivered over the last 24 hours (as pflogsumm counts).',
    'delivered',
  );
}
