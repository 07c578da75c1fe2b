/** Feeds the alert windows: committed batches from the live stream, and minute rollups after a restart. */

import type { RecentRollup } from '../../db/store/reader.js';
import { rollupCode } from '../../db/store/stored-rows.js';
import type { StoredBatch } from '../events.js';
import { createBacklog, createWindowStore, type Backlog, type WindowStore } from './window.js';

export interface Feed {
  store: WindowStore;
  backlog: Backlog;
  /** Time of the newest delivery seen, or null. */
  lastSentAt(): number | null;
  /** Log lines read since the newest delivery. */
  linesSinceLastSent(): number;
  ingest(batch: StoredBatch, now: number): void;
  /** Rebuilds the windows from stored rollups (no reply texts: those only come from the live stream). */
  seed(rollups: readonly RecentRollup[], lastSentAt: number | null): void;
}

/**
 * Keeps events no older than `retentionMs` before now. The windows judge our mail to the world: deliveries to our
 * own domains (`inbound`) are left out, so a refusal inside our own delivery path never reads as one of us.
 */
export function createFeed(retentionMs: number, inbound: (domain: string) => boolean = () => false): Feed {
  const store = createWindowStore();
  const backlog = createBacklog();
  let lastSentAt: number | null = null;
  let linesSinceLastSent = 0;

  return {
    store,
    backlog,
    lastSentAt: () => lastSentAt,
    linesSinceLastSent: () => linesSinceLastSent,
    ingest(batch, now) {
      const oldest = now - retentionMs;
      linesSinceLastSent += batch.linesRead;
      for (const a of batch.attempts) {
        const code = rollupCode(a.enhancedStatus ?? a.dsn, a.replyCode) || null;
        const gone = backlog.apply(a, code);
        if (a.outcome === 'sent' && (lastSentAt === null || a.ts > lastSentAt)) {
          lastSentAt = a.ts;
          linesSinceLastSent = 0;
        }
        if (a.ts < oldest || inbound(a.recipientDomain)) continue;
        // Mail to a domain with no known provider is counted under the domain only, never twice.
        store.add({
          ts: a.ts,
          outcome: a.outcome,
          domain: a.recipientDomain,
          provider: a.provider ?? '',
          cause: a.cause,
        });
        if (a.outcome === 'sent') continue;
        const base = {
          ts: a.ts,
          outcome: a.outcome,
          domain: a.recipientDomain,
          provider: a.provider,
          senderDomain: a.senderDomain,
          blocklist: a.blocklist,
        };
        if (a.outcome === 'expired' && gone.length > 0) {
          // Keep the deferral that explains the expiry, not the bare "expired".
          for (const p of gone.slice(0, 20)) {
            store.addSample({
              ...base,
              domain: p.domain,
              cause: p.cause,
              code: p.code,
              diagnostic: p.diagnostic,
            });
          }
        } else store.addSample({ ...base, cause: a.cause, code, diagnostic: a.diagnostic });
      }
    },
    seed(rollups, sent) {
      for (const r of rollups) {
        if (
          r.outcome !== 'sent' &&
          r.outcome !== 'deferred' &&
          r.outcome !== 'bounced' &&
          r.outcome !== 'expired'
        ) {
          continue;
        }
        if (inbound(r.domain)) continue;
        store.add({
          ts: r.bucket,
          outcome: r.outcome,
          domain: r.domain,
          provider: r.provider,
          cause: r.cause === '' ? null : r.cause,
          count: r.count,
        });
      }
      if (sent !== null && (lastSentAt === null || sent > lastSentAt)) lastSentAt = sent;
    },
  };
}
