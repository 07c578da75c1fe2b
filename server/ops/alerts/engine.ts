/** The alert engine: feeds the live stream into sliding windows, evaluates the rules on batches and on a timer, opens, holds and resolves alerts. */

import { createAlertStore, createOpsQueries, type AlertStore } from '../../../db/alerts.js';
import type { Db } from '../../../db/sqlite/open.js';
import type { Config } from '../../config.js';
import type { EventBus, StoredBatch } from '../../events.js';
import type { Logger } from '../../log.js';
import { deferralBacklogRule, expiriesRule, inactivityRule } from './rules-queue.js';
import {
  authenticationRule,
  blocklistRule,
  bounceSpikeRule,
  type Rule,
  type RuleContext,
} from './rules-traffic.js';
import type { AlertRule, AlertView, Finding, Notify } from './types.js';
import { createFeed } from './feed.js';
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
];

export interface AlertEngineDeps {
  config: Config;
  bus: EventBus;
  db?: Db;
  now: () => number;
  log: Logger;
  notify: Notify;
  /** Told the open alerts per rule after every change (the metrics gauge). */
  onOpenChange?: (byRule: ReadonlyMap<string, number>) => void;
}

export interface AlertEngine {
  start(): void;
  stop(): void;
  /** Runs every rule now; returns the alerts that opened and resolved. */
  evaluate(): { opened: AlertView[]; resolved: AlertView[] };
  /** Feeds one batch into the windows without evaluating (the bus subscription also evaluates, at most every 5 s). */
  ingest(batch: StoredBatch): void;
  openAlerts(): AlertView[];
  /** Resolves once every notification sent so far has settled. */
  flush(): Promise<void>;
}

interface OpenAlert extends AlertView {
  lastNotifiedAt: number | null;
}

export function createAlertEngine(deps: AlertEngineDeps): AlertEngine {
  const { config, bus, now, log, notify } = deps;
  const cfg = config.alerts;
  const cooldownMs = cfg.cooldownMinutes * MINUTE;
  const retentionMs =
    Math.max(
      cfg.bounceSpike.windowMinutes * MINUTE + cfg.bounceSpike.baselineHours * HOUR,
      cfg.blocklist.windowMinutes * MINUTE + cfg.blocklist.quietHours * HOUR,
      cfg.authFailures.windowMinutes * MINUTE + cfg.authFailures.baselineHours * HOUR,
      cfg.deferrals.windowMinutes * MINUTE,
      cfg.inactivity.baselineHours * HOUR,
    ) +
    // an open alert's baseline ends where it began: keep some extra history for long-lived alerts
    6 * HOUR;

  const feed = createFeed(retentionMs);
  const alertStore: AlertStore | null = deps.db ? createAlertStore(deps.db) : null;
  const open = new Map<string, OpenAlert>();
  /** When each key last fired: the cooldown holds a re-fire after a quick resolve. */
  const lastFired = new Map<string, number>();
  let lastEvalAt = -Infinity;
  let lastPruneAt = -Infinity;
  let unsubscribe: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  const inflight = new Set<Promise<void>>();

  const send = (status: 'firing' | 'resolved', alert: OpenAlert) => {
    const view: AlertView = { ...alert };
    delete (view as Partial<OpenAlert>).lastNotifiedAt;
    const p = notify({ status, alert: view })
      .catch((err: unknown) => {
        log.warn({ err, key: alert.key }, 'alert notification failed');
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    const at = now();
    alert.lastNotifiedAt = at;
    if (alert.id !== null) alertStore?.markNotified(alert.id, at);
  };

  const reportOpen = () => {
    if (!deps.onOpenChange) return;
    const byRule = new Map<string, number>();
    for (const a of open.values()) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
    deps.onOpenChange(byRule);
  };

  const evaluate = () => {
    const t = now();
    lastEvalAt = t;
    feed.store.trim(t - retentionMs);
    feed.backlog.trim(t - cfg.deferrals.maxAgeHours * HOUR);
    feed.backlog.record(t);
    const opened: AlertView[] = [];
    const resolved: AlertView[] = [];
    if (!cfg.enabled) return { opened, resolved };

    const ctx: RuleContext = {
      now: t,
      config: cfg,
      store: feed.store,
      backlog: feed.backlog,
      lastSentAt: feed.lastSentAt(),
      linesSinceLastSent: feed.linesSinceLastSent(),
      open,
    };
    const findings = new Map<string, Finding>();
    for (const rule of RULES) {
      try {
        for (const f of rule(ctx)) findings.set(f.key, f);
      } catch (err) {
        log.error({ err }, 'alert rule failed');
      }
    }

    for (const f of findings.values()) {
      const current = open.get(f.key);
      if (current) {
        current.summary = f.summary;
        current.evidence = f.evidence;
        current.severity = f.severity;
        if (current.id !== null) {
          alertStore?.updateAlert(current.id, {
            summary: f.summary,
            evidence: f.evidence,
            severity: f.severity,
            at: t,
          });
        }
        continue;
      }
      const fired = lastFired.get(f.key);
      if (fired !== undefined && t - fired < cooldownMs) continue; // held by the cooldown
      const alert: OpenAlert = { ...f, id: null, openedAt: t, resolvedAt: null, lastNotifiedAt: null };
      if (alertStore) {
        try {
          alert.id = alertStore.insertAlert({
            key: f.key,
            rule: f.rule,
            subject: f.subject,
            severity: f.severity,
            summary: f.summary,
            evidence: f.evidence,
            openedAt: t,
          });
        } catch (err) {
          log.error({ err, key: f.key }, 'could not store alert');
        }
      }
      open.set(f.key, alert);
      lastFired.set(f.key, t);
      log.warn({ alert: f.key, severity: f.severity }, f.summary);
      send('firing', alert);
      opened.push({ ...alert });
    }

    for (const [key, alert] of open) {
      if (findings.has(key)) continue;
      open.delete(key);
      alert.resolvedAt = t;
      if (alert.id !== null) alertStore?.resolveAlert(alert.id, t);
      log.info({ alert: key }, 'alert resolved');
      const wantsResolved =
        config.notify.webhooks.some((w) => w.sendResolved) || (config.notify.mail?.sendResolved ?? false);
      if (wantsResolved && alert.lastNotifiedAt !== null) send('resolved', alert);
      resolved.push({ ...alert });
    }

    if (alertStore && t - lastPruneAt >= HOUR) {
      lastPruneAt = t;
      alertStore.pruneAlerts(t - cfg.keepDays * 24 * HOUR);
    }
    if (opened.length > 0 || resolved.length > 0) reportOpen();
    return { opened, resolved };
  };

  /** Rebuilds baselines from the minute rollups and restores open alerts, so a restart neither forgets nor re-notifies. */
  const restore = (db: Db) => {
    const t = now();
    const ops = createOpsQueries(db);
    feed.seed(ops.recentRollups(t - retentionMs), ops.lastSentTs());
    if (!alertStore) return;
    for (const a of alertStore.latestAlertsByKey(t - cooldownMs)) lastFired.set(a.key, a.openedAt);
    for (const a of alertStore.listOpenAlerts(1_000)) {
      open.set(a.key, {
        id: a.id,
        key: a.key,
        rule: a.rule as AlertRule,
        subject: a.subject,
        severity: a.severity,
        summary: a.summary,
        evidence: a.evidence,
        openedAt: a.openedAt,
        resolvedAt: null,
        lastNotifiedAt: a.notifiedAt,
      });
      lastFired.set(a.key, Math.max(lastFired.get(a.key) ?? 0, a.openedAt));
    }
    reportOpen();
  };

  return {
    start() {
      if (unsubscribe || !cfg.enabled) return;
      if (deps.db) {
        try {
          restore(deps.db);
        } catch (err) {
          log.error({ err }, 'could not restore alert state');
        }
      }
      unsubscribe = bus.onBatch((batch) => {
        try {
          feed.ingest(batch, now());
          if (now() - lastEvalAt >= MIN_BATCH_EVAL_MS) evaluate();
        } catch (err) {
          log.error({ err }, 'alert engine failed on a batch');
        }
      });
      timer = setInterval(() => {
        try {
          evaluate();
        } catch (err) {
          log.error({ err }, 'alert evaluation failed');
        }
      }, cfg.evaluateSeconds * 1000);
      timer.unref();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      if (timer) clearInterval(timer);
      timer = null;
    },
    evaluate,
    ingest: (batch) => feed.ingest(batch, now()),
    openAlerts: () =>
      [...open.values()].map((a) => {
        const view: AlertView = { ...a };
        delete (view as Partial<OpenAlert>).lastNotifiedAt;
        return view;
      }),
    async flush() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}
