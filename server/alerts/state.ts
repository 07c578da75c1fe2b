/**
 * The alert state machine, apart from timers, storage and notifiers: which alerts are open, and what one evaluation's
 * findings do to them (open, update, hold by cooldown, resolve).
 */

import type { AlertView, Finding } from './types.js';

export interface OpenAlert extends AlertView {
  /** When the firing notification went out (null: never), so that a resolve is announced only after one. */
  lastNotifiedAt: number | null;
}

export interface AlertState {
  open: Map<string, OpenAlert>;
  /** When each key last fired: the cooldown holds a re-fire after a quick resolve. */
  lastFired: Map<string, number>;
}

export const createAlertState = (): AlertState => ({ open: new Map(), lastFired: new Map() });

export interface Transitions {
  opened: OpenAlert[];
  /** Still open, with this evaluation's summary, evidence and severity. */
  updated: OpenAlert[];
  resolved: OpenAlert[];
}

/**
 * One evaluation's findings applied at `at`: a finding for an open key updates it, a new key opens unless it fired
 * within `cooldownMs`, and an open key without a finding resolves.
 */
export function applyFindings(
  state: AlertState,
  findings: ReadonlyMap<string, Finding>,
  at: number,
  cooldownMs: number,
): Transitions {
  const out: Transitions = { opened: [], updated: [], resolved: [] };
  for (const f of findings.values()) {
    const current = state.open.get(f.key);
    if (current) {
      current.summary = f.summary;
      current.evidence = f.evidence;
      current.severity = f.severity;
      out.updated.push(current);
      continue;
    }
    const fired = state.lastFired.get(f.key);
    if (fired !== undefined && at - fired < cooldownMs) continue;
    const alert: OpenAlert = { ...f, id: null, openedAt: at, resolvedAt: null, lastNotifiedAt: null };
    state.open.set(f.key, alert);
    state.lastFired.set(f.key, at);
    out.opened.push(alert);
  }
  for (const [key, alert] of state.open) {
    if (findings.has(key)) continue;
    state.open.delete(key);
    alert.resolvedAt = at;
    out.resolved.push(alert);
  }
  return out;
}

/** Takes back an alert that was open when the process stopped; its key counts as fired when it opened. */
export function restoreOpen(state: AlertState, alert: OpenAlert): void {
  state.open.set(alert.key, alert);
  state.lastFired.set(alert.key, Math.max(state.lastFired.get(alert.key) ?? 0, alert.openedAt));
}

/** Open alerts per rule (the metrics gauge). */
export function openByRule(state: AlertState): Map<string, number> {
  const byRule = new Map<string, number>();
  for (const a of state.open.values()) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
  return byRule;
}

/** An alert as notifiers and callers see it, without the engine's bookkeeping. */
export function viewOf(alert: OpenAlert): AlertView {
  const { id, key, rule, subject, severity, summary, evidence, openedAt, resolvedAt } = alert;
  return { id, key, rule, subject, severity, summary, evidence, openedAt, resolvedAt };
}
