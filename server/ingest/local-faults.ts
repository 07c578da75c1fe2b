/**
 * Whose fault a failure is, decided at ingest (design, Counting: whose fault): the classifier's pure shapes of
 * this server's own faults, confirmed where a shape needs it by what else the log shows nearby: mail to the same
 * domain that went through (then a DNS or routing failure for it was our resolver's or router's), or this
 * server's own warning about disk space (then a full-storage reply was about our disk). State is bounded.
 */

import { recogniseLocalFault, type LocalFaultInput } from '../../classify/local-faults.js';
import type { AttemptRow } from '../../db/store/stored-rows.js';

/** How near in log time the confirming line must be, before or after. */
export const LOCAL_FAULT_WINDOW_MS = 60 * 60_000;
/** Domains remembered with their last delivery; the oldest leave first. */
const MAX_DOMAINS = 50_000;

export interface LocalFaultJudge {
  /**
   * A failed attempt (or expiry) and the reply it failed with: its row takes the local cause when the reply
   * shows one of our own faults, at once when the text proves it, else when a confirming line is near (one
   * that comes later, while the row still waits for its batch, confirms it then).
   */
  failure(row: AttemptRow, reply: LocalFaultInput): void;
  /** Mail to `domain` went through at `ts`. */
  delivered(domain: string, ts: number): void;
  /** A warning line of `host`: our own warning about disk or queue space confirms full-storage replies. */
  warning(host: string, text: string, ts: number): void;
  /** The rows waiting for confirmation leave with their batch: later lines can no longer change them. */
  batchTaken(): void;
}

type Waiting = { row: AttemptRow; cause: AttemptRow['cause'] }[];

const near = (a: number, b: number) => Math.abs(a - b) <= LOCAL_FAULT_WINDOW_MS;

function makeLocal(row: AttemptRow, cause: string): void {
  row.cause = cause;
  // Our own fault says nothing about the recipient: never a dead address.
  row.hardBounce = false;
}

export function createLocalFaultJudge(): LocalFaultJudge {
  const lastDelivered = new Map<string, number>();
  const lastDiskWarning = new Map<string, number>();
  const byDomain = new Map<string, Waiting>();
  const byHost = new Map<string, Waiting>();

  const wait = (map: Map<string, Waiting>, key: string, row: AttemptRow, cause: string) => {
    const list = map.get(key);
    if (list) list.push({ row, cause });
    else map.set(key, [{ row, cause }]);
  };

  /** Confirms the waiting rows of `key` near `ts`; the others keep waiting. */
  const confirm = (map: Map<string, Waiting>, key: string, ts: number) => {
    const list = map.get(key);
    if (!list) return;
    const rest = list.filter((w) => {
      if (!near(w.row.ts, ts) || w.cause === null) return true;
      makeLocal(w.row, w.cause);
      return false;
    });
    if (rest.length === 0) map.delete(key);
    else map.set(key, rest);
  };

  return {
    failure(row, reply) {
      const signal = recogniseLocalFault(reply);
      if (signal === null) return;
      if (signal.certain) {
        makeLocal(row, signal.cause);
        return;
      }
      // Where the confirming fact was seen already, it decides now; otherwise the row waits for it.
      const [map, key, at] =
        signal.confirmWith === 'domain-delivered-in-window'
          ? [byDomain, row.recipientDomain, lastDelivered.get(row.recipientDomain)]
          : [byHost, row.host, lastDiskWarning.get(row.host)];
      if (at !== undefined && near(at, row.ts)) makeLocal(row, signal.cause);
      else if (key !== '' || map === byHost) wait(map, key, row, signal.cause);
    },
    delivered(domain, ts) {
      if (domain === '') return;
      // Re-inserted so the map keeps the domains in the order they were last delivered to.
      lastDelivered.delete(domain);
      lastDelivered.set(domain, ts);
      if (lastDelivered.size > MAX_DOMAINS) {
        const oldest = lastDelivered.keys().next();
        if (oldest.done !== true) lastDelivered.delete(oldest.value);
      }
      confirm(byDomain, domain, ts);
    },
    warning(host, text, ts) {
      const signal = recogniseLocalFault({ diagnostic: text });
      if (signal?.cause !== 'local-disk') return;
      lastDiskWarning.set(host, ts);
      confirm(byHost, host, ts);
    },
    batchTaken() {
      byDomain.clear();
      byHost.clear();
    },
  };
}
