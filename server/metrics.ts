/** Prometheus metrics fed from the event bus, in a registry of their own (never prom-client's global one). */

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AgentReport, FleetReader } from '../db/store/fleet.js';
import type { StoreReader } from '../db/store/reader.js';
import { ATTEMPT_NOTICE, ATTEMPT_UNTIMED } from '../db/store/stored-rows.js';
import { ownDomains, type OwnDomains } from './services/own-domains.js';
import type { MetricsConfig } from './config.js';
import type { EventBus, StoredBatch } from './events.js';
import { createFleetTriageGauges } from './metrics-fleet-triage.js';
import { hostGauge } from './metrics-host-gauge.js';
import { createTriageMetrics } from './metrics-triage.js';
import type { TriageReader } from '../db/store/triage.js';
import type { MtaMonitor } from './mta/monitor.js';

/** How far back the busiest providers are looked up at start, to seed the provider labels. */
const PROVIDER_SEED_MS = 7 * 86_400_000;

export interface Metrics {
  registry: Registry;
  /** Label a provider's attempts get: itself while it holds one of the N slots, else `other`. */
  providerLabel(provider: string | null): string;
  /** Called by the alert engine when its open alerts change. */
  setOpenAlerts(byRule: ReadonlyMap<string, number>): void;
  /** Whether this process runs the fleet's alert engine. */
  setAlertLeader(leader: boolean): void;
  /** Called by the alert engine after each evaluation. */
  countEvaluation(): void;
  /** Seeds the provider labels and the newest event from the store, then follows the bus. */
  start(): Promise<void>;
  stop(): void;
}

export interface MetricsDeps {
  config: MetricsConfig;
  bus: EventBus;
  reader: StoreReader;
  now: () => number;
  /** A fleet's store: each agent's lag, read from its last report. */
  fleet?: FleetReader | null;
  /** A fleet's triage facts, for each host's figures (the agents' batches are not seen here). */
  triage?: TriageReader | null;
  /** The live queue, for its gauges; absent where nothing reads it. */
  monitor?: MtaMonitor | null;
  /** The config's own domains: the flow of each delivery is decided from them and the stored evidence. */
  ownDomains?: readonly string[];
}

/** Agents that reported within this period get gauges. */
const AGENTS_LISTED_MS = 86_400_000;

/** How often the own domains are read again: new evidence moves a domain between the flows rarely. */
const OWN_DOMAINS_REFRESH_MS = 10 * 60_000;

export function createMetrics({
  config,
  bus,
  reader,
  now,
  fleet,
  triage: triageReader,
  monitor,
  ownDomains: named = [],
}: MetricsDeps): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (config.processMetrics) collectDefaultMetrics({ register: registry });

  const attempts = new Counter({
    name: 'bouncewatch_delivery_attempts_total',
    help: 'Delivery attempts stored, by outcome, class and cause (cause "none" for deliveries).',
    labelNames: ['outcome', 'class', 'cause'] as const,
    registers,
  });
  const byProvider = new Counter({
    name: 'bouncewatch_provider_attempts_total',
    help: 'Delivery attempts by receiving provider (the busiest providers only; the rest as "other").',
    labelNames: ['provider', 'outcome'] as const,
    registers,
  });
  const delay = new Histogram({
    name: 'bouncewatch_delivery_delay_seconds',
    help: 'Time from arrival to delivery of delivered recipients (Postfix delay=, Exim QT=), by provider (the busiest only; the rest as "other"): histogram_quantile gives the median and p95.',
    labelNames: ['provider'] as const,
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3_600, 4 * 3_600, 86_400],
    registers,
  });
  const byFlow = new Counter({
    name: 'bouncewatch_flow_deliveries_total',
    help: 'Deliveries by flow (outbound to other domains, inbound to our own, notification for the bounces we send) and outcome; hops, waits and discards are not deliveries.',
    labelNames: ['flow', 'outcome'] as const,
    registers,
  });
  const localFailures = new Counter({
    name: 'bouncewatch_local_failures_total',
    help: 'Failed deliveries caused by this server itself (disk, resolver, configuration, content filter), by cause.',
    labelNames: ['cause'] as const,
    registers,
  });
  let own: OwnDomains | null = null;
  let ownAt = -Infinity;
  const refreshOwn = () => {
    ownAt = now();
    ownDomains(reader, { ownDomains: named }).then(
      (o) => {
        own = o;
      },
      () => undefined,
    );
  };
  const flowOf = (domain: string, flags: number | undefined) =>
    (flags ?? 0) & ATTEMPT_NOTICE ? 'notification' : own?.isOwn(domain) === true ? 'inbound' : 'outbound';
  const rejects = new Counter({
    name: 'bouncewatch_rejects_total',
    help: 'Rejected SMTP transactions stored, by cause.',
    labelNames: ['cause'] as const,
    registers,
  });
  const linesRead = new Counter({
    name: 'bouncewatch_lines_read_total',
    help: 'Log lines read by ingest.',
    registers,
  });
  const linesUnparsed = new Counter({
    name: 'bouncewatch_lines_unparsed_total',
    help: 'Log lines from Postfix or Exim that were not understood.',
    registers,
  });
  const batches = new Counter({
    name: 'bouncewatch_batches_total',
    help: 'Batches committed by ingest (heartbeats included).',
    registers,
  });

  // Unknown times read NaN, not 0: a lag of 0 would claim ingest is perfectly fresh.
  let newestTs: number | null = null;
  let lastBatchAt: number | null = null;
  const lag = new Gauge({
    name: 'bouncewatch_ingest_lag_seconds',
    help: 'Now minus the time of the newest ingested log line.',
    registers,
    collect: () => {
      if (newestTs === null) lag.set(Number.NaN);
      else lag.set(Math.max(0, (now() - newestTs) / 1000));
    },
  });
  const newest = new Gauge({
    name: 'bouncewatch_newest_event_timestamp_seconds',
    help: 'Time of the newest ingested log line (unix seconds).',
    registers,
    collect: () => {
      if (newestTs === null) newest.set(Number.NaN);
      else newest.set(newestTs / 1000);
    },
  });
  const lastBatch = new Gauge({
    name: 'bouncewatch_last_batch_timestamp_seconds',
    help: 'Wall-clock time ingest last committed a batch or heartbeat (unix seconds).',
    registers,
    collect: () => {
      if (lastBatchAt === null) lastBatch.set(Number.NaN);
      else lastBatch.set(lastBatchAt / 1000);
    },
  });
  const dbSize = new Gauge({
    name: 'bouncewatch_database_size_bytes',
    help: 'Size of the SQLite database, by file part.',
    labelNames: ['file'] as const,
    registers,
    collect: async () => {
      const size = await reader.databaseSize();
      dbSize.set({ file: 'main' }, size.bytes);
      dbSize.set({ file: 'wal' }, size.walBytes);
    },
  });
  const leader = new Gauge({
    name: 'bouncewatch_alert_leader',
    help: 'Whether this process runs the alert engine (1); in a fleet only one does, chosen by an advisory lock.',
    registers,
  });
  leader.set(fleet ? 0 : 1);
  const evaluations = new Counter({
    name: 'bouncewatch_alert_evaluations_total',
    help: 'Evaluations of the alert rules by this process.',
    registers,
  });
  if (fleet) {
    // One read per scrape serves the agent gauges (prom-client collects them concurrently).
    let read: { at: number; reports: ReturnType<FleetReader['agentReports']> } | null = null;
    const reports = () => {
      const t = now();
      if (!read || t - read.at > 1_000) read = { at: t, reports: fleet.agentReports(t - AGENTS_LISTED_MS) };
      return read.reports;
    };
    const agentGauge = (name: string, help: string, value: (r: AgentReport, t: number) => number) =>
      hostGauge(registers, name, help, async () => {
        const t = now();
        return (await reports()).map((r) => [r.host, value(r, t)] as const);
      });
    agentGauge(
      'bouncewatch_agent_lag_bytes',
      'Bytes of the agent\u2019s logs not read yet, as it last reported.',
      (r) => r.lagBytes,
    );
    agentGauge(
      'bouncewatch_agent_lag_seconds',
      'Now minus the time of the newest line the agent stored.',
      (r, t) => (r.newestLineTs === null ? Number.NaN : Math.max(0, (t - r.newestLineTs) / 1000)),
    );
    agentGauge(
      'bouncewatch_agent_report_age_seconds',
      'Seconds since the agent last reported: it grows while the agent cannot reach the store.',
      (r, t) => Math.max(0, (t - r.reportedAt) / 1000),
    );
    agentGauge(
      'bouncewatch_agent_last_wait_seconds',
      'How long the agent waited for the store the last time it had to.',
      (r) => r.waitedMs / 1000,
    );
    if (triageReader) {
      createFleetTriageGauges(registry, {
        hosts: async () => (await fleet.agentReports(now() - AGENTS_LISTED_MS)).map((r) => r.host),
        triage: triageReader,
        now,
      });
    }
  }
  const triage = createTriageMetrics(registry, monitor ?? null, now());
  const openAlerts = new Gauge({
    name: 'bouncewatch_alerts_open',
    help: 'Alerts currently open, by rule.',
    labelNames: ['rule'] as const,
    registers,
  });

  // Bounded cardinality: slots go to the busiest providers of the last week, then to newcomers in
  // order of arrival until N are taken. A labelled provider keeps its label so counters stay monotonic.
  const labelled = new Set<string>();
  const providerLabel = (provider: string | null): string => {
    if (provider === null || provider === '') return 'unknown';
    if (labelled.has(provider)) return provider;
    if (labelled.size < config.topProviders) {
      labelled.add(provider);
      return provider;
    }
    return 'other';
  };

  const onBatch = (batch: StoredBatch): void => {
    lastBatchAt = now();
    batches.inc();
    if (batch.linesRead > 0) linesRead.inc(batch.linesRead);
    if (batch.unparsed > 0) linesUnparsed.inc(batch.unparsed);
    if (batch.newestTs !== null && (newestTs === null || batch.newestTs > newestTs))
      newestTs = batch.newestTs;
    if (now() - ownAt >= OWN_DOMAINS_REFRESH_MS) refreshOwn();
    for (const a of batch.attempts) {
      attempts.inc({ outcome: a.outcome, class: a.class, cause: a.cause ?? 'none' });
      byFlow.inc({ flow: flowOf(a.recipientDomain, a.flags), outcome: a.outcome });
      if (a.outcome !== 'sent' && a.cause?.startsWith('local-') === true)
        localFailures.inc({ cause: a.cause });
      byProvider.inc({ provider: providerLabel(a.provider), outcome: a.outcome });
      if (a.outcome === 'sent' && a.delay !== null && ((a.flags ?? 0) & ATTEMPT_UNTIMED) === 0)
        delay.observe({ provider: providerLabel(a.provider) }, a.delay);
    }
    for (const r of batch.rejects) rejects.inc({ cause: r.cause ?? 'none' });
    if (batch.triage) triage.add(batch.triage);
  };

  let unsubscribe: (() => void) | null = null;
  return {
    registry,
    providerLabel,
    setAlertLeader: (value) => leader.set(value ? 1 : 0),
    countEvaluation: () => evaluations.inc(),
    setOpenAlerts(byRule) {
      openAlerts.reset();
      for (const [rule, n] of byRule) openAlerts.set({ rule }, n);
    },
    async start() {
      if (unsubscribe) return;
      unsubscribe = bus.onBatch(onBatch);
      const [busiest, newest, o] = await Promise.all([
        reader.busiestProviders(now() - PROVIDER_SEED_MS, config.topProviders),
        reader.newestEventTs(),
        ownDomains(reader, { ownDomains: named }).catch(() => null),
      ]);
      own = o;
      ownAt = now();
      for (const p of busiest) if (labelled.size < config.topProviders) labelled.add(p.provider);
      if (newest !== null && (newestTs === null || newest > newestTs)) newestTs = newest;
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
