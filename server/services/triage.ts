/** What the Server and Senders views answer: the store's triage facts over a range, with the monitor's live queue and blocklist state. */

import type { SenderGrouping, SenderRow, SessionCountRow, TriageReader } from '../../db/store/triage.js';
import type { RangeInfo } from '../http/contract/common.js';
import type { Sender, SendersResponse, ServerResponse } from '../http/contract/triage.js';
import type { MtaMonitor, QueueState } from '../mta/monitor.js';
import {
  groupWarnings,
  type WarningGroup,
  type WarningLike,
  type WarningTopic,
} from '../mta/warning-shapes.js';
import { withoutPanicCopies } from '../mta/panic-copies.js';
import { senderRates, tlsShare } from './measures.js';

export interface TriageService {
  server(range: RangeInfo, limit: number): Promise<ServerResponse>;
  senders(range: RangeInfo, by: SenderGrouping, limit: number): Promise<SendersResponse>;
}

const TOPICS: readonly WarningTopic[] = ['disk', 'tls', 'dns', 'config', 'crash', 'sasl', 'client', 'other'];
const asTopic = (t: string): WarningTopic => TOPICS.find((x) => x === t) ?? 'other';

function queueInfo(state: QueueState): ServerResponse['queue'] {
  const empty = {
    mta: null,
    readAt: null,
    messages: null,
    bytes: null,
    oldestAgeSeconds: null,
    deferred: null,
    held: null,
  };
  if (state.status === 'off') return { status: 'off', message: null, ...empty, deferredByDomain: [] };
  if (state.status !== 'ok')
    return {
      status: state.status,
      message: state.message,
      ...empty,
      readAt: state.readAt,
      deferredByDomain: [],
    };
  const q = state.snapshot;
  return {
    status: 'ok',
    message: null,
    mta: q.mta,
    readAt: q.readAt,
    messages: q.messages,
    bytes: q.bytes,
    oldestAgeSeconds: q.oldestAgeSeconds,
    deferred: q.deferred,
    held: q.held,
    deferredByDomain: q.deferredByDomain,
  };
}

export function senderOf(r: SenderRow): Sender {
  return {
    saslUser: r.saslUser,
    sender: r.sender,
    clientIps: r.clientIps,
    messages: r.messages,
    recipients: r.recipients,
    bytes: r.bytes,
    sent: r.sent,
    deferred: r.deferred,
    bounced: r.bounced,
    ...senderRates(r),
  };
}

/**
 * The store's warning groups with the paniclog's panics of the range grouped beside them, most frequent first: what
 * the Server view and the report's Server section list. A panic's copy in the main log is taken out of its group, so
 * the event counts once, as a panic.
 */
export function withPanics(
  stored: readonly (Omit<WarningGroup, 'topic'> & { topic: string })[],
  panics: readonly WarningLike[],
  range: { from: number; to: number },
  limit: number,
): WarningGroup[] {
  const inRange = panics.filter((l) => l.ts >= range.from && l.ts < range.to);
  const copiesOut = withoutPanicCopies(stored, (w) => w.text, inRange);
  return [...copiesOut.map((w) => ({ ...w, topic: asTopic(w.topic) })), ...groupWarnings(inRange)]
    .sort((a, b) => b.count - a.count || b.last - a.last)
    .slice(0, limit);
}

const keys = (rows: SessionCountRow[]) => rows.map(({ key, count }) => ({ key, count }));

export function createTriageService(deps: {
  reader: TriageReader;
  monitor: MtaMonitor | null;
}): TriageService {
  const { reader, monitor } = deps;
  return {
    async server(range, limit) {
      const [warnings, totals, authIp, authUser, tlsIn, tlsOut, failIn, failOut, plain, tlsDomains, caught] =
        await Promise.all([
          reader.warningGroups(range, limit),
          reader.sessionTotals(range),
          reader.sessionTop(range, 'auth-ip', 20),
          reader.sessionTop(range, 'auth-user', 20),
          reader.sessionTop(range, 'tls-in', 20),
          reader.sessionTop(range, 'tls-out', 20),
          reader.sessionTop(range, 'tls-failed-in', 20),
          reader.sessionTop(range, 'tls-failed-out', 20),
          reader.sessionTop(range, 'plain-domain', 20),
          reader.sessionTop(range, 'tls-domain', 500),
          reader.sessionTop(range, 'pregreet', 20),
        ]);
      const side = (rows: SessionCountRow[], failures: SessionCountRow[]) => {
        const sessions = rows.reduce((n, r) => n + r.count, 0);
        const tls = rows.reduce((n, r) => n + (r.key === '' ? 0 : r.count), 0);
        return {
          sessions,
          tls,
          share: tlsShare(tls, sessions),
          protocols: rows.filter((r) => r.key !== '').map((r) => ({ protocol: r.key, count: r.count })),
          failures: keys(failures),
        };
      };
      const tlsByDomain = new Map(tlsDomains.map((r) => [r.key, r.count]));
      const lists = monitor?.blocklists() ?? { enabled: false, checkedAt: null, ips: [], results: [] };
      const panics = monitor?.paniclog() ?? {
        status: 'off',
        path: null,
        readAt: null,
        message: null,
        lines: [],
      };
      return {
        range,
        warnings: withPanics(warnings, panics.lines, range, limit),
        paniclog: {
          status: panics.status,
          path: panics.path,
          readAt: panics.readAt,
          message: panics.message,
        },
        queue: queueInfo(monitor?.queue() ?? { status: 'off' }),
        tls: {
          inbound: side(tlsIn, failIn),
          outbound: side(tlsOut, failOut),
          plainDomains: plain.map((r) => ({
            domain: r.key,
            plain: r.count,
            tls: tlsByDomain.get(r.key) ?? 0,
          })),
        },
        inbound: {
          authFailures: totals['auth-ip'] ?? 0,
          authByIp: keys(authIp),
          authByUser: keys(authUser),
          postscreen: {
            pregreet: totals.pregreet ?? 0,
            dnsblRank: totals['dnsbl-rank'] ?? 0,
            hangup: totals.hangup ?? 0,
            pipelining: totals.pipelining ?? 0,
          },
          postscreenClients: keys(caught),
        },
        blocklists: {
          enabled: lists.enabled,
          checkedAt: lists.checkedAt,
          ips: lists.ips,
          results: lists.results,
        },
      };
    },
    async senders(range, by, limit) {
      const rows = await reader.senderTotals(range, by, limit);
      return { range, by, senders: rows.map(senderOf) };
    },
  };
}
