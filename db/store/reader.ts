/**
 * What the product asks of its store, at the level it asks it: one async interface, so that another store (PostgreSQL)
 * is a new implementation of it and nothing above db/ changes. The SQLite one is db/store/sqlite-reader.ts.
 */

import type { AlertRecord, RecentRollup } from '../sqlite/read/alerts.js';
import type { DetailKind, FailureEvent, FailureQuery } from '../sqlite/read/failures.js';
import type { StoreHealth } from '../sqlite/read/health.js';
import type { DelayCountRow, DelayQuery } from './delay-buckets.js';
import type { ExampleRow, ExpiredRecipientRow, HardBounceRow, TimeRange } from '../sqlite/read/report.js';
import type { RejectedClient, RejectedRecipient } from '../sqlite/read/inbound.js';
import type { DomainEvidence } from '../sqlite/read/own-domains.js';
import type { GroupColumn, GroupRow, RollupFilter, SeriesResult } from '../sqlite/read/rollups.js';
import type { QueueHistory, TraceAttempt, TraceField, TraceKey, TraceReject } from '../sqlite/read/trace.js';
import type { UnparsedCount, UnparsedSampleRow } from '../sqlite/read/unparsed.js';

export type {
  AlertRecord,
  DetailKind,
  ExampleRow,
  ExpiredRecipientRow,
  GroupRow,
  HardBounceRow,
  RecentRollup,
};
export type { DomainEvidence, QueueHistory, SeriesResult, StoreHealth, TimeRange };
export type { TraceAttempt, TraceField, TraceReject };

export interface StoreReader {
  // Counts: the rollups, exact to the minute.
  /** Counts over [from, to) grouped by `columns`. */
  groupRollups(range: TimeRange, columns: readonly GroupColumn[], filter?: RollupFilter): Promise<GroupRow[]>;
  /** Chart points by outcome and class, bucketed to suit the range's length. */
  seriesRollups(range: TimeRange, filter?: RollupFilter): Promise<SeriesResult>;
  /**
   * Delivered recipients by delay bucket (delay-buckets.ts) over the range's hours, per domain, per provider or in
   * all, in `step` ms slices when asked for: the median and p95 are read from these counts.
   */
  delayHistograms(range: TimeRange, q: DelayQuery): Promise<DelayCountRow[]>;
  /** Hosts seen in the range. */
  listHosts(range: TimeRange): Promise<string[]>;
  /** First and last instant the rollups cover, or null on an empty store. */
  dataSpan(): Promise<TimeRange | null>;
  /** Start of each day or hour in the range that holds any count, oldest first. */
  bucketsWithData(unit: 'day' | 'hour', range: TimeRange): Promise<number[]>;
  /** What makes each domain ours, over the whole stored history (the config decides above it). */
  ownDomainEvidence(): Promise<DomainEvidence[]>;
  /** Clients this server refused in the range (one host, or all), most refused first. */
  rejectedClients(range: TimeRange & { host: string | null }, limit: number): Promise<RejectedClient[]>;
  /** Recipients of refused mail in the range, most refused first. */
  rejectedRecipients(range: TimeRange & { host: string | null }, limit: number): Promise<RejectedRecipient[]>;

  // Failures and the replies behind them.
  /** The newest failed attempts and rejects of one drill-down, newest first. */
  recentFailures(q: FailureQuery): Promise<FailureEvent[]>;
  /** The most frequent replies of each failure cause, grouped by their shape. */
  replyGroups(range: TimeRange, perCause: number): Promise<ExampleRow[]>;
  /** Addresses that bounced hard in the range and were not delivered to since. */
  hardBouncedAddresses(range: TimeRange, limit: number): Promise<HardBounceRow[]>;
  /** Expiry events in the range (per recipient, and per message life). */
  expiredRecipients(range: TimeRange): Promise<ExpiredRecipientRow[]>;
  /** Earliest raw attempt or reject still stored (retention trims older ones). */
  firstRawTs(): Promise<number | null>;

  // Message trace.
  /** One page of the messages a search finds (newest first) and how many it finds in all. */
  findTraceKeys(
    field: TraceField,
    q: string,
    host: string | null,
    page: { limit: number; offset: number },
  ): Promise<{ keys: TraceKey[]; total: number }>;
  loadQueueHistory(key: { host: string; queueId: string }, limit: number): Promise<QueueHistory>;
  /** Queue ids of the lives re-queued from this one (a hop's `queued as`), oldest first. */
  hopChildren(key: { host: string; queueId: string }): Promise<string[]>;
  /** Rejects that never got a queue id but match a recipient or sender search. */
  findLooseRejects(field: TraceField, q: string, host: string | null, limit: number): Promise<TraceReject[]>;

  // What the logs held that was not understood.
  /** Line counters by name (read, delivery, reject, ...), store-wide. */
  lineStats(): Promise<Record<string, number>>;
  unparsedCounts(): Promise<UnparsedCount[]>;
  unparsedSamples(q: {
    program: string | null;
    limit: number;
    offset: number;
  }): Promise<{ total: number; samples: UnparsedSampleRow[] }>;
  /** Shapes of unread lines first seen in the range. */
  unparsedShapes(
    range: TimeRange,
    limit: number,
  ): Promise<{ program: string; reason: string; count: number }[]>;

  // Health and operations.
  storeHealth(): Promise<StoreHealth>;
  /** What a quick check of the store's own consistency finds (none when sound); may take a while on a large store. */
  integrityProblems(): Promise<string[]>;
  /** Proves the store takes writes (rewrites one row); rejects when it does not. */
  probeWrite(at: number): Promise<void>;
  databaseSize(): Promise<{ bytes: number; walBytes: number }>;
  newestEventTs(): Promise<number | null>;
  /** Providers by attempts since `since`, busiest first. */
  busiestProviders(since: number, limit: number): Promise<{ provider: string; count: number }[]>;

  // Alert state.
  openAlerts(limit: number): Promise<AlertRecord[]>;
  /** Alerts resolved at or after `since`, newest first. */
  resolvedAlerts(since: number, limit: number): Promise<AlertRecord[]>;
  /** The newest alert of each key opened at or after `since`. */
  latestAlertsByKey(since: number): Promise<AlertRecord[]>;
  /** Minute rollups since `since` (attempt outcomes), to rebuild alert baselines. */
  /** Minute rollups of deliveries in [since, until), or from `since` on when `until` is null. */
  recentRollups(since: number, until: number | null): Promise<RecentRollup[]>;
  /** Time of the newest successful delivery, or null. */
  lastSentTs(): Promise<number | null>;
}
