/** The SQLite alert state: the alerts table written through better-sqlite3 behind the async AlertWriter. */

import { createAlertStore } from './read/alerts.js';
import type { AlertWriter } from '../store/alert-writer.js';
import type { Db } from './open.js';
import { settle } from './settle.js';

/** Writes at once (better-sqlite3 is synchronous) and answers settled promises. */
export function createSqliteAlertWriter(db: Db): AlertWriter {
  const store = createAlertStore(db);
  return {
    insert: (alert) => settle(() => store.insertAlert(alert)),
    update: (id, change) => settle(() => store.updateAlert(id, change)),
    resolve: (id, at) => settle(() => store.resolveAlert(id, at)),
    markNotified: (id, at) => settle(() => store.markNotified(id, at)),
    prune: (before) => settle(() => store.pruneAlerts(before)),
  };
}
