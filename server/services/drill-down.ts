/** What a drill-down answers: one domain, provider, cause or code, with its chart, breakdowns, reply texts and addresses. */

import type { DetailKind, StoreReader } from '../../db/store/reader.js';
import type { DetailResponse } from '../http/contract/detail.js';
import { CAUSES } from '../../classify/index.js';
import { HttpError } from '../http/errors.js';
import { describeCauseByFlow, isCause, type Knowledge } from './knowledge.js';
import { emptyCounts, ratesOf } from './measures.js';
import { ownDomains, type OwnDomainsConfig } from './own-domains.js';
import type { ResolvedRange } from './range.js';
import { affectedAddresses, groupDiagnostics } from './reply-groups.js';
import { domainOf } from '../../parsers/address.js';
import { addCounts, countedRows, isDeliveryOutcome, toBreakdown, toSeries } from './tables.js';

/** How many of the newest failures feed the reply groups and the address list (bounds the work per request). */
const SAMPLE_ROWS = 1000;
/** Rows per breakdown table. */
const BREAKDOWN_ROWS = 25;

interface DrillDownQuery {
  kind: DetailKind;
  key: string;
  range: ResolvedRange;
  /** Reply groups and addresses to list. */
  samples: number;
  addresses: number;
}

export interface DrillDownService {
  detail(q: DrillDownQuery): Promise<DetailResponse>;
}

export function createDrillDownService(deps: {
  reader: StoreReader;
  knowledge: Knowledge;
  ownDomains?: OwnDomainsConfig;
}): DrillDownService {
  const { reader, knowledge } = deps;
  return {
    async detail({ kind, key, range, samples, addresses }) {
      if (kind === 'cause' && !isCause(key)) {
        throw new HttpError(400, 'invalid-parameter', `key: expected one of: ${CAUSES.join(', ')}`);
      }
      const filter = { host: range.host, [kind]: key };
      const [all, series, failures, own] = await Promise.all([
        reader.groupRollups(range, ['domain', 'cause', 'code', 'class', 'outcome'], filter),
        reader.seriesRollups(range, filter),
        reader.recentFailures({
          kind,
          key,
          from: range.from,
          to: range.to,
          host: range.host,
          limit: SAMPLE_ROWS,
        }),
        ownDomains(reader, deps.ownDomains ?? { ownDomains: [] }),
      ]);
      const grouped = countedRows(all);
      const counts = addCounts(emptyCounts(), grouped);
      // Failures of deliveries by flow: mail to our own domains calls for the receiving side's action.
      const flows = { outbound: 0, inbound: 0 };
      for (const { keys, count } of grouped) {
        if (keys.class === 'success' || !isDeliveryOutcome(keys.outcome)) continue;
        flows[own.isOwn(keys.domain) ? 'inbound' : 'outbound'] += count;
      }
      return {
        kind,
        key,
        range,
        cause:
          kind === 'cause' && knowledge.cause(key) !== null
            ? describeCauseByFlow(knowledge, key, flows)
            : null,
        code: kind === 'code' ? knowledge.explain(key) : null,
        provider: kind === 'provider' ? knowledge.provider(key) : null,
        counts,
        rates: ratesOf(counts),
        series: toSeries(series, range),
        causes: toBreakdown(
          grouped,
          'cause',
          BREAKDOWN_ROWS,
          (k) => knowledge.cause(k)?.title ?? null,
          kind === 'provider' ? (k) => knowledge.providerHelp(key, k) : undefined,
        ),
        codes: toBreakdown(grouped, 'code', BREAKDOWN_ROWS, (k) => knowledge.explain(k)?.title ?? null),
        domains: toBreakdown(grouped, 'domain', BREAKDOWN_ROWS),
        sampled: failures.length,
        samples: groupDiagnostics(failures, samples),
        addresses: affectedAddresses(failures, addresses).map((a) => ({
          ...a,
          // An address of our own domains is not one to stop mailing, whatever its server said.
          hardBounce: a.hardBounce && !own.isOwn(domainOf(a.address)),
          lastCauseTitle: a.lastCause === null ? null : (knowledge.cause(a.lastCause)?.title ?? a.lastCause),
        })),
      };
    },
  };
}
