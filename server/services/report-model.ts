/** Builds the report model of one period from the store: rollups for counts, raw rows for details. */

import type {
  ExampleRow,
  ExpiredRecipientRow,
  GroupRow,
  StoreReader,
  TimeRange,
} from '../../db/store/reader.js';
import { daysOf, isoInZone, previousRange, rangeLabel, type ReportRange } from '../report/week.js';
import { describeCauseByFlow, type Knowledge } from './knowledge.js';
import { emptyCounts, failuresOf, ratesOf } from './measures.js';
import { flowsFromRows, inboundFromRows } from './flows.js';
import { ownDomains, type OwnDomains, type OwnDomainsConfig } from './own-domains.js';
import type { TriageReader } from '../../db/store/triage.js';
import type { WarningLike } from '../mta/warning-shapes.js';
import { reportTriage } from './report-triage.js';
import { reportDelays } from './delays.js';
import { HARD_BOUNCE_LIMIT, suppressionList } from './report-addresses.js';
import { getOr, NO_CAUSE, tally, topKey, type Tallies } from './report-tally.js';
import type {
  CauseStat,
  Change,
  Completeness,
  DomainStat,
  ExpiredMessage,
  HostStat,
  NewProblem,
  ProviderStat,
  Report,
  SeriesPoint,
} from '../http/contract/report.js';

export interface BuildOptions {
  now: number;
  timeZone: string;
  knowledge: Knowledge;
  /** Distinct reply texts shown per cause (default 3). */
  examplesPerCause?: number;
  /** Most hard-bounced addresses listed (default 100000). */
  hardBounceLimit?: number;
  /** The config's own domains (default: none named, all learned from the log). */
  ownDomains?: OwnDomainsConfig;
  /** The store's triage facts, for the Senders and Server sections. */
  triage: TriageReader;
  /** Exim's paniclog lines where it was read: the range's count among the Server section's warnings. */
  panics?: readonly WarningLike[];
}

/**
 * A domain that had no failures the period before is a new problem once it has this many (one stray deferral is
 * not), and at least this share of the period's failures: a busy server's long tail has dozens of domains with
 * a few failures every week (10M generated attempts: 15 listed with 3 to 8 failures out of 124k).
 */
const NEW_DOMAIN_MIN_FAILURES = 3;
const NEW_DOMAIN_MIN_SHARE = 0.001;
const CHANGES_LISTED = 20;

export async function buildReport(
  reader: StoreReader,
  range: ReportRange,
  options: BuildOptions,
): Promise<Report> {
  const { timeZone, knowledge } = options;
  const iso = (ms: number) => isoInZone(ms, timeZone);
  const previous = range.kind === 'all' ? null : previousRange(range, timeZone);
  const limit = options.hardBounceLimit ?? HARD_BOUNCE_LIMIT;

  const [current, before, hostRows, examples, hard, own, triage, delays] = await Promise.all([
    periodFigures(reader, range),
    previous ? periodFigures(reader, previous) : null,
    // Each host's share is the current period's only: the previous one is read for its changes.
    reader.groupRollups(range, ['host', 'outcome']),
    reader.replyGroups(range, options.examplesPerCause ?? 3),
    reader.hardBouncedAddresses(range, limit + 1),
    ownDomains(reader, options.ownDomains ?? { ownDomains: [] }),
    reportTriage(options.triage, range, iso, options.panics ?? []),
    reportDelays(reader, range),
  ]);
  const hadPrevious = before !== null && Object.values(before.tallies.totals).some((n) => n > 0);

  const domains = domainStats(current.tallies, before?.tallies ?? null, own);
  const causes = causeStats(examples, current.tallies, before?.tallies ?? null, options, own);

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
    // Rates over recipients, as everywhere (the totals' expired counts messages, a different unit).
    rates: ratesOf(current.tallies.totals),
    flows: flowsFromRows(current.rows, own),
    ownDomains: own.list,
    inbound: inboundFromRows(current.rows),
    previousTotals: before ? before.totals : null,
    previousRates: before ? ratesOf(before.tallies.totals) : null,
    days: await dailySeries(reader, range, timeZone, current.expired),
    hosts: hostStats(hostRows, current.expired),
    domains,
    providers: providerStats(current.tallies, before?.tallies ?? null, knowledge),
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
    ...suppressionList(hard, own, limit, timeZone),
    expiredMessages: current.expired.map((m) => ({ ...m, expiredAt: iso(m.ts) })).map(stripTs),
    ...triage,
    delays,
    completeness: await completeness(reader, range, iso),
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

/** Rollup columns the report's tallies read. */
const REPORT_COLUMNS = ['domain', 'provider', 'outcome', 'class', 'cause', 'code'] as const;

async function periodFigures(reader: StoreReader, range: TimeRange) {
  const [rows, expiredRows] = await Promise.all([
    reader.groupRollups(range, REPORT_COLUMNS),
    reader.expiredRecipients(range),
  ]);
  const tallies = tally(rows);
  const expired = expiredEvents(expiredRows);
  // Totals count expired messages; the rollups (per domain, cause) count their undelivered recipients.
  const totals = { ...tallies.totals, expired: expired.length };
  return { rows, tallies, totals, expired };
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

async function dailySeries(
  reader: StoreReader,
  range: TimeRange,
  timeZone: string,
  expired: readonly ExpiredEvent[],
): Promise<SeriesPoint[]> {
  const days = daysOf(range.from, range.to, timeZone);
  const counts = await Promise.all(days.map((day) => reader.groupRollups(day, ['outcome', 'class'])));
  return days.map((day, i) => {
    const point: SeriesPoint = {
      date: day.date,
      from: isoInZone(day.from, timeZone),
      ...emptyCounts(),
      temporary: 0,
      permanent: 0,
    };
    for (const { keys, count } of counts[i]!) {
      const outcome = keys.outcome;
      if (outcome === 'sent' || outcome === 'deferred' || outcome === 'bounced' || outcome === 'rejected') {
        point[outcome] += count;
      }
      if (outcome === 'deferred' || outcome === 'bounced' || outcome === 'expired') {
        if (keys.class === 'permanent') point.permanent += count;
        else if (keys.class === 'temporary') point.temporary += count;
      }
    }
    point.expired = expired.filter((e) => e.ts >= day.from && e.ts < day.to).length;
    return point;
  });
}

const LOCAL_CAUSE = /^local-/;

/** Per host: its events by outcome, and its expired messages (as the totals count them); busiest first. */
function hostStats(rows: readonly GroupRow[], expired: readonly ExpiredEvent[]): HostStat[] {
  const byHost = new Map<string, HostStat>();
  const of = (host: string) =>
    getOr(byHost, host, () => ({ host, sent: 0, deferred: 0, bounced: 0, expired: 0, rejected: 0 }));
  for (const { keys, count } of rows) {
    const outcome = keys.outcome;
    if (outcome === 'sent' || outcome === 'deferred' || outcome === 'bounced' || outcome === 'rejected') {
      of(keys.host)[outcome] += count;
    }
  }
  for (const e of expired) of(e.host).expired++;
  const total = (h: HostStat) => h.sent + h.deferred + h.bounced + h.expired + h.rejected;
  return [...byHost.values()].sort((a, b) => total(b) - total(a) || a.host.localeCompare(b.host));
}

function domainStats(current: Tallies, previous: Tallies | null, own: OwnDomains): DomainStat[] {
  return [...current.domains]
    .map(([domain, counts]) => {
      const before = previous?.domains.get(domain) ?? emptyCounts();
      return {
        domain,
        direction: own.isOwn(domain) ? ('inbound' as const) : ('outbound' as const),
        provider: topKey(current.domainProviders.get(domain)),
        ...counts,
        ...ratesOf(counts),
        failures: failuresOf(counts),
        previous: previous ? { ...before, ...ratesOf(before), failures: failuresOf(before) } : null,
      };
    })
    .sort((a, b) => b.failures - a.failures || b.sent - a.sent || a.domain.localeCompare(b.domain));
}

function providerStats(current: Tallies, previous: Tallies | null, knowledge: Knowledge): ProviderStat[] {
  return [...current.providers]
    .map(([provider, counts]) => {
      const before = previous?.providers.get(provider) ?? emptyCounts();
      return {
        provider,
        name: knowledge.provider(provider)?.name ?? provider,
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
  examples: readonly ExampleRow[],
  current: Tallies,
  previous: Tallies | null,
  options: BuildOptions,
  own: OwnDomains,
): CauseStat[] {
  // Rejects are inbound (this server refusing others): they have their own causes, never these.
  const ids = new Set(current.causes.keys());
  const none = { temporary: 0, permanent: 0, byOutcome: emptyCounts(), byDomain: new Map<string, number>() };
  return [...ids]
    .map((cause) => {
      const c = current.causes.get(cause) ?? none;
      let inbound = 0;
      for (const [domain, n] of c.byDomain) if (own.isOwn(domain)) inbound += n;
      const total = c.temporary + c.permanent;
      const info = describeCauseByFlow(options.knowledge, cause, { outbound: total - inbound, inbound });
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
        local: LOCAL_CAUSE.test(cause),
        total,
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
    .sort((a, b) => b.total - a.total || a.cause.localeCompare(b.cause));
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

async function completeness(
  reader: StoreReader,
  range: TimeRange,
  iso: (ms: number) => string,
): Promise<Completeness> {
  const [stats, counts, shapes, span, rawFrom] = await Promise.all([
    reader.lineStats(),
    reader.unparsedCounts(),
    reader.unparsedShapes(range, 10),
    reader.dataSpan(),
    reader.firstRawTs(),
  ]);
  const byProgram = counts.filter((c) => c.count > 0);
  const unparsed = byProgram.reduce((sum, p) => sum + p.count, 0);
  const linesRead = stats['read'] ?? null;
  return {
    linesRead,
    unparsed,
    unparsedByProgram: byProgram,
    unparsedShapes: shapes,
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
