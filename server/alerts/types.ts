/** Shapes shared by the alert rules, the engine and the notifiers. */

import type { AlertEvidence, AlertRule, AlertSeverity } from '../http/contract/alerts.js';

/** A condition a rule found true at this evaluation. */
export interface Finding {
  /** Identity for deduplication: one open alert per key. */
  key: string;
  rule: AlertRule;
  /** What the alert is about, for people: `domain example.com`, `provider microsoft`, `all mail`. */
  subject: string;
  severity: AlertSeverity;
  summary: string;
  evidence: AlertEvidence;
}

/** An alert as notifiers and the API see it. */
export interface AlertView extends Finding {
  id: number | null;
  openedAt: number;
  resolvedAt: number | null;
}

export interface AlertNotification {
  status: 'firing' | 'resolved';
  alert: AlertView;
}

/** Sends a notification to every configured target; never rejects. */
export type Notify = (notification: AlertNotification) => Promise<void>;
