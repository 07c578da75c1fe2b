/**
 * The stage after parsing: each record goes through correlation and the classifier into attempt and reject rows,
 * and is counted. The rows wait here until the pipeline takes them for a batch.
 */

import type { Classification, ClassifyInput } from '../../classify/types.js';
import type { AttemptRow, RejectRow } from '../../db/store/stored-rows.js';
import type { DeliveryRecord, MessageRecord, ParsedRecord, RejectRecord } from '../../parsers/types.js';
import type { Correlator } from './correlate.js';
import {
  DELIVERY,
  FOREIGN,
  IGNORED,
  MESSAGE,
  NOTIFICATION,
  REJECT,
  UNPARSED,
  type LineCounters,
} from './line-counters.js';
import type { IngestSummary } from './ingest-summary.js';
import { domainOf, type ExpiredRecipient } from './recipient-outcomes.js';
import {
  attemptRow,
  deliveryInput,
  expiredInput,
  expiredRow,
  rejectInput,
  rejectRow,
  waitingInput,
} from './records-to-rows.js';
import type { UnparsedSampler } from './unparsed.js';

export type ClassifyFn = (input: ClassifyInput) => Classification;

export interface RecordStage {
  record(rec: ParsedRecord): void;
  /** Time of the newest line with a timestamp so far (unix ms), or null. */
  newestTs(): number | null;
  /** The rows and the number of unparsed lines since the last take. */
  take(): { attempts: AttemptRow[]; rejects: RejectRow[]; unparsed: number };
}

export interface RecordStageDeps {
  correlator: Correlator;
  classify: ClassifyFn;
  now: () => number;
  /** Counted into as records come. */
  summary: IngestSummary;
  counters: LineCounters;
  sampler: UnparsedSampler;
}

export function createRecordStage(deps: RecordStageDeps): RecordStage {
  const { correlator, classify, now, summary, counters, sampler } = deps;
  let attempts: AttemptRow[] = [];
  let rejects: RejectRow[] = [];
  let unparsed = 0;
  let newestTs: number | null = null;
  let lastTs = 0;

  /** A record's time; one without (rare) takes the last one seen. */
  const tsOf = (tsMs: number | null): number => {
    if (tsMs !== null) {
      lastTs = tsMs;
      if (newestTs === null || tsMs > newestTs) newestTs = tsMs;
      if (summary.newestTs === null || tsMs > summary.newestTs) summary.newestTs = tsMs;
      if (summary.oldestTs === null || tsMs < summary.oldestTs) summary.oldestTs = tsMs;
      return tsMs;
    }
    return lastTs || now();
  };

  const delivery = (rec: DeliveryRecord) => {
    const ts = tsOf(rec.tsMs);
    const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
    // An Exim retry wait takes the cause of the deferral it waits on (network, greylisted ...) rather than
    // 'unclassified'; its own reply fields stay empty, as its line has none.
    const waitedOn = correlator.recordAttempt(life, rec);
    const c = waitedOn
      ? { ...classify(waitingInput(rec, waitedOn)), replyCode: null, enhancedStatus: null }
      : classify(deliveryInput(rec));
    attempts.push(attemptRow(rec, ts, life.row, c));
  };

  const reject = (rec: RejectRecord) => {
    rejects.push(rejectRow(rec, tsOf(rec.tsMs), classify(rejectInput(rec))));
  };

  /** One `expired` attempt per recipient still undelivered, carrying its last deferral; one empty one if none is known. */
  const expired = (rec: MessageRecord, ts: number, left: ExpiredRecipient[]) => {
    counters.count('expired-messages');
    const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
    const targets: ExpiredRecipient[] = left.length > 0 ? left : [{ recipient: '', deferral: null }];
    for (const t of targets) {
      const recipientDomain = domainOf(t.recipient) ?? '';
      const c = classify(expiredInput(t.deferral, recipientDomain));
      attempts.push(expiredRow(rec, ts, t, recipientDomain, life.row, c));
    }
  };

  return {
    record(rec) {
      switch (rec.kind) {
        case 'delivery':
          // Discards are counted apart, never attempts. Waits and hops stay stored as the deferrals and sends
          // they were until correlation learns them (waits take the cause of the deferral they wait on).
          if (rec.outcome === 'discarded') {
            summary.ignored++;
            counters.count('discarded');
            return;
          }
          summary.recorded.delivery++;
          counters.inc(DELIVERY);
          if (rec.outcome === 'wait') {
            counters.count('wait');
            delivery({ ...rec, outcome: 'deferred' });
            return;
          }
          if (rec.flow === 'hop') counters.count('hop');
          delivery(rec);
          return;
        case 'reject':
          summary.recorded.reject++;
          counters.inc(REJECT);
          reject(rec);
          return;
        case 'message': {
          summary.recorded.message++;
          counters.inc(MESSAGE);
          const ts = tsOf(rec.tsMs);
          const left = correlator.message(rec, ts);
          if (left !== null) expired(rec, ts, left);
          return;
        }
        case 'notification':
          summary.recorded.notification++;
          counters.inc(NOTIFICATION);
          correlator.notification(rec, tsOf(rec.tsMs));
          return;
        case 'note':
        case 'probe':
        case 'debug':
          summary.ignored++;
          counters.count(rec.kind);
          return;
        case 'warning':
          summary.ignored++;
          counters.inc(IGNORED);
          counters.count(rec.severity);
          return;
        case 'ignored':
          summary.ignored++;
          counters.inc(IGNORED);
          return;
        case 'unparsed':
          summary.unparsed++;
          unparsed++;
          counters.inc(UNPARSED);
          sampler.add(rec.program ?? rec.mta ?? 'unknown', rec.reason, rec.line, rec.tsMs);
          return;
        case 'foreign':
          summary.foreign++;
          counters.inc(FOREIGN);
          return;
      }
    },
    newestTs: () => newestTs,
    take() {
      const taken = { attempts, rejects, unparsed };
      attempts = [];
      rejects = [];
      unparsed = 0;
      return taken;
    },
  };
}
