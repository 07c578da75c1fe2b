/** The weekly report's Senders and Server sections, from the store's hourly triage facts. */

import type { SessionCountRow, TriageReader } from '../../db/store/triage.js';
import type { TimeRange } from '../../db/store/reader.js';
import type { Sender } from '../http/contract/triage.js';
import type { ReportServer } from '../http/contract/report-triage.js';
import type { Report } from '../http/contract/report.js';
import type { WarningGroup, WarningLike } from '../mta/warning-shapes.js';
import { senderOf, withPanics } from './triage.js';
import { tlsShare } from './measures.js';

const LISTED = 50;
const TOP_KEYS = 20;

const keys = (rows: SessionCountRow[]) => rows.map(({ key, count }) => ({ key, count }));

function tlsSide(rows: SessionCountRow[]) {
  const sessions = rows.reduce((n, r) => n + r.count, 0);
  const tls = rows.reduce((n, r) => n + (r.key === '' ? 0 : r.count), 0);
  return { sessions, tls, share: tlsShare(tls, sessions) };
}

/**
 * The Senders and Server sections. `panics` are Exim's paniclog lines where it was read: those of the range count
 * among the warnings, as panics.
 */
export async function reportTriage(
  reader: TriageReader,
  range: TimeRange,
  iso: (ms: number) => string,
  panics: readonly WarningLike[] = [],
): Promise<Pick<Report, 'senders' | 'senderIps' | 'server'>> {
  const isoTimes = (w: WarningGroup) => ({ ...w, first: iso(w.first), last: iso(w.last) });
  const [submitters, ips, warnings, totals, authIp, authUser, tlsIn, tlsOut] = await Promise.all([
    reader.senderTotals(range, 'submitter', LISTED),
    reader.senderTotals(range, 'ip', LISTED),
    reader.warningGroups(range, LISTED),
    reader.sessionTotals(range),
    reader.sessionTop(range, 'auth-ip', TOP_KEYS),
    reader.sessionTop(range, 'auth-user', TOP_KEYS),
    reader.sessionTop(range, 'tls-in', TOP_KEYS),
    reader.sessionTop(range, 'tls-out', TOP_KEYS),
  ]);
  const server: ReportServer = {
    warnings: withPanics(warnings, panics, range, LISTED).map(isoTimes),
    volume: {
      received: { messages: totals.received ?? 0, bytes: totals['received-bytes'] ?? 0 },
      delivered: { recipients: totals.delivered ?? 0, bytes: totals['delivered-bytes'] ?? 0 },
    },
    auth: { failures: totals['auth-ip'] ?? 0, byIp: keys(authIp), byUser: keys(authUser) },
    tls: { inbound: tlsSide(tlsIn), outbound: tlsSide(tlsOut) },
  };
  const senders: Sender[] = submitters.map(senderOf);
  return { senders, senderIps: ips.map(senderOf), server };
}
