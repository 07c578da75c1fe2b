/** What follows from the state machine's transitions: the store keeps them, the notifiers are told, the log says so. */

import type { AlertWriter } from '../../db/store/alert-writer.js';
import type { Logger } from '../log.js';
import { viewOf, type OpenAlert, type Transitions } from './state.js';
import type { Notify } from './types.js';

const HOUR = 3_600_000;

export interface AlertEffects {
  /** Stores, logs and notifies one evaluation's transitions at `at`. */
  apply(changes: Transitions, at: number): void;
  /** Resolves once every store write and notification started so far has settled. */
  flush(): Promise<void>;
}

export interface AlertEffectsDeps {
  /** Without it alerts live in memory only. */
  writer: AlertWriter | null;
  notify: Notify;
  log: Logger;
  now: () => number;
  /** Whether any notifier wants to hear of resolved alerts. */
  wantsResolved: boolean;
  /** Resolved alerts are kept this long. */
  keepMs: number;
}

export function createAlertEffects(deps: AlertEffectsDeps): AlertEffects {
  const { writer, notify, log, now } = deps;
  /** Each alert being stored, with the id the store answers (null: not stored). */
  const ids = new WeakMap<OpenAlert, Promise<number | null>>();
  const inflight = new Set<Promise<unknown>>();
  let lastPruneAt = -Infinity;

  const track = (p: Promise<unknown>, what: string, key?: string): void => {
    const settled = p
      .catch((err: unknown) => log.error({ err, key }, what))
      .finally(() => inflight.delete(settled));
    inflight.add(settled);
  };
  /** Runs `write` with the alert's stored id, once the store has answered it. */
  const withId = (
    alert: OpenAlert,
    what: string,
    write: (w: AlertWriter, id: number) => Promise<unknown>,
  ) => {
    if (!writer) return;
    const id = ids.get(alert) ?? Promise.resolve(alert.id);
    track(
      id.then((n) => (n === null ? undefined : write(writer, n))),
      what,
      alert.key,
    );
  };
  /** Notifies at once, or, for an alert being stored, once it has its id (notifications carry it). */
  const send = (status: 'firing' | 'resolved', alert: OpenAlert): void => {
    const at = now();
    alert.lastNotifiedAt = at;
    const go = (): void => {
      track(notify({ status, alert: viewOf(alert) }), 'alert notification failed', alert.key);
      withId(alert, 'could not mark the alert notified', (w, id) => w.markNotified(id, at));
    };
    const stored = ids.get(alert);
    if (stored) track(stored.then(go), 'alert notification failed', alert.key);
    else go();
  };
  const store = (alert: OpenAlert, at: number): void => {
    if (!writer) return;
    const { key, rule, subject, severity, summary, evidence } = alert;
    const id = writer.insert({ key, rule, subject, severity, summary, evidence, openedAt: at }).then(
      (n) => (alert.id = n),
      (err: unknown) => {
        log.error({ err, key }, 'could not store alert');
        return null;
      },
    );
    ids.set(alert, id);
    track(id, 'could not store alert', key);
  };

  return {
    apply(changes, at) {
      for (const a of changes.opened) {
        store(a, at);
        log.warn({ alert: a.key, severity: a.severity }, a.summary);
        send('firing', a);
      }
      for (const a of changes.updated) {
        const change = { summary: a.summary, evidence: a.evidence, severity: a.severity, at };
        withId(a, 'could not update alert', (w, id) => w.update(id, change));
      }
      for (const a of changes.resolved) {
        withId(a, 'could not resolve alert', (w, id) => w.resolve(id, at));
        log.info({ alert: a.key }, 'alert resolved');
        if (deps.wantsResolved && a.lastNotifiedAt !== null) send('resolved', a);
      }
      if (writer && at - lastPruneAt >= HOUR) {
        lastPruneAt = at;
        track(writer.prune(at - deps.keepMs), 'could not prune alerts');
      }
    },
    async flush() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}
