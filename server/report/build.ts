/** Builds the report model for one period from the database: rollups for counts, raw rows for details. */

import type { Db } from '../../db/sqlite/open.js';
import {
  causeExamples,
  dataSpan,
  expiredRecipients,
  firstRawTs,
  hardBouncedAddresses,
  lineStats,
  outcomeCounts,
  reportCounts,
  unparsedByProgram,
  unparsedShapes,
  type ExpiredRecipientRow,
  type TimeRange,
} from '../../db/queries/report.js';
import {
  failuresOf,
  getOr,
  NO_CAUSE,
  ratesOf,
  tally,
  topKey,
  zeroCounts,
  type Tallies,
} from './aggregate.js';
import type { Describer } from './describe.js';
import type {
  CauseStat,
  Change,
  Completeness,
  DomainStat,
  ExpiredMessage,
  NewProblem,
  ProviderStat,
  Report,
  SeriesPoint,
} from './model.js';
import { daysOf, isoInZone, previousRange, rangeLabel, type ReportRange } from './week.js';

export interface BuildOptions {
  now: number;
  timeZone: string;
  describe: Describer;
  /** Distinct reply texts shown per cause (default 3). */
  examplesPerCause?: number;
  /** Most hard-bounced addresses listed (default 100000). */
  hardBounceLimit?: number;
}

/**
 * A domain that had no failures the period before is a new problem once it has this many (one stray deferral is
 * not), and at least this share of the period's failures: a busy server's long tail has dozens of domains with
 * a few failures every week (10M generated attempts: 15 listed with 3 to 8 failures out of 124k).
 */
const NEW_DOMAIN_MIN_FAILURES = 3;
const NEW_DOMAIN_MIN_SHARE = 0.001;
const CHANGES_LISTED = 20;

export function buildReport(db: Db, range: ReportRange, options: BuildOptions): Report {
  const { timeZone, describe } = options;
  const iso = (ms: number) => isoInZone(ms, timeZone);
  const previous = range.kind === 'all' ? null : previousRange(range, timeZone);

  const current = periodFigures(db, range);
  const before = previous ? periodFigures(db, previous) : null;
  const hadPrevious = before !== null && Object.values(before.tallies.totals).some((n) => n > 0);

  const domains = domainStats(current.tallies, before?.tallies ?? null);
  const causes = causeStats(db, range, current.tallies, before?.tallies ?? null, options);
  const limit = options.hardBounceLimit ?? 100_000;
  const hard = hardBouncedAddresses(db, range, limit + 1);

  return {
    from: iso(range.from),
    to: iso(range.to),
    label: range.label,
    dates: rangeLabel(range.from, range.to, timeZone),
    kind: range.kind,
    timeZone,
    generatedAt: iso(options.now),
    previous: previous ? { from: iso(previous.from), to: iso(previous.to), label: previous.label } : null,
    totals: current.totals,
    rates: ratesOf(current.totals),
    previousTotals: before ? before.totals : null,
    previousRates: before ? ratesOf(before.totals) : null,
    days: dailySeries(db, range, timeZone, current.expired),
    domains,
    providers: providerStats(current.tallies, before?.tallies ?? null, describe),
    causes,
    domainCauses: [...current.tallies.domainCauses]
      .flatMap(([domain, byCause]) =>
        [...byCause].map(([cause, c]) => ({
          domain,
          cause,
          ...c.byOutcome,
          temporary: c.temporary,
          permanent: c.permanent,
        })),
      )
      .sort((a, b) => a.domain.localeCompare(b.domain) || a.cause.localeCompare(b.cause)),
    codes: [...current.tallies.codes]
      .map(([code, c]) => ({ code, count: c.count, temporary: c.temporary, permanent: c.permanent }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    changes: hadPrevious ? domainChanges(domains) : [],
    newProblems: hadPrevious ? newProblems(domains, causes) : [],
    hardBounces: hard.slice(0, limit).map((h) => ({
      address: h.recipient,
      domain: h.domain,
      cause: h.cause,
      code: h.code,
      reply: h.diagnostic,
      bounces: h.bounces,
      lastSeen: iso(h.lastTs),
    })),
    hardBouncesTruncated: hard.length > limit,
    expiredMessages: current.expired.map((m) => ({ ...m, expiredAt: iso(m.ts) })).map(stripTs),
    completeness: completeness(db, range, iso),
  };
}

interface ExpiredEvent extends Omit<ExpiredMessage, 'expiredAt'> {
  ts: number;
}

function stripTs(m: ExpiredEvent & { expiredAt: string }): ExpiredMessage {
  return {
    host: m.host,
    queueId: m.queueId,
    sender: m.sender,
    expiredAt: m.expiredAt,
    recipients: m.recipients,
  };
}

function periodFigures(db: Db, range: TimeRange) {
  const tallies = tally(reportCounts(db, range));
  const expired = expiredEvents(expiredRecipients(db, range));
  // Totals count expired messages; the rollups (per domain, cause) count their undelivered recipients.
  const totals = { ...tallies.totals, expired: expired.length };
  return { tallies, totals, expired };
}

/** One event per expired message (host, queue id, time), with the recipients of its `expired` attempts. */
function expiredEvents(rows: readonly ExpiredRecipientRow[]): ExpiredEvent[] {
  const events = new Map<string, ExpiredEvent>();
  for (const row of rows) {
    const key = `${row.host}\u0000${row.queueId}\u0000${row.ts}`;
    const event = getOr(events, key, () => ({
      host: row.host,
      queueId: row.queueId,
      sender: row.sender,
      ts: row.ts,
      recipients: [],
    }));
    event.sender ??= row.sender;
    if (row.recipient === '' || event.recipients.some((r) => r.recipient === row.recipient)) continue;
    event.recipients.push({ recipient: row.recipient, cause: row.cause, reply: row.diagnostic });
  }
  return [...events.values()];
}

function dailySeries(
  db: Db,
  range: TimeRange,
  timeZone: string,
  expired: readonly ExpiredEvent[],
): SeriesPoint[] {
  return daysOf(range.from, range.to, timeZone).map((day) => {
    const point: SeriesPoint = {
      date: day.date,
      from: isoInZone(day.from, timeZone),
      ...zeroCounts(),
      temporary: 0,
      permanent: 0,
    };
    for (const row of outcomeCounts(db, day)) {
      const outcome = row.outcome as keyof typeof point;
      if (outcome === 'sent' || outcome === 'deferred' || outcome === 'bounced' || outcome === 'rejected') {
        point[outcome] += row.count;
      }
      if (row.outcome === 'deferred' || row.outcome === 'bounced' || row.outcome === 'expired') {
        if (row.class === 'permanent') point.permanent += row.count;
        else if (row.class === 'temporary') point.temporary += row.count;
      }
    }
    point.expired = expired.filter((e) => e.ts >= day.from && e.ts < day.to).length;
    return point;
  });
}

function domainStats(current: Tallies, previous: Tallies | null): DomainStat[] {
  return [...current.domains]
    .map(([domain, counts]) => {
      const before = previous?.domains.get(domain) ?? zeroCounts();
      return {
        domain,
        provider: topKey(current.domainProviders.get(domain)),
        ...counts,
        ...ratesOf(counts),
        failures: failuresOf(counts),
        previous: previous ? { ...before, ...ratesOf(before), failures: failuresOf(before) } : null,
      };
    })
    .sort((a, b) => b.failures - a.failures || b.sent - a.sent || a.domain.localeCompare(b.domain));
}

function providerStats(current: Tallies, previous: Tallies | null, describe: Describer): ProviderStat[] {
  return [...current.providers]
    .map(([provider, counts]) => {
      const before = previous?.providers.get(provider) ?? zeroCounts();
      return {
        provider,
        name: describe.provider(provider),
        ...counts,
        ...ratesOf(counts),
        failures: failuresOf(counts),
        domains: current.providerDomains.get(provider)?.size ?? 0,
        previous: previous ? { ...before, ...ratesOf(before), failures: failuresOf(before) } : null,
      };
    })
    .sort((a, b) => b.failures - a.failures || a.provider.localeCompare(b.provider));
}

function causeStats(
  db: Db,
  range: TimeRange,
  current: Tallies,
  previous: Tallies | null,
  options: BuildOptions,
): CauseStat[] {
  const examples = causeExamples(db, range, options.examplesPerCause ?? 3);
  const ids = new Set([...current.causes.keys(), ...current.rejectCauses.keys()]);
  const none = { temporary: 0, permanent: 0, byOutcome: zeroCounts(), byDomain: new Map<string, number>() };
  return [...ids]
    .map((cause) => {
      const c = current.causes.get(cause) ?? none;
      const info = options.describe.cause(cause);
      const before = previous?.causes.get(cause);
      return {
        cause,
        title: info.title,
        meaning: info.meaning,
        action: info.action,
        temporary: c.temporary,
        permanent: c.permanent,
        deferred: c.byOutcome.deferred,
        bounced: c.byOutcome.bounced,
        expired: c.byOutcome.expired,
        rejected: current.rejectCauses.get(cause)?.byOutcome.rejected ?? 0,
        total: c.temporary + c.permanent,
        previousTotal: previous ? (before ? before.temporary + before.permanent : 0) : null,
        topDomains: [...c.byDomain]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 5)
          .map(([domain, count]) => ({ domain, count })),
        examples: examples
          .filter((e) => (e.cause === '' ? NO_CAUSE : e.cause) === cause)
          .map((e) => ({
            text: e.diagnostic,
            code: e.code,
            domain: e.domain,
            count: e.count,
            lastSeen: isoInZone(e.lastTs, options.timeZone),
          })),
      };
    })
    .sort((a, b) => b.total - a.total || b.rejected - a.rejected || a.cause.localeCompare(b.cause));
}

function domainChanges(domains: readonly DomainStat[]): Change[] {
  return domains
    .filter((d) => d.previous && d.failures !== d.previous.failures)
    .map((d) => ({
      domain: d.domain,
      failures: d.failures,
      previousFailures: d.previous?.failures ?? 0,
      delta: d.failures - (d.previous?.failures ?? 0),
      bounceRate: d.bounceRate,
      previousBounceRate: d.previous?.bounceRate ?? null,
    }))
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.domain.localeCompare(b.domain))
    .slice(0, CHANGES_LISTED);
}

function newProblems(domains: readonly DomainStat[], causes: readonly CauseStat[]): NewProblem[] {
  const fresh: NewProblem[] = causes
    .filter((c) => c.total > 0 && c.previousTotal === 0)
    .map((c) => ({ kind: 'cause', id: c.cause, count: c.total }));
  const failures = domains.reduce((n, d) => n + d.failures, 0);
  const least = Math.max(NEW_DOMAIN_MIN_FAILURES, Math.ceil(failures * NEW_DOMAIN_MIN_SHARE));
  for (const d of domains) {
    if (d.domain !== '' && d.failures >= least && d.previous?.failures === 0) {
      fresh.push({ kind: 'domain', id: d.domain, count: d.failures });
    }
  }
  return fresh.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

function completeness(db: Db, range: TimeRange, iso: (ms: number) => string): Completeness {
  const stats = lineStats(db);
  const byProgram = unparsedByProgram(db);
  const unparsed = byProgram.reduce((sum, p) => sum + p.count, 0);
  const linesRead = stats['read'] ?? null;
  const span = dataSpan(db);
  const rawFrom = firstRawTs(db);
  return {
    linesRead,
    unparsed,
    unparsedByProgram: byProgram,
    unparsedShapes: unparsedShapes(db, range, 10),
    unparsedShare: linesRead ? unparsed / linesRead : null,
    dataFrom: span ? iso(span.from) : null,
    dataTo: span ? iso(span.to) : null,
    rawFrom: rawFrom === null ? null : iso(rawFrom),
    // Rollups older than the hour of the first raw row mean retention trimmed details there.
    detailsTrimmed:
      rawFrom !== null &&
      span !== null &&
      Math.max(range.from, span.from) < rawFrom - (rawFrom % 3_600_000) &&
      range.to > span.from,
  };
}
