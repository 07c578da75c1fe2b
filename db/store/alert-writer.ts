/** The alert state the alert engine keeps: opened, updated, resolved, notified and pruned alerts. */

import type { AlertSeverity, NewAlert } from '../sqlite/read/alerts.js';

export interface AlertWriter {
  /** Stores a new open alert; answers its id. */
  insert(alert: NewAlert): Promise<number>;
  update(
    id: number,
    change: { summary: string; evidence: unknown; severity: AlertSeverity; at: number },
  ): Promise<void>;
  resolve(id: number, at: number): Promise<void>;
  markNotified(id: number, at: number): Promise<void>;
  /** Deletes alerts resolved before `before`; answers how many. */
  prune(before: number): Promise<number>;
}
