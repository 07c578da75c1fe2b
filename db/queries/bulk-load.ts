/**
 * A fast fill for benchmarks: raw rows inserted as they are, rollups computed afterwards in three set-based
 * statements instead of an upsert per key and batch. It must give the same rollups as db/write.ts (a test
 * compares them); the product's ingest path remains the batch writer.
 */

import type { Db } from '../open.js';
import type { AttemptRow, RejectRow } from '../rows.js';
import { rawCellsSql } from './raw-cells.js';

export interface BulkLoader {
  insert(attempts: readonly AttemptRow[], rejects: readonly RejectRow[]): void;
  /** Recomputes every rollup table from the raw rows. */
  rebuildRollups(): void;
}

const KEY = 'host, domain, provider, outcome, class, cause, code';

export function createBulkLoader(db: Db): BulkLoader {
  const insertAttempt = db.prepare(`
    INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, orig_recipient, recipient_domain,
      sender, sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn,
      diagnostic, delay, transport, class, cause, provider, blocklist, hard_bounce, class_conflict, message_id)
    VALUES (@ts, @host, @mta, @program, @queueId, @recipient, @origRecipient, @recipientDomain,
      @sender, @senderDomain, @outcome, @relayHost, @relayIp, @port, @stage, @replyCode, @enhancedStatus, @dsn,
      @diagnostic, @delay, @transport, @class, @cause, @provider, @blocklist, @hardBounce, @classConflict, @messageId)`);
  const insertReject = db.prepare(`
    INSERT INTO rejects (ts, host, mta, program, queue_id, action, client_host, client_ip, helo, sender,
      recipient, recipient_domain, stage, reply_code, enhanced_status, diagnostic, class, cause)
    VALUES (@ts, @host, @mta, @program, @queueId, @action, @clientHost, @clientIp, @helo, @sender,
      @recipient, @recipientDomain, @stage, @replyCode, @enhancedStatus, @diagnostic, @class, @cause)`);
  const clear = ['rollups_minute', 'rollups_hour', 'rollups_day'].map((t) => db.prepare(`DELETE FROM ${t}`));
  const minutes = db.prepare(`
    INSERT INTO rollups_minute (bucket, ${KEY}, count)
    SELECT bucket - bucket % 60000, ${KEY}, COUNT(*) FROM (${rawCellsSql('1')}) GROUP BY 1, ${KEY}`);
  const coarser = (table: string, from: string, size: number) =>
    db.prepare(`INSERT INTO ${table} (bucket, ${KEY}, count)
      SELECT bucket - bucket % ${size}, ${KEY}, SUM(count) FROM ${from} GROUP BY 1, ${KEY}`);
  const hours = coarser('rollups_hour', 'rollups_minute', 3_600_000);
  const days = coarser('rollups_day', 'rollups_hour', 86_400_000);

  const insert = db.transaction((attempts: readonly AttemptRow[], rejects: readonly RejectRow[]) => {
    for (const a of attempts) insertAttempt.run({ ...a, hardBounce: a.hardBounce ? 1 : 0 });
    // The rejects table has no provider column; like the batch writer, the insert ignores the field.
    for (const r of rejects) insertReject.run(r);
  });
  const rebuild = db.transaction(() => {
    for (const c of clear) c.run();
    minutes.run();
    hours.run();
    days.run();
  });
  return { insert: (a, r) => insert(a, r), rebuildRollups: () => rebuild() };
}
