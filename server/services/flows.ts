/**
 * Deliveries by flow (design, Counting): outbound to domains that are not ours, inbound to ours, decided now
 * from the own domains (never stored); a notification's deliveries in neither flow; the lines counted apart.
 * The overview, the report, the alerts and the metrics read the flows here.
 */

import type { GroupRow, StoreReader } from '../../db/store/reader.js';
import type { Flows, InboundStats } from '../http/contract/report.js';
import type { ResolvedRange } from './range.js';
import { inboundCauses } from './inbound.js';
import { isOutcome } from './measures.js';
import { ownDomains, type OwnDomains, type OwnDomainsConfig } from './own-domains.js';

const KEYS = ['sent', 'deferred', 'bounced', 'expired'] as const;
type Key = (typeof KEYS)[number];
const isKey = (o: string): o is Key => (KEYS as readonly string[]).includes(o);
const NOTICE = 'notice-';
const LOCAL_CAUSE = /^local-/;

/** Flows from rollup rows grouped by at least domain, outcome, class and cause. */
export function flowsFromRows(rows: readonly GroupRow[], own: OwnDomains): Flows {
  const flow = () => ({ sent: 0, deferred: 0, bounced: 0, expired: 0 });
  const flows: Flows = {
    outbound: flow(),
    inbound: flow(),
    notifications: 0,
    notificationDeliveries: flow(),
    hops: 0,
    waits: 0,
    discarded: 0,
    probes: 0,
    notes: 0,
    local: 0,
  };
  const apart: Record<string, 'notifications' | 'hops' | 'waits' | 'discarded' | 'probes' | 'notes'> = {
    notification: 'notifications',
    hop: 'hops',
    wait: 'waits',
    discarded: 'discarded',
    probe: 'probes',
    note: 'notes',
  };
  for (const { keys, count } of rows) {
    const outcome = keys.outcome;
    if (isKey(outcome)) {
      flows[own.isOwn(keys.domain) ? 'inbound' : 'outbound'][outcome] += count;
      if (outcome !== 'sent' && keys.class !== 'success' && LOCAL_CAUSE.test(keys.cause))
        flows.local += count;
      continue;
    }
    if (outcome.startsWith(NOTICE)) {
      const of = outcome.slice(NOTICE.length);
      if (!isKey(of)) continue;
      // Counted once more under notice-<outcome>: taken back out of its flow.
      flows[own.isOwn(keys.domain) ? 'inbound' : 'outbound'][of] -= count;
      flows.notificationDeliveries[of] += count;
      continue;
    }
    const name = apart[outcome];
    if (name !== undefined) flows[name] += count;
  }
  return flows;
}

/** What this server refused, by inbound cause, from rollup rows grouped by at least outcome and cause. */
export function inboundFromRows(rows: readonly GroupRow[]): InboundStats {
  const byCause = new Map<string, number>();
  let rejected = 0;
  for (const { keys, count } of rows) {
    if (keys.outcome !== 'rejected' || !isOutcome(keys.outcome)) continue;
    rejected += count;
    byCause.set(keys.cause, (byCause.get(keys.cause) ?? 0) + count);
  }
  return { rejected, causes: inboundCauses(byCause) };
}

export interface FlowsService {
  flows(
    range: ResolvedRange,
  ): Promise<{ range: ResolvedRange; flows: Flows; ownDomains: OwnDomains['list'] }>;
  inbound(
    range: ResolvedRange,
    limit: number,
  ): Promise<
    InboundStats & {
      range: ResolvedRange;
      clients: Awaited<ReturnType<StoreReader['rejectedClients']>>;
      recipients: Awaited<ReturnType<StoreReader['rejectedRecipients']>>;
    }
  >;
}

export function createFlowsService(deps: {
  reader: StoreReader;
  ownDomains: OwnDomainsConfig;
}): FlowsService {
  const { reader } = deps;
  return {
    async flows(range) {
      const [rows, own] = await Promise.all([
        reader.groupRollups(range, ['domain', 'outcome', 'class', 'cause'], { host: range.host }),
        ownDomains(reader, deps.ownDomains),
      ]);
      return { range, flows: flowsFromRows(rows, own), ownDomains: own.list };
    },
    async inbound(range, limit) {
      const [rows, clients, recipients] = await Promise.all([
        reader.groupRollups(range, ['outcome', 'cause'], { host: range.host }),
        reader.rejectedClients(range, limit),
        reader.rejectedRecipients(range, limit),
      ]);
      return { range, ...inboundFromRows(rows), clients, recipients };
    },
  };
}
