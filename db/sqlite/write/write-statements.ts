/** The statements of the batch writer, prepared once per connection. */

import type { Db } from '../open.js';
import {
  AUTHENTICATED_CLIENT_COLUMNS,
  CLIENT_DOMAIN_COLUMNS,
  DOMAIN_FACT_COLUMNS,
  ROLLUP_COLUMNS,
  SAMPLE_COLUMNS,
} from './columns.js';
import { ATTEMPT_EXTRA_COLUMNS, ATTEMPT_ROW_COLUMNS } from './attempt-extras.js';
import { LIFE_ROW_COLUMNS, REJECT_LAYOUT, type Layout } from './lean-rows.js';
import { DELAY_COLUMNS } from './delay-counter.js';
import { insertInto, multiRowInsert } from './multi-row-insert.js';

export type WriteStatements = ReturnType<typeof prepareWriteStatements>;

export function prepareWriteStatements(db: Db) {
  const rollup = (table: string) =>
    multiRowInsert(
      db,
      insertInto(table, ROLLUP_COLUMNS),
      `ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code)
       DO UPDATE SET count = count + excluded.count`,
      ROLLUP_COLUMNS.length,
    );
  const rows = (l: Layout, tail = '') =>
    multiRowInsert(db, insertInto(l.table, l.columns), tail, l.columns.length);
  return {
    attempts: multiRowInsert(
      db,
      insertInto('attempt_rows', ATTEMPT_ROW_COLUMNS),
      '',
      ATTEMPT_ROW_COLUMNS.length,
    ),
    attemptExtras: multiRowInsert(
      db,
      insertInto('attempt_extras', ATTEMPT_EXTRA_COLUMNS),
      '',
      ATTEMPT_EXTRA_COLUMNS.length,
    ),
    rejects: rows(REJECT_LAYOUT),
    rollupMinute: rollup('rollup_minute_rows'),
    rollupHour: rollup('rollup_hour_rows'),
    rollupDay: rollup('rollup_day_rows'),
    delayHours: multiRowInsert(
      db,
      insertInto('delay_hours', DELAY_COLUMNS),
      'ON CONFLICT (hour, domain, provider, host) DO UPDATE SET counts = bw_delay_add(counts, excluded.counts)',
      DELAY_COLUMNS.length,
    ),
    // Lives are numbered by the writer (after the largest id, as SQLite would) so they can be upserted 32 at a
    // time: a new life is inserted, a known one updated (or inserted again with its id if retention pruned it).
    lastMessageId: db.prepare<[], number | null>('SELECT MAX(id) FROM message_rows').pluck(),
    messages: multiRowInsert(
      db,
      insertInto('message_rows', LIFE_ROW_COLUMNS),
      `ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, last_after = excluded.last_after,
      sender = excluded.sender, sender_domain = excluded.sender_domain, size = excluded.size, nrcpt = excluded.nrcpt,
      message_id = excluded.message_id, message_domain = excluded.message_domain,
      notification_of = excluded.notification_of, hop_of = excluded.hop_of, expired_at = excluded.expired_at,
      closed_after = excluded.closed_after`,
      LIFE_ROW_COLUMNS.length,
    ),
    domainFacts: multiRowInsert(
      db,
      insertInto('domain_facts', DOMAIN_FACT_COLUMNS),
      'ON CONFLICT (domain, fact, day) DO UPDATE SET count = count + excluded.count',
      DOMAIN_FACT_COLUMNS.length,
    ),
    // The first day a client was seen with a domain is kept (it says since when).
    clientDomains: multiRowInsert(
      db,
      insertInto('client_domains', CLIENT_DOMAIN_COLUMNS),
      'ON CONFLICT (client_ip, domain) DO NOTHING',
      CLIENT_DOMAIN_COLUMNS.length,
    ),
    authenticatedClients: multiRowInsert(
      db,
      insertInto('authenticated_clients', AUTHENTICATED_CLIENT_COLUMNS),
      'ON CONFLICT (client_ip) DO NOTHING',
      AUTHENTICATED_CLIENT_COLUMNS.length,
    ),
    unparsedCount: db.prepare(`
      INSERT INTO unparsed_counts (program, count) VALUES (?, ?)
      ON CONFLICT (program) DO UPDATE SET count = count + excluded.count`),
    unparsedSamples: multiRowInsert(
      db,
      insertInto('unparsed_samples', SAMPLE_COLUMNS),
      'ON CONFLICT (program, shape) DO UPDATE SET count = count + excluded.count',
      SAMPLE_COLUMNS.length,
    ),
    lineStat: db.prepare(`
      INSERT INTO line_stats (name, count) VALUES (?, ?)
      ON CONFLICT (name) DO UPDATE SET count = count + excluded.count`),
    renameFingerprint: db.prepare('UPDATE OR REPLACE sources SET fingerprint = ? WHERE fingerprint = ?'),
    checkpoint: db.prepare(`
      INSERT INTO sources (path, inode, fingerprint, offset, size, lines, complete, updated_at, cursor)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (fingerprint) DO UPDATE SET path = excluded.path, inode = excluded.inode,
        offset = excluded.offset, size = excluded.size, lines = excluded.lines,
        complete = excluded.complete, updated_at = excluded.updated_at, cursor = excluded.cursor`),
    // IMMEDIATE: the write lock from the start, so the largest message id read first stays the largest.
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}
