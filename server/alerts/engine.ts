/** The alert engine: feeds the live stream into sliding windows, evaluates the rules on batches and on a timer, stores and notifies what changed. */

import type { AlertWriter } from '../../db/store/alert-writer.js';
import type { FleetReader, Leadership, LogLoss } from '../../db/store/fleet.js';
import type { StoreReader } from '../../db/store/reader.js';
import { ALERT_RULES, type AlertRule } from '../http/contract/alerts.js';
import type { Config } from '../config.js';
import type { EventBus, StoredBatch } from '../events.js';
import type { Logger } from '../log.js';
import { parseEvidence } from '../services/alerts.js';
import { createFeed } from './feed.js';
import { hostSilenceRule, logLossRule, type FleetFacts } from './rules-fleet.js';
import { ownDomains, type OwnDomains } from '../services/own-domains.js';
import { deferralBacklogRule, expiriesRule, inactivityRule } from './rules-queue.js';
import {
  ipListedRule,
  mtaHealthRule,
  queueGrowthRule,
  senderSpikeRule,
  tlsStoppedRule,
} from './rules-triage.js';
import { createTriageWindow } from './triage-window.js';
import type { MtaMonitor } from '../mta/monitor.js';
import {
  authenticationRule,
  blocklistRule,
  bounceSpikeRule,
  type Rule,
  type RuleContext,
} from './rules-traffic.js';
import { createAlertEffects } from './effects.js';
import {
  applyFindings,
  createAlertState,
  openByRule,
  restoreOpen,
  viewOf,
  type AlertState,
} from './state.js';
import type { AlertView, Finding, Notify } from './types.js';
import { MINUTE } from './window.js';

const HOUR = 3_600_000;
/** Batches trigger an evaluation at most this often; the timer covers the rest. */
const MIN_BATCH_EVAL_MS = 5_000;

const RULES: readonly Rule[] = [
  bounceSpikeRule,
  blocklistRule,
  authenticationRule,
  deferralBacklogRule,
  expiriesRule,
  inactivityRule,
  senderSpikeRule,
  mtaHealthRule,
  queueGrowthRule,
  ipListedRule,
  tlsStoppedRule,
  hostSilenceRule,
  logLossRule,
];

/** How often the own domains are read again: new evidence moves a domain between the flows rarely. */
const OWN_DOMAINS_REFRESH_MS = 10 * MINUTE;

export interface AlertEngineDeps {
  config: Config;
  bus: EventBus;
  /** Where alert state lives across restarts; without it alerts are kept in memory only. */
  store?: { reader: StoreReader; writer: AlertWriter };
  now: () => number;
  log: Logger;
  notify: Notify;
  /** Told the open alerts per rule after every change (the metrics gauge). */
  onOpenChange?: (byRule: ReadonlyMap<string, number>) => void;
  /** The queue and blocklist state for their rules, where this process reads them. */
  monitor?: Pick<MtaMonitor, 'queueHistory' | 'blocklists' | 'paniclog'> | null;
  /**
   * A fleet's store: the windows are rebuilt from the store's rollups before each evaluation (the agents write
   * from other processes), the fleet rules read its facts, and only the leader evaluates.
   */
  fleet?: { reader: FleetReader; leadership: Leadership | null } | null;
  /** Told after every evaluation (the metrics counter). */
  onEvaluate?: () => void;
}

export interface AlertEngine {
  /** Restores the baselines and open alerts from the store, then follows the bus and the timer. */
  start(): Promise<void>;
  stop(): void;
  /** Evaluates soon (in a fleet: after reading the store), as the timer does. */
  wake(): void;
  /** Runs every rule now; returns the alerts that opened and resolved. */
  evaluate(): { opened: AlertView[]; resolved: AlertView[] };
  /**
   * Holds evaluation while the follower catches up on what the log held at start (half-filled windows would
   * judge too early), then evaluates the windows the catch-up filled. Lines older than a rule's window do not
   * count: the windows are placed by each line's time.
   */
  afterCatchUp(ready: Promise<void>): void;
  /** Feeds one batch into the windows without evaluating (the bus subscription also evaluates, at most every 5 s). */
  ingest(batch: StoredBatch): void;
  openAlerts(): AlertView[];
  /** Resolves once every store write and notification started so far has settled. */
  flush(): Promise<void>;
}

/** How far back the windows must reach for the longest rule (plus room for a long-open alert's baseline). */
function retentionOf(cfg: Config['alerts']): number {
  return (
    Math.max(
      cfg.bounceSpike.windowMinutes * MINUTE + cfg.bounceSpike.baselineHours * HOUR,
      cfg.blocklist.windowMinutes * MINUTE + cfg.blocklist.quietHours * HOUR,
      cfg.authFailures.windowMinutes * MINUTE + cfg.authFailures.baselineHours * HOUR,
      cfg.deferrals.windowMinutes * MINUTE,
      cfg.inactivity.baselineHours * HOUR,
    ) +
    6 * HOUR
  );
}

/** Every rule's findings, by key; a rule that throws is logged and skipped. */
function runRules(ctx: RuleContext, log: Logger): Map<string, Finding> {
  const findings = new Map<string, Finding>();
  for (const rule of RULES) {
    try {
      for (const f of rule(ctx)) findings.set(f.key, f);
    } catch (err) {
      log.error({ err }, 'alert rule failed');
    }
  }
  return findings;
}

const isRule = (r: string): r is AlertRule => (ALERT_RULES as readonly string[]).includes(r);

/**
 * Seeds the windows from the minute rollups an hour at a time: at 10M attempts a month the rollups of the windows'
 * day and a quarter are some 300,000 rows, and holding them whole beside the windows they fill doubled the heap.
 */
async function seedFeed(
  reader: StoreReader,
  feed: ReturnType<typeof createFeed>,
  range: { since: number; now: number },
): Promise<void> {
  // The newest delivery goes in with the first piece; the others add counts only.
  let lastSent = await reader.lastSentTs();
  for (let from = range.since; ; from += HOUR) {
    // The last piece has no end: a host's clock ahead of ours still counts, as it did when read whole.
    const open = from + HOUR > range.now;
    feed.seed(await reader.recentRollups(from, open ? null : from + HOUR), lastSent);
    lastSent = null;
    if (open) break;
  }
}

/**
 * Rebuilds the windows from the minute rollups and takes back the alerts open and the cooldowns running when the
 * process stopped, so a restart neither forgets nor notifies again.
 */
async function restoreFrom(
  reader: StoreReader,
  into: { state: AlertState; feed: ReturnType<typeof createFeed> },
  t: number,
  windows: { retentionMs: number; cooldownMs: number },
): Promise<void> {
  const [, recent, open] = await Promise.all([
    seedFeed(reader, into.feed, { since: t - windows.retentionMs, now: t }),
    reader.latestAlertsByKey(t - windows.cooldownMs),
    reader.openAlerts(1_000),
  ]);
  for (const a of recent) into.state.lastFired.set(a.key, a.openedAt);
  for (const a of open) {
    if (!isRule(a.rule)) continue;
    const { id, key, rule, subject, severity, summary, openedAt } = a;
    const evidence = parseEvidence(a.evidence);
    restoreOpen(into.state, {
      id,
      key,
      rule,
      subject,
      severity,
      summary,
      evidence,
      openedAt,
      resolvedAt: null,
      lastNotifiedAt: a.notifiedAt,
    });
  }
}

export function createAlertEngine(deps: AlertEngineDeps): AlertEngine {
  const { config, bus, now, log, store } = deps;
  const cfg = config.alerts;
  const windows = { cooldownMs: cfg.cooldownMinutes * MINUTE, retentionMs: retentionOf(cfg) };
  // Our own domains, decided as everywhere (stored evidence and the config), refreshed now and then.
  let own: OwnDomains | null = null;
  let ownAt = 0;
  const refreshOwn = async () => {
    if (!store) return;
    own = await ownDomains(store.reader, { ownDomains: config.ownDomains });
    ownAt = now();
  };
  const isOwn = (domain: string) => own?.isOwn(domain) ?? false;
  let feed = createFeed(windows.retentionMs, isOwn);
  const fleet = deps.fleet ?? null;
  let fleetFacts: FleetFacts = { hosts: [], losses: [] };
  /** Losses this process's own follower found (a single store: no other process reads them). */
  const localLosses: LogLoss[] = [];
  /** Whether this process led at its last evaluation: one that takes over restores what the last leader left. */
  let leading = false;
  const triage = createTriageWindow();
  const feedBatch = (batch: StoredBatch, t: number) => {
    feed.ingest(batch, t);
    if (batch.triage) triage.add(batch.newestTs ?? t, batch.triage);
  };
  let state = createAlertState();
  const effects = createAlertEffects({
    writer: store?.writer ?? null,
    notify: deps.notify,
    log,
    now,
    wantsResolved:
      config.notify.webhooks.some((w) => w.sendResolved) || (config.notify.mail?.sendResolved ?? false),
    keepMs: cfg.keepDays * 24 * HOUR,
  });
  let lastEvalAt = -Infinity;
  /** While the follower catches up, batches fill the windows but nothing is evaluated. */
  let catchingUp = false;
  /** Counts starts and stops, so a start that is still restoring knows when a stop came meanwhile. */
  let generation = 0;
  let started = false;
  let unsubscribe: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const evaluate = () => {
    const t = now();
    lastEvalAt = t;
    feed.store.trim(t - windows.retentionMs);
    triage.trim(t - windows.retentionMs);
    feed.backlog.trim(t - cfg.deferrals.maxAgeHours * HOUR);
    feed.backlog.record(t);
    if (!cfg.enabled) return { opened: [], resolved: [] };
    const context: RuleContext = {
      now: t,
      config: cfg,
      store: feed.store,
      backlog: feed.backlog,
      lastSentAt: feed.lastSentAt(),
      linesSinceLastSent: feed.linesSinceLastSent(),
      open: state.open,
      triage,
      mta: deps.monitor ?? null,
      fleet: {
        hosts: fleetFacts.hosts,
        losses: [...localLosses, ...fleetFacts.losses],
      },
    };
    const changes = applyFindings(state, runRules(context, log), t, windows.cooldownMs);
    effects.apply(changes, t);
    if (changes.opened.length > 0 || changes.resolved.length > 0) deps.onOpenChange?.(openByRule(state));
    deps.onEvaluate?.();
    return { opened: changes.opened.map(viewOf), resolved: changes.resolved.map(viewOf) };
  };

  /**
   * In a fleet: only the leader evaluates; one that just took over restores the open alerts and cooldowns the
   * last leader stored. The windows and the fleet's facts are read from the store each time.
   */
  const refreshFromFleet = async (f: NonNullable<typeof fleet>): Promise<boolean> => {
    if (f.leadership && !f.leadership.isLeader()) {
      leading = false;
      return false;
    }
    const t = now();
    const fresh = createFeed(windows.retentionMs, isOwn);
    if (!leading && store) {
      const taken = createAlertState();
      await restoreFrom(store.reader, { state: taken, feed: fresh }, t, windows);
      state = taken;
      deps.onOpenChange?.(openByRule(state));
      leading = true;
    }
    const seeded = createFeed(windows.retentionMs, isOwn);
    const [, hosts, losses] = await Promise.all([
      store ? seedFeed(store.reader, seeded, { since: t - windows.retentionMs, now: t }) : null,
      f.reader.hostActivity(t - cfg.hostSilence.baselineHours * HOUR),
      f.reader.logLosses(t - cfg.logLoss.keepHours * HOUR),
    ]);
    feed = seeded;
    fleetFacts = { hosts, losses };
    return true;
  };

  const tick = (what: string) => {
    if (!fleet) {
      guarded(what, evaluate)();
      return;
    }
    refreshFromFleet(fleet).then(
      (lead) => {
        if (lead && started) guarded(what, evaluate)();
      },
      (err: unknown) => log.error({ err }, 'could not read the fleet\u2019s store for alerts'),
    );
  };

  const guarded = (what: string, fn: () => void) => () => {
    try {
      fn();
    } catch (err) {
      log.error({ err }, what);
    }
  };

  return {
    async start() {
      if (started || !cfg.enabled) return;
      started = true;
      const run = ++generation;
      fleet?.leadership?.start();
      if (store) {
        await refreshOwn().catch((err: unknown) => log.error({ err }, 'could not read our own domains'));
      }
      if (store && !fleet) {
        await restoreFrom(store.reader, { state, feed }, now(), windows).then(
          () => deps.onOpenChange?.(openByRule(state)),
          (err: unknown) => log.error({ err }, 'could not restore alert state'),
        );
      }
      if (run !== generation) return; // stopped while restoring
      const offLoss = bus.onLogLoss((loss) => localLosses.unshift(loss));
      // In a fleet the windows come from the store, where this process's own batches land too.
      const offBatch = fleet
        ? () => undefined
        : bus.onBatch((batch) =>
            guarded('alert engine failed on a batch', () => {
              feedBatch(batch, now());
              if (!catchingUp && now() - lastEvalAt >= MIN_BATCH_EVAL_MS) evaluate();
            })(),
          );
      unsubscribe = () => {
        offLoss();
        offBatch();
      };
      if (fleet) tick('alert evaluation failed');
      timer = setInterval(() => {
        if (now() - ownAt >= OWN_DOMAINS_REFRESH_MS)
          refreshOwn().catch((err: unknown) => log.error({ err }, 'could not read our own domains'));
        if (!catchingUp) tick('alert evaluation failed');
      }, cfg.evaluateSeconds * 1000);
      timer.unref();
    },
    stop() {
      started = false;
      generation++;
      void fleet?.leadership?.stop();
      unsubscribe?.();
      unsubscribe = null;
      if (timer) clearInterval(timer);
      timer = null;
    },
    evaluate,
    wake() {
      if (started && !catchingUp) tick('alert evaluation failed');
    },
    afterCatchUp(ready) {
      catchingUp = true;
      const done = () => {
        catchingUp = false;
        if (started) tick('alert evaluation failed');
      };
      ready.then(done, done);
    },
    ingest: (batch) => feedBatch(batch, now()),
    openAlerts: () => [...state.open.values()].map(viewOf),
    flush: () => effects.flush(),
  };
}
