/** The SQLite store's reader: the synchronous better-sqlite3 queries of db/sqlite/read behind the async StoreReader. */

import { createAlertStore, createOpsQueries } from './read/alerts.js';
import type { Db } from './open.js';
import { checkIntegrity } from './integrity.js';
import { settle } from './settle.js';
import { recentFailures } from './read/failures.js';
import { storeHealth } from './read/health.js';
import {
  bucketsWithData,
  causeExamples,
  dataSpan,
  expiredRecipients,
  firstRawTs,
  hardBouncedAddresses,
  lineStats,
  unparsedShapes,
} from './read/report.js';
import { rejectedClients, rejectedRecipients } from './read/inbound.js';
import { ownDomainEvidence } from './read/own-domains.js';
import { delayHistograms } from './read/delays.js';
import { groupRollups, listHosts, seriesRollups } from './read/rollups.js';
import { findLooseRejects, findTraceKeys, loadQueueHistory } from './read/trace.js';
import { senderTotals, sessionTop, sessionTotals, warningGroups } from './read/triage.js';
import { hopChildren } from './read/hops.js';
import { unparsedCounts, unparsedSamples } from './read/unparsed.js';
import type { StoreReader } from '../store/reader.js';
import type { TriageReader } from '../store/triage.js';

export interface SqliteReaderOptions {
  /** The clock: which minutes the minute rollups still hold, and which memoised time is closed. */
  now: () => number;
}

/**
 * Each method runs its query at once and answers a settled promise: better-sqlite3 is synchronous, and a
 * query's cost is the same either way.
 */
/**
 * The health probe's write waits at most 20 ms for another writer (a follower in another process): a database
 * busy being written takes writes, and a probe must never hold the event loop for the full busy timeout.
 */
function probeWrite(db: Db, write: () => void): void {
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 20');
  try {
    write();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

export function createSqliteReader(db: Db, { now }: SqliteReaderOptions): StoreReader & TriageReader {
  const alerts = createAlertStore(db);
  const ops = createOpsQueries(db);
  return {
    groupRollups: (range, columns, filter = {}) =>
      settle(() => groupRollups(db, range, columns, filter, now())),
    seriesRollups: (range, filter = {}) => settle(() => seriesRollups(db, range, filter, now())),
    delayHistograms: (range, q) => settle(() => delayHistograms(db, range, q)),
    listHosts: (range) => settle(() => listHosts(db, range, now())),
    dataSpan: () => settle(() => dataSpan(db)),
    bucketsWithData: (unit, range) => settle(() => bucketsWithData(db, unit, range)),
    ownDomainEvidence: () => settle(() => ownDomainEvidence(db)),
    rejectedClients: (range, limit) => settle(() => rejectedClients(db, range, limit)),
    rejectedRecipients: (range, limit) => settle(() => rejectedRecipients(db, range, limit)),
    recentFailures: (q) => settle(() => recentFailures(db, q)),
    replyGroups: (range, perCause) => settle(() => causeExamples(db, range, perCause)),
    hardBouncedAddresses: (range, limit) => settle(() => hardBouncedAddresses(db, range, limit)),
    expiredRecipients: (range) => settle(() => expiredRecipients(db, range)),
    firstRawTs: () => settle(() => firstRawTs(db)),
    findTraceKeys: (field, q, host, page) => settle(() => findTraceKeys(db, field, q, host, page)),
    loadQueueHistory: (key, limit) => settle(() => loadQueueHistory(db, key, limit)),
    hopChildren: (key) => settle(() => hopChildren(db, key)),
    findLooseRejects: (field, q, host, limit) => settle(() => findLooseRejects(db, field, q, host, limit)),
    lineStats: () => settle(() => lineStats(db)),
    unparsedCounts: () => settle(() => unparsedCounts(db)),
    unparsedSamples: (q) => settle(() => unparsedSamples(db, q)),
    unparsedShapes: (range, limit) => settle(() => unparsedShapes(db, range, limit)),
    storeHealth: () => settle(() => storeHealth(db)),
    integrityProblems: () => settle(() => checkIntegrity(db)),
    probeWrite: (at) => settle(() => probeWrite(db, () => ops.touchHeartbeat(at))),
    databaseSize: () => settle(() => ops.databaseSize()),
    newestEventTs: () => settle(() => ops.newestEventTs()),
    busiestProviders: (since, limit) => settle(() => ops.busiestProviders(since, limit)),
    openAlerts: (limit) => settle(() => alerts.listOpenAlerts(limit)),
    resolvedAlerts: (since, limit) => settle(() => alerts.listResolvedAlerts(since, limit)),
    latestAlertsByKey: (since) => settle(() => alerts.latestAlertsByKey(since)),
    recentRollups: (since, until) => settle(() => ops.recentRollups(since, until)),
    warningGroups: (range, limit) => settle(() => warningGroups(db, range, limit)),
    sessionTotals: (range) => settle(() => sessionTotals(db, range)),
    sessionTop: (range, event, limit) => settle(() => sessionTop(db, range, event, limit)),
    senderTotals: (range, grouping, limit) => settle(() => senderTotals(db, range, grouping, limit)),
    lastSentTs: () => settle(() => ops.lastSentTs()),
  };
}
