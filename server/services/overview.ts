/** What the overview answers: totals against the previous period, the chart, top causes, domains, providers, codes. */

import type { StoreReader } from '../../db/store/reader.js';
import type {
  CauseRow,
  CausesResponse,
  CodeRow,
  CodesResponse,
  DataSpanResponse,
  HostRow,
  HostTableResponse,
  HostsResponse,
  SeriesResponse,
  SummaryResponse,
  TargetSort,
  TargetsResponse,
} from '../http/contract/overview.js';
import { describeCauseByFlow, type Knowledge } from './knowledge.js';
import { ownDomains, type OwnDomains, type OwnDomainsConfig } from './own-domains.js';
import { parseEvidence } from './alerts.js';
import { emptyCounts, isOutcome, ratesOf } from './measures.js';
import type { ResolvedRange } from './range.js';
import {
  addCounts,
  change,
  countedRows,
  isDeliveryOutcome,
  toSeries,
  toTargets,
  topCauseByKey,
} from './tables.js';

/** What a drill-down narrows the summary to. */
interface SummaryFilter {
  domain?: string;
  provider?: string;
  cause?: string;
  code?: string;
}

export interface OverviewService {
  summary(range: ResolvedRange, filter?: SummaryFilter): Promise<SummaryResponse>;
  series(range: ResolvedRange): Promise<SeriesResponse>;
  causes(range: ResolvedRange, limit: number): Promise<CausesResponse>;
  targets(
    column: 'domain' | 'provider',
    range: ResolvedRange,
    sort: TargetSort,
    limit: number,
  ): Promise<TargetsResponse>;
  codes(range: ResolvedRange, limit: number): Promise<CodesResponse>;
  hosts(range: ResolvedRange): Promise<HostsResponse>;
  /** Per-host counts, busiest first, each saying whether the host stopped sending (an open host-silent alert). */
  hostTable(range: ResolvedRange): Promise<HostTableResponse>;
  /** Where the stored data is: what a view of an empty range points to. */
  span(): Promise<DataSpanResponse>;
}

/** Most first; ties in code order, so equal counts always list the same way. */
const byCount = (a: { code: string; count: number }, b: { code: string; count: number }) =>
  b.count - a.count || a.code.localeCompare(b.code);

export function createOverviewService(deps: {
  reader: StoreReader;
  knowledge: Knowledge;
  /** The config's own domains: the domains that hurt are those we send to, never our own. */
  ownDomains?: OwnDomainsConfig;
}): OverviewService {
  const { reader, knowledge } = deps;

  const summary: OverviewService['summary'] = async (range, filter = {}) => {
    const span = range.to - range.from;
    const previous = { from: range.from - span, to: range.from };
    const f = { host: range.host, ...filter };
    const [cur, prev] = await Promise.all([
      reader.groupRollups(range, ['outcome', 'class'], f),
      reader.groupRollups(previous, ['outcome', 'class'], f),
    ]);
    const counts = addCounts(emptyCounts(), cur);
    const previousCounts = addCounts(emptyCounts(), prev);
    const rates = ratesOf(counts);
    const previousRates = ratesOf(previousCounts);
    let temporary = 0;
    let permanent = 0;
    for (const r of cur) {
      if (!isDeliveryOutcome(r.keys.outcome)) continue;
      if (r.keys.class === 'temporary') temporary += r.count;
      if (r.keys.class === 'permanent') permanent += r.count;
    }
    return {
      range,
      previous,
      counts,
      previousCounts,
      rates,
      previousRates,
      change: change(counts, previousCounts, rates, previousRates),
      temporary,
      permanent,
    };
  };

  /** Failures of mail to our own domains, per cause (rejects are not failures of deliveries). */
  const inboundFailures = async (range: ResolvedRange, own: OwnDomains) => {
    const rows = await reader.groupRollups(range, ['cause', 'domain', 'outcome', 'class'], {
      host: range.host,
    });
    const out = new Map<string, number>();
    for (const { keys, count } of rows) {
      if (keys.class === 'success' || !isDeliveryOutcome(keys.outcome) || !own.isOwn(keys.domain)) continue;
      out.set(keys.cause, (out.get(keys.cause) ?? 0) + count);
    }
    return out;
  };

  /** Failures per cause with the class split, the rejects apart, and each cause's five commonest codes. */
  const causes: OverviewService['causes'] = async (range, limit) => {
    const [rows, own] = await Promise.all([
      reader.groupRollups(range, ['cause', 'outcome', 'class', 'code'], { host: range.host }),
      ownDomains(reader, deps.ownDomains ?? { ownDomains: [] }),
    ]);
    const byCause = new Map<string, CauseRow>();
    const inboundByCause =
      own.list.length > 0 ? await inboundFailures(range, own) : new Map<string, number>();
    const codes = new Map<string, Map<string, number>>();
    for (const row of rows) {
      const { cause, outcome, class: cls, code } = row.keys;
      // Rejects are inbound (this server refusing others): never among the causes of our deliveries' failures.
      if (cause === '' || cls === 'success' || !isDeliveryOutcome(outcome)) continue;
      let c = byCause.get(cause);
      if (!c) {
        const info = knowledge.cause(cause);
        c = {
          cause,
          title: info?.title ?? cause,
          // Decided below, once the flows of its failures are known.
          action: '',
          temporary: 0,
          permanent: 0,
          rejected: 0,
          total: 0,
          codes: [],
        };
        byCause.set(cause, c);
      }
      c.total += row.count;
      if (cls === 'temporary') c.temporary += row.count;
      else if (cls === 'permanent') c.permanent += row.count;
      if (code === '') continue;
      let m = codes.get(cause);
      if (!m) codes.set(cause, (m = new Map<string, number>()));
      m.set(code, (m.get(code) ?? 0) + row.count);
    }
    for (const c of byCause.values()) {
      const inbound = inboundByCause.get(c.cause) ?? 0;
      c.action = describeCauseByFlow(knowledge, c.cause, { outbound: c.total - inbound, inbound }).action;
    }
    for (const [cause, m] of codes) {
      byCause.get(cause)!.codes = [...m]
        .map(([code, count]) => ({ code, count }))
        .sort(byCount)
        .slice(0, 5);
    }
    const list = [...byCause.values()]
      .sort((a, b) => b.total - a.total || a.cause.localeCompare(b.cause))
      .slice(0, limit);
    return { range, causes: list };
  };

  const targets: OverviewService['targets'] = async (column, range, sort, limit) => {
    const [all, own] = await Promise.all([
      reader.groupRollups(range, [column, 'outcome', 'cause'], { host: range.host }),
      column === 'domain' ? ownDomains(reader, deps.ownDomains ?? { ownDomains: [] }) : null,
    ]);
    // Our own domains receive mail (inbound): they are in the inbound delivery section, not among these.
    const rows = own ? all.filter((r) => !own.isOwn(r.keys.domain)) : all;
    const failureRows = rows.filter((row) => row.keys.outcome !== 'sent' && isOutcome(row.keys.outcome));
    const nameOf = column === 'provider' ? (k: string) => knowledge.provider(k)?.name ?? null : () => null;
    return {
      range,
      sort,
      rows: toTargets(rows, column, topCauseByKey(failureRows, column), sort, limit, nameOf),
    };
  };

  const codes: OverviewService['codes'] = async (range, limit) => {
    const rows = await reader.groupRollups(range, ['code', 'class', 'outcome'], { host: range.host });
    const byCode = new Map<string, CodeRow>();
    for (const row of countedRows(rows)) {
      const { code, class: cls } = row.keys;
      if (code === '' || cls === 'success') continue;
      let c = byCode.get(code);
      if (!c) {
        c = { code, count: 0, temporary: 0, permanent: 0, meaning: null };
        byCode.set(code, c);
      }
      c.count += row.count;
      if (cls === 'temporary') c.temporary += row.count;
      else c.permanent += row.count;
    }
    // Meanings for the rows shown only.
    const list = [...byCode.values()]
      .sort(byCount)
      .slice(0, limit)
      .map((c) => ({ ...c, meaning: knowledge.explain(c.code)?.title ?? null }));
    return { range, codes: list };
  };

  return {
    summary,
    series: async (range) => toSeries(await reader.seriesRollups(range, { host: range.host }), range),
    causes,
    targets,
    codes,
    hosts: async (range) => ({ hosts: await reader.listHosts(range) }),
    hostTable: async (range) => {
      const [rows, open] = await Promise.all([
        reader.groupRollups(range, ['host', 'outcome'], { host: range.host }),
        reader.openAlerts(1_000),
      ]);
      const silent = new Map<string, number>();
      for (const a of open) {
        if (a.rule === 'host-silent')
          silent.set(a.key.slice('host-silent:'.length), parseEvidence(a.evidence).window.from);
      }
      const byHost = new Map<string, ReturnType<typeof emptyCounts>>();
      for (const r of rows) {
        const host = r.keys.host;
        let c = byHost.get(host);
        if (!c) byHost.set(host, (c = emptyCounts()));
        if (isOutcome(r.keys.outcome)) c[r.keys.outcome] += r.count;
      }
      const table: HostRow[] = [...byHost].map(([host, c]) => ({
        host,
        ...c,
        ...ratesOf(c),
        total: c.sent + c.deferred + c.bounced + c.expired + c.rejected,
        failures: c.deferred + c.bounced + c.expired,
        silentSince: silent.get(host) ?? null,
      }));
      table.sort((a, b) => b.total - a.total || a.host.localeCompare(b.host));
      return { range, rows: table };
    },
    span: async () => {
      const [span, newestTs] = await Promise.all([reader.dataSpan(), reader.newestEventTs()]);
      return { span, newestTs };
    },
  };
}
