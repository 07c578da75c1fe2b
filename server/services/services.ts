/** Every service the product answers with, over one store reader and the classifier's knowledge. */

import type { StoreReader } from '../../db/store/reader.js';
import type { TriageReader } from '../../db/store/triage.js';
import { createAlertsService, type AlertsService } from './alerts.js';
import { createDelaysService, type DelaysService } from './delays.js';
import { createDrillDownService, type DrillDownService } from './drill-down.js';
import type { Health } from './health.js';
import { createFlowsService, type FlowsService } from './flows.js';
import type { Knowledge } from './knowledge.js';
import type { OwnDomainsConfig } from './own-domains.js';
import { createOverviewService, type OverviewService } from './overview.js';
import { createReferenceService, type ReferenceService } from './reference.js';
import { createReportsService, type ReportsService } from './reports.js';
import { createTraceService, type TraceService } from './trace.js';
import { answerStoreErrors } from './store-errors.js';
import { createTriageService, type TriageService } from './triage.js';
import type { MtaMonitor } from '../mta/monitor.js';
import { createUnparsedService, type UnparsedService } from './unparsed.js';

export interface Services {
  overview: OverviewService;
  flows: FlowsService;
  drillDown: DrillDownService;
  trace: TraceService;
  reference: ReferenceService;
  unparsed: UnparsedService;
  reports: ReportsService;
  alerts: AlertsService;
  triage: TriageService;
  delays: DelaysService;
  health: Health;
}

export interface ServicesDeps {
  reader: StoreReader;
  knowledge: Knowledge;
  /** Health watches ingest, so the process that follows logs makes it (server/operations.ts). */
  health: Health;
  now: () => number;
  /** IANA zone report weeks are cut in. */
  timeZone: string;
  /** The config's own domains: which deliveries are inbound is decided from them when asked. */
  ownDomains?: OwnDomainsConfig;
  /** The live queue and blocklist state; null where nothing reads them (report). */
  monitor?: MtaMonitor | null;
  /** The store's triage facts. */
  triageReader: TriageReader;
}

export function createServices(deps: ServicesDeps): Services {
  const { knowledge, now } = deps;
  const reader = answerStoreErrors(
    deps.reader,
    (detail) => deps.health.markDamaged(detail),
    () => deps.health.recheck(),
  );
  return {
    overview: createOverviewService({ reader, knowledge, ownDomains: deps.ownDomains ?? { ownDomains: [] } }),
    flows: createFlowsService({ reader, ownDomains: deps.ownDomains ?? { ownDomains: [] } }),
    drillDown: createDrillDownService({
      reader,
      knowledge,
      ownDomains: deps.ownDomains ?? { ownDomains: [] },
    }),
    trace: createTraceService({ reader, knowledge }),
    reference: createReferenceService({ knowledge }),
    unparsed: createUnparsedService({ reader }),
    reports: createReportsService({
      reader,
      knowledge,
      now,
      timeZone: deps.timeZone,
      ownDomains: deps.ownDomains ?? { ownDomains: [] },
      triage: deps.triageReader,
      panics: () => deps.monitor?.paniclog().lines ?? [],
    }),
    alerts: createAlertsService({ reader, now }),
    delays: createDelaysService({ reader }),
    triage: createTriageService({ reader: deps.triageReader, monitor: deps.monitor ?? null }),
    health: deps.health,
  };
}
