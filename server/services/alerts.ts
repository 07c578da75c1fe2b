/** What the alerts panel answers: the open alerts and those resolved recently, each with its evidence. */

import type { AlertRecord, StoreReader } from '../../db/store/reader.js';
import {
  alertEvidenceSchema,
  type AlertEvidence,
  type AlertItem,
  type AlertsResponse,
} from '../http/contract/alerts.js';

const HOUR = 3_600_000;

interface AlertsQuery {
  state: 'open' | 'resolved' | 'all';
  /** How far back "recent" reaches. */
  hours: number;
  limit: number;
}

export interface AlertsService {
  list(q: AlertsQuery): Promise<AlertsResponse>;
}

const NO_EVIDENCE: AlertEvidence = {
  window: { from: 0, to: 0 },
  counts: {},
  causes: [],
  examples: [],
  action: '',
};

/** Stored evidence as the contract shapes it; what an older version stored differently reads as none. */
export function parseEvidence(text: string): AlertEvidence {
  try {
    const parsed = alertEvidenceSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : NO_EVIDENCE;
  } catch {
    return NO_EVIDENCE;
  }
}

const toAlertItem = (r: AlertRecord): AlertItem => ({ ...r, evidence: parseEvidence(r.evidence) });

export function createAlertsService(deps: { reader: StoreReader; now: () => number }): AlertsService {
  const { reader, now } = deps;
  return {
    async list(q) {
      const t = now();
      const [open, recent] = await Promise.all([
        q.state === 'resolved' ? [] : reader.openAlerts(q.limit),
        q.state === 'open' ? [] : reader.resolvedAlerts(t - q.hours * HOUR, q.limit),
      ]);
      return { now: t, open: open.map(toAlertItem), recent: recent.map(toAlertItem) };
    },
  };
}
