/**
 * The stage after parsing: each record goes through correlation and the classifier into attempt and reject rows,
 * and is counted. The rows wait here until the pipeline takes them for a batch.
 */

import { classifyInbound } from '../../classify/inbound.js';
import { recogniseLocalFault } from '../../classify/local-faults.js';
import type { Classification, ClassifyInput, LocalCause } from '../../classify/types.js';
import {
  ATTEMPT_HOP,
  ATTEMPT_NOTICE,
  ATTEMPT_WAIT,
  type AttemptRow,
  type FlowFacts,
  type RejectRow,
  type Tally,
} from '../../db/store/stored-rows.js';
import type {
  DeliveryRecord,
  DiscardRecord,
  MessageRecord,
  ParsedRecord,
  RejectRecord,
  WaitRecord,
} from '../../parsers/types.js';
import type { TriageFacts } from '../../db/store/triage.js';
import type { Correlator } from './correlate.js';
import { createTriageCollector } from './triage-collector.js';
import { createFlowFactCollector } from './flow-facts.js';
import { createLocalFaultJudge } from './local-faults.js';
import type { Life } from './life-table.js';
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

/**
 * A refusal our own server gave because of its own fault (its queue full, a lookup table missing, its filter
 * down), which the text alone proves; a DNS failure in a reject is about the client's names, never ours.
 */
function localRefusal(diagnostic: string): LocalCause | null {
  const signal = recogniseLocalFault({ diagnostic });
  return signal?.certain === true && signal.cause !== 'local-dns' ? signal.cause : null;
}

export interface RecordStage {
  record(rec: ParsedRecord): void;
  /** Time of the newest line with a timestamp so far (unix ms), or null. */
  newestTs(): number | null;
  /** The rows, the lines counted apart, the flow facts and the number of unparsed lines since the last take. */
  take(): {
    attempts: AttemptRow[];
    rejects: RejectRow[];
    tallies: Tally[];
    facts: FlowFacts | null;
    unparsed: number;
    triage: TriageFacts;
  };
}

export interface RecordStageDeps {
  correlator: Correlator;
  classify: ClassifyFn;
  now: () => number;
  /** Counted into as records come. */
  summary: IngestSummary;
  counters: LineCounters;
  sampler: UnparsedSampler;
  /** Content filters on other hosts, by name or IP: a hand-over to one that names the new queue id is a hop. */
  internalRelays?: readonly string[];
}

export function createRecordStage(deps: RecordStageDeps): RecordStage {
  const { correlator, classify, now, summary, counters, sampler } = deps;
  const relays = new Set((deps.internalRelays ?? []).map((r) => r.toLowerCase()));
  /** A sent line to one of our own filters on another host that queued the message again: a hop, as on loopback. */
  const toInternalRelay = (rec: DeliveryRecord | WaitRecord): boolean =>
    relays.size > 0 &&
    rec.outcome === 'sent' &&
    rec.queuedAs !== null &&
    ((rec.relayHost !== null && relays.has(rec.relayHost.toLowerCase())) ||
      (rec.relayIp !== null && relays.has(rec.relayIp)));
  let attempts: AttemptRow[] = [];
  let rejects: RejectRow[] = [];
  let tallies: Tally[] = [];
  const facts = createFlowFactCollector();
  const triage = createTriageCollector();
  const local = createLocalFaultJudge();
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

  const tally = (ts: number, host: string | null, domain: string | null, outcome: Tally['outcome']) =>
    tallies.push({ ts, host: host ?? '', domain: domain ?? '', outcome });

  /** A notification's lines count in totals and domains, never in a flow; its client says nothing of our domains. */
  const lifeFlags = (life: Life) => (life.row.notificationOf !== null ? ATTEMPT_NOTICE : 0);
  const clientFact = (life: Life, domain: string, ts: number) => {
    if (life.row.notificationOf === null) facts.client(life.row.clientIp, domain, ts);
  };

  const delivery = (given: DeliveryRecord | WaitRecord) => {
    const rec: DeliveryRecord | WaitRecord =
      given.outcome !== 'wait' && toInternalRelay(given)
        ? { ...given, flow: 'hop', localDelivery: false }
        : given;
    const ts = tsOf(rec.tsMs);
    const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
    const wait = rec.outcome === 'wait';
    const line: DeliveryRecord = wait ? { ...rec, outcome: 'deferred' } : rec;
    // An Exim retry wait takes the cause of the deferral it waits on (network, greylisted ...) rather than
    // 'unclassified'; its own reply fields stay empty, as its line has none.
    const waitedOn = correlator.recordAttempt(life, line);
    const c = waitedOn
      ? { ...classify(waitingInput(line, waitedOn)), replyCode: null, enhancedStatus: null }
      : classify(deliveryInput(line));
    const hop = line.flow === 'hop';
    if (hop) correlator.hop(life, line, ts);
    facts.delivery(rec, ts);
    clientFact(life, rec.recipientDomain, ts);
    const flags = (hop ? ATTEMPT_HOP : 0) | (wait ? ATTEMPT_WAIT : 0) | lifeFlags(life);
    const row = attemptRow(line, ts, life.row, c, flags);
    attempts.push(row);
    // A hop or a wait is not a delivery of the submitter's mail.
    if (!hop && !wait) triage.attempt(row, line);
    if (line.outcome !== 'sent') local.failure(row, waitedOn ?? line);
    else if (!hop) local.delivered(rec.recipientDomain, ts);
  };

  /**
   * A discarded recipient: counted apart. Postfix discard(8), a content filter's discard (a delivery line with a
   * relay) and Exim discards name the message's recipient.
   */
  const discard = (rec: DiscardRecord) => {
    const ts = tsOf(rec.tsMs);
    tally(ts, rec.host, rec.recipientDomain, 'discarded');
    const agent = rec.program.slice(rec.program.lastIndexOf('/') + 1);
    const delivered =
      rec.mta === 'exim' || agent === 'discard' || rec.relayHost !== null || rec.relayIp !== null;
    if (rec.queueId !== null && delivered) {
      const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
      clientFact(life, rec.recipientDomain, ts);
    }
  };

  const reject = (rec: RejectRecord) => {
    const row = rejectRow(rec, tsOf(rec.tsMs), classifyInbound(rejectInput(rec)));
    const cause = localRefusal(rec.diagnostic);
    rejects.push(cause === null ? row : { ...row, cause });
  };

  /** One `expired` attempt per recipient still undelivered, carrying its last deferral; one empty one if none is known. */
  const expired = (rec: MessageRecord, ts: number, left: ExpiredRecipient[]) => {
    counters.count('expired-messages');
    const life = correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts);
    const targets: ExpiredRecipient[] = left.length > 0 ? left : [{ recipient: '', deferral: null }];
    for (const t of targets) {
      const recipientDomain = domainOf(t.recipient) ?? '';
      const c = classify(expiredInput(t.deferral, recipientDomain));
      const row = expiredRow(rec, ts, t, recipientDomain, life.row, c, lifeFlags(life));
      attempts.push(row);
      triage.attempt(row, null);
      if (t.deferral !== null) local.failure(row, t.deferral);
    }
  };

  return {
    record(rec) {
      switch (rec.kind) {
        case 'delivery':
          // Discards are counted apart, never attempts. Waits and hops are stored for the trace, marked as what
          // they are (waits take the cause of the deferral they wait on), and counted apart.
          if (rec.outcome === 'discarded') {
            summary.ignored++;
            counters.count('discarded');
            discard(rec);
            return;
          }
          summary.recorded.delivery++;
          counters.inc(DELIVERY);
          if (rec.outcome === 'wait') counters.count('wait');
          else if (rec.flow === 'hop' || toInternalRelay(rec)) counters.count('hop');
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
          if (rec.event === 'client' || rec.event === 'received') {
            triage.message(rec, ts, correlator.lifeFor(rec.host ?? '', rec.mta, rec.queueId, ts).row);
            if (rec.saslUser !== null || rec.saslMethod !== null) facts.authenticated(rec.clientIp, ts);
            if (rec.mta === 'exim' && rec.bounceOf !== null && rec.sender === '') {
              tally(ts, rec.host, null, 'notification');
            }
          }
          return;
        }
        case 'notification': {
          summary.recorded.notification++;
          counters.inc(NOTIFICATION);
          const ts = tsOf(rec.tsMs);
          correlator.notification(rec, ts);
          tally(ts, rec.host, null, 'notification');
          return;
        }
        case 'note':
          summary.ignored++;
          counters.count(rec.kind);
          tally(tsOf(rec.tsMs), rec.host, rec.recipientDomain, 'note');
          return;
        case 'probe':
          summary.ignored++;
          counters.count(rec.kind);
          tally(tsOf(rec.tsMs), rec.host, rec.recipientDomain, 'probe');
          return;
        case 'debug':
          summary.ignored++;
          counters.count(rec.kind);
          return;
        case 'warning':
          summary.ignored++;
          counters.inc(IGNORED);
          counters.count(rec.severity);
          triage.warning(rec, tsOf(rec.tsMs));
          local.warning(rec.host ?? '', rec.text, rec.tsMs ?? lastTs);
          return;
        case 'session':
          summary.ignored++;
          counters.inc(IGNORED);
          counters.count('session');
          triage.session(rec, tsOf(rec.tsMs));
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
      const taken = { attempts, rejects, tallies, facts: facts.take(), unparsed, triage: triage.take() };
      local.batchTaken();
      attempts = [];
      rejects = [];
      tallies = [];
      unparsed = 0;
      return taken;
    },
  };
}
