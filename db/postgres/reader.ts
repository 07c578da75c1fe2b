/**
 * The PostgreSQL store's reader (db/store/reader.ts): the queries of db/postgres/read over a connection pool.
 * It keeps no state of its own, so any number of dashboards can serve the same store.
 */

import type pg from 'pg';
import type { StoreReader } from '../store/reader.js';
import type { TriageReader } from '../store/triage.js';
import {
  busiestProviders,
  databaseSize,
  integrityProblems,
  lastSentTs,
  latestAlertsByKey,
  lineStats,
  newestEventTs,
  openAlerts,
  ownDomainEvidence,
  probeWrite,
  recentRollups,
  resolvedAlerts,
  storeHealth,
  unparsedCounts,
  unparsedSamples,
  unparsedShapes,
} from './read/ops.js';
import {
  causeExamples,
  expiredRecipients,
  firstRawTs,
  hardBouncedAddresses,
  recentFailures,
} from './read/raw.js';
import { rejectedClients, rejectedRecipients } from './read/inbound.js';
import { delayHistograms } from './read/delays.js';
import { preparedReads, type PgReads } from './read/prepared.js';
import { bucketsWithData, dataSpan, groupRollups, listHosts, seriesRollups } from './read/rollups.js';
import { findLooseRejects, findTraceKeys, hopChildren, loadQueueHistory } from './read/trace.js';
import { senderTotals, sessionTop, sessionTotals, warningGroups } from './read/triage.js';

export function createPgReader(
  connections: pg.Pool,
  { now }: { now: () => number },
): StoreReader & TriageReader {
  // Traces and drill-downs are planned once per connection; rollup sums keep a plan made for their range.
  const prepared = preparedReads(connections);
  const pool: PgReads = connections;
  return {
    groupRollups: (range, columns, filter = {}) => groupRollups(pool, range, columns, filter, now()),
    seriesRollups: (range, filter = {}) => seriesRollups(pool, range, filter, now()),
    delayHistograms: (range, q) => delayHistograms(pool, range, q),
    listHosts: (range) => listHosts(pool, range, now()),
    dataSpan: () => dataSpan(pool),
    bucketsWithData: (unit, range) => bucketsWithData(pool, unit, range),
    ownDomainEvidence: () => ownDomainEvidence(pool),
    recentFailures: (q) => recentFailures(prepared, q),
    replyGroups: (range, perCause) => causeExamples(prepared, range, perCause),
    hardBouncedAddresses: (range, limit) => hardBouncedAddresses(prepared, range, limit),
    expiredRecipients: (range) => expiredRecipients(prepared, range),
    firstRawTs: () => firstRawTs(pool),
    findTraceKeys: (field, q, host, page) => findTraceKeys(prepared, field, q, host, page),
    loadQueueHistory: (key, limit) => loadQueueHistory(prepared, key, limit),
    hopChildren: (key) => hopChildren(prepared, key),
    findLooseRejects: (field, q, host, limit) => findLooseRejects(prepared, field, q, host, limit),
    lineStats: () => lineStats(pool),
    unparsedCounts: () => unparsedCounts(pool),
    unparsedSamples: (q) => unparsedSamples(pool, q),
    unparsedShapes: (range, limit) => unparsedShapes(pool, range, limit),
    storeHealth: () => storeHealth(pool),
    integrityProblems: () => integrityProblems(pool),
    probeWrite: (at) => probeWrite(pool, at),
    databaseSize: () => databaseSize(pool),
    newestEventTs: () => newestEventTs(pool),
    busiestProviders: (since, limit) => busiestProviders(pool, since, limit),
    openAlerts: (limit) => openAlerts(pool, limit),
    resolvedAlerts: (since, limit) => resolvedAlerts(pool, since, limit),
    latestAlertsByKey: (since) => latestAlertsByKey(pool, since),
    recentRollups: (since, until) => recentRollups(pool, since, until),
    lastSentTs: () => lastSentTs(pool),
    rejectedClients: (range, limit) => rejectedClients(pool, range, limit),
    rejectedRecipients: (range, limit) => rejectedRecipients(pool, range, limit),
    warningGroups: (range, limit) => warningGroups(pool, range, limit),
    sessionTotals: (range) => sessionTotals(pool, range),
    sessionTop: (range, event, limit) => sessionTop(pool, range, event, limit),
    senderTotals: (range, grouping, limit) => senderTotals(pool, range, grouping, limit),
  };
}
