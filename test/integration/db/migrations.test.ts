/** Migrations applied to a database that already holds rows written by an earlier version. */

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from '../../../db/sqlite/migrate.js';
import { recentFailures } from '../../../db/sqlite/read/failures.js';
import { attemptIdsInRange } from '../../../db/sqlite/time-blocks.js';

const T = Date.UTC(2026, 10, 20, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A database at schema version 4 with lives, attempts and the recipient rows version 4 wrote for them. */
function version4(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    loadMigrations().filter((m) => m.version <= 4),
  );
  const life = db.prepare(
    `INSERT INTO messages (id, host, mta, queue_id, first_ts, last_ts, expired_at, closed_at)
     VALUES (?, 'mx1', 'postfix', ?, ?, ?, ?, ?)`,
  );
  // Q1 is used twice (two lives); Q2 expires with one recipient undelivered; Q3 expires with none known.
  life.run(1, 'Q1', T, T + 30 * MIN, null, T + 30 * MIN);
  life.run(2, 'Q1', T + 60 * MIN, T + 70 * MIN, null, null);
  life.run(3, 'Q2', T, T + 5 * 24 * 60 * MIN, T + 5 * 24 * 60 * MIN, T + 5 * 24 * 60 * MIN);
  life.run(4, 'Q3', T, T + 90 * MIN, T + 90 * MIN, T + 90 * MIN);
  const attempt = db.prepare(
    `INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, recipient_domain, outcome, diagnostic, class, cause)
     VALUES (?, 'mx1', 'postfix', 'postfix/smtp', ?, ?, 'example.net', ?, ?, ?, ?)`,
  );
  const deferred = ['deferred', '451 try later', 'temporary', 'rate-limited'] as const;
  const sent = ['sent', '250 ok', 'success', null] as const;
  const bounced = ['bounced', '550 no such user', 'permanent', 'recipient-unknown'] as const;
  // Life 1: ann deferred then delivered; bob delivered then bounced (a late bounce wins).
  attempt.run(T + MIN, 'Q1', 'ann@example.net', ...deferred);
  attempt.run(T + 2 * MIN, 'Q1', 'bob@example.net', ...sent);
  attempt.run(T + 10 * MIN, 'Q1', 'ann@example.net', ...sent);
  attempt.run(T + 20 * MIN, 'Q1', 'bob@example.net', ...bounced);
  // Life 2 (same queue id): cy still pending after a deferral.
  attempt.run(T + 61 * MIN, 'Q1', 'cy@example.net', ...deferred);
  // Life 3: dee deferred twice, then expired with the message.
  attempt.run(T + MIN, 'Q2', 'dee@example.net', ...deferred);
  attempt.run(T + 61 * MIN, 'Q2', 'dee@example.net', ...deferred);
  attempt.run(
    T + 5 * 24 * 60 * MIN,
    'Q2',
    'dee@example.net',
    'expired',
    '451 try later',
    'permanent',
    'rate-limited',
  );
  // Life 4: expired with no recipient known.
  attempt.run(T + 90 * MIN, 'Q3', '', 'expired', '', 'permanent', 'expired');
  const recipient = db.prepare(`INSERT INTO message_recipients VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  recipient.run(1, 'ann@example.net', 'delivered', 1, T + MIN, T + 10 * MIN, 'rate-limited', '451 try later');
  recipient.run(
    1,
    'bob@example.net',
    'bounced',
    0,
    T + 2 * MIN,
    T + 20 * MIN,
    'recipient-unknown',
    '550 no such user',
  );
  recipient.run(2, 'cy@example.net', 'pending', 1, T + 61 * MIN, null, 'rate-limited', '451 try later');
  recipient.run(
    3,
    'dee@example.net',
    'expired',
    2,
    T + MIN,
    T + 5 * 24 * 60 * MIN,
    'rate-limited',
    '451 try later',
  );
  return db;
}

describe('migration 5: recipient outcomes derived from attempts', () => {
  it('gives every recipient row version 4 stored, from the attempts, each attempt linked to its life', () => {
    const db = version4();
    const before = db.prepare('SELECT * FROM message_recipients ORDER BY message_rowid, recipient').all();
    expect(before).toHaveLength(4);
    const told: number[] = [];
    // Later migrations follow these; this test is about 5 and what comes with it.
    const applied = migrate(db, undefined, (m) => told.push(m.version));
    expect(applied.slice(0, 5)).toEqual([5, 6, 7, 8, 9]);
    expect(told).toEqual(applied);
    const after = db.prepare('SELECT * FROM message_recipients ORDER BY message_rowid, recipient').all();
    expect(after).toEqual(before);
    const links = db
      .prepare('SELECT queue_id, recipient, message_rowid FROM attempts ORDER BY id')
      .all()
      .map((r) => Object.values(r as Record<string, unknown>).join(' '));
    expect(links).toEqual([
      'Q1 ann@example.net 1',
      'Q1 bob@example.net 1',
      'Q1 ann@example.net 1',
      'Q1 bob@example.net 1',
      'Q1 cy@example.net 2',
      'Q2 dee@example.net 3',
      'Q2 dee@example.net 3',
      'Q2 dee@example.net 3',
      'Q3  4',
    ]);
    db.close();
  });

  it('does not announce the migrations that create a new database', () => {
    const db = new Database(':memory:');
    const told: number[] = [];
    expect(migrate(db, undefined, (m) => told.push(m.version)).length).toBeGreaterThanOrEqual(5);
    expect(told).toEqual([]);
    db.close();
  });

  it('reads one life through the attempts index, not a scan', () => {
    const db = version4();
    migrate(db);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM message_recipients WHERE message_rowid = ?')
      .all(1)
      .map((r) => (r as { detail: string }).detail)
      .join(' | ');
    expect(plan).toContain('USING INDEX attempts_message (message_rowid=?)');
    expect(plan).not.toMatch(/SCAN attempts/);
    db.close();
  });
});

describe("migration 6: a life's fields stored once", () => {
  it('keeps what attempts stored before it, and fills them in from the life for attempts stored after', () => {
    const db = version4();
    // Rows written as schema 9 wrote them (attempts and messages are views from 10 on).
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 9),
    );
    // An attempt written after the migration: its life holds the queue id, sender and Message-ID.
    db.prepare(
      `INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, recipient_domain, outcome, diagnostic,
         class, message_rowid) VALUES (?, 'mx1', 'postfix', 'postfix/smtp', '', 'eve@example.net', 'example.net',
         'sent', '250 ok', 'success', 2)`,
    ).run(T + 65 * MIN);
    db.prepare(
      "UPDATE messages SET sender = 'news@shop.example', message_id = '<m2@shop.example>' WHERE id = 2",
    ).run();
    const rows = db
      .prepare(
        "SELECT queue_id, recipient, sender, message_id FROM attempts_full WHERE queue_id = 'Q1' ORDER BY id",
      )
      .all();
    expect(rows).toHaveLength(6);
    expect(rows.at(-1)).toEqual({
      queue_id: 'Q1',
      recipient: 'eve@example.net',
      sender: 'news@shop.example',
      message_id: '<m2@shop.example>',
    });
    // Attempts stored with their own queue id are still found through the (now partial) index.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM attempts WHERE queue_id = ? AND queue_id != ''")
      .all('Q2')
      .map((r) => (r as { detail: string }).detail)
      .join(' | ');
    expect(plan).toContain('attempts_queue');
    db.close();
  });
});

describe('migration 7: one index for the code drill-down', () => {
  /** A version-6 database with failures coded by enhanced status, by DSN alone and by reply code alone. */
  function version6(): Database.Database {
    const db = new Database(':memory:');
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 6),
    );
    const attempt = db.prepare(
      `INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, recipient_domain, outcome, reply_code,
         enhanced_status, dsn, diagnostic, class, cause)
       VALUES (?, '', 'postfix', 'postfix/smtp', 'Q', ?, 'example.net', ?, ?, ?, ?, '', ?, ?)`,
    );
    attempt.run(T, 'a@example.net', 'bounced', 550, '5.1.1', '5.1.1', 'permanent', 'recipient-unknown');
    attempt.run(T + MIN, 'b@example.net', 'bounced', 550, null, '5.1.1', 'permanent', 'recipient-unknown');
    attempt.run(T + 2 * MIN, 'c@example.net', 'bounced', 550, null, null, 'permanent', 'other');
    attempt.run(T + 3 * MIN, 'd@example.net', 'sent', 250, '2.0.0', '2.0.0', 'success', null);
    // An interrupted bulk import had set one of the old indexes aside.
    db.prepare('INSERT INTO ingest_deferred_indexes (name, sql) VALUES (?, ?)').run(
      'attempts_fail_dsn_ts',
      "CREATE INDEX attempts_fail_dsn_ts ON attempts (dsn, ts) WHERE class != 'success'",
    );
    return db;
  }

  it('replaces the status, DSN and reply-code indexes by one, which both kinds of code drill-down use', () => {
    const db = version6();
    migrate(db);
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'attempts_fail_%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(names).toEqual([
      'attempts_fail_code_ts',
      'attempts_fail_domain_ts',
      'attempts_fail_provider_ts',
      // Migration 8's, for the report.
      'attempts_fail_ts',
    ]);
    expect(db.prepare('SELECT count(*) FROM ingest_deferred_indexes').pluck().get()).toBe(0);
    for (const [kind, key] of [
      ['enhanced', '5.1.1'],
      ['basic', '550'],
    ] as const) {
      const rows = recentFailures(db, { kind: 'code', key, from: 0, to: T + HOUR, host: null, limit: 10 });
      expect(
        rows.map((r) => r.recipient),
        kind,
      ).toEqual(kind === 'enhanced' ? ['b@example.net', 'a@example.net'] : ['c@example.net']);
    }
    // The drill-down's own condition (db/sqlite/read/failures.ts), on the stored codes of migration 10.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM attempt_rows
          WHERE COALESCE(enhanced_status, dsn, -reply_code) IN ((SELECT id FROM names WHERE name = ?), -?)
            AND class != 0 AND ts >= ?`,
      )
      .all('5.1.1', null, 0)
      .map((r) => (r as { detail: string }).detail)
      .join(' | ');
    expect(plan).toContain('attempts_fail_code_ts');
    db.close();
  });
});

describe('migration 8: indexes for the weekly report', () => {
  it('lets the report read a week of failures and expired lives through their own indexes', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 7),
    );
    migrate(db);
    const plan = (sql: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ from: 0, to: T })
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    // The report's three failure queries (db/sqlite/read/report.ts) say class != 0 (success) with a time range.
    expect(
      plan('SELECT id FROM attempt_rows WHERE outcome = 3 AND class != 0 AND ts >= @from AND ts < @to'),
    ).toContain('attempts_fail_ts');
    expect(
      plan(
        'SELECT id FROM attempt_rows WHERE ts >= @from AND ts < @to AND hard_bounce = 1 AND class = 2 AND class != 0',
      ),
    ).toContain('attempts_fail_ts');
    expect(plan('SELECT queue_id FROM messages WHERE expired_at >= @from AND expired_at < @to')).toContain(
      'messages_expired',
    );
    db.close();
  });
});

describe('migration 10: lean rows', () => {
  const plan = (db: Database.Database, sql: string, params: Record<string, unknown> = {}) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(params)
      .map((r) => (r as { detail: string }).detail)
      .join(' | ');

  it('keeps every stored value, read through views of the old names and columns', () => {
    const db = version4();
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 9),
    );
    const read = (sql: string) => db.prepare(sql).all();
    const tables = [
      'SELECT * FROM attempts ORDER BY id',
      'SELECT * FROM attempts_full ORDER BY id',
      'SELECT * FROM messages ORDER BY id',
      'SELECT * FROM rejects ORDER BY id',
      'SELECT * FROM message_recipients ORDER BY message_rowid, recipient',
    ];
    const before = tables.map(read);
    expect(migrate(db)[0]).toBe(10);
    expect(tables.map(read)).toEqual(before);
    expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'attempts'").pluck().get()).toBe('view');
    db.close();
  });

  it('serves the drill-downs, the trace and the newest event from indexes on the stored codes', () => {
    const db = new Database(':memory:');
    migrate(db);
    const p = { key: 'x', num: null, host: null, from: 0, to: T, limit: 10, q: 'x' };
    const name = '(SELECT id FROM names WHERE name = @key)';
    const fail = `AND class != 0 AND ts >= @from AND ts < @to ORDER BY ts DESC LIMIT @limit`;
    expect(plan(db, `SELECT id FROM attempt_rows WHERE recipient_domain = ${name} ${fail}`, p)).toContain(
      'attempts_fail_domain_ts',
    );
    expect(plan(db, `SELECT id FROM attempt_rows WHERE provider = ${name} ${fail}`, p)).toContain(
      'attempts_fail_provider_ts',
    );
    expect(plan(db, `SELECT id FROM attempt_rows WHERE cause = ${name} ${fail}`, p)).toContain(
      'attempts_cause_ts',
    );
    expect(
      plan(db, `SELECT id FROM reject_rows WHERE recipient_domain = ${name} AND ts >= @from`, p),
    ).toContain('rejects_domain_ts');
    // Through the views: a plain column of the stored row keeps its index.
    // The trace's keys are expressions of the stored parts (migration 13): the index is on the same expression.
    expect(
      plan(
        db,
        `SELECT id FROM attempt_rows WHERE bw_recipient_key(recipient, recipient_domain, flags) IN (
           bw_recipient_key(@q, NULL, 8), bw_recipient_key(@key, (SELECT id FROM names WHERE name = @q), 0))`,
        p,
      ),
    ).toContain('attempts_recipient');
    expect(
      plan(
        db,
        `SELECT id FROM message_rows WHERE message_id IS NOT NULL AND bw_message_key(message_id, message_domain) IN (
           bw_message_key(@q, NULL), bw_message_key(@key, (SELECT id FROM names WHERE name = @q)))`,
        p,
      ),
    ).toContain('messages_message_id');
    // A life's queue id through the index of its key (migration 14), and a life's origin by its parts.
    expect(
      plan(
        db,
        'SELECT id FROM message_rows WHERE bw_queue_key(queue_id) = bw_queue_key(bw_queue(@q)) AND queue_id = bw_queue(@q)',
        p,
      ),
    ).toContain('messages_queue');
    expect(
      plan(
        db,
        'SELECT id FROM life_origins WHERE host IS 1 AND mta IS 2 AND client_host IS NULL AND client_ip IS NULL',
        p,
      ),
    ).toContain('life_origins_parts');
    // The writer finds an attempt's route by all its parts, some of them NULL.
    expect(
      plan(
        db,
        `SELECT id FROM attempt_routes WHERE host IS 1 AND mta IS 2 AND program IS 3 AND relay_host IS NULL
           AND relay_ip IS NULL AND port IS NULL AND transport IS 4 AND stage IS NULL`,
        p,
      ),
    ).toContain('attempt_routes_parts');
    // A time range of attempts is read through their time blocks, along the ids (migration 12).
    expect(plan(db, `SELECT * FROM attempts WHERE id IN (${attemptIdsInRange})`, p)).toMatch(
      /SCAN b.*SEARCH a USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/,
    );
    expect(plan(db, 'SELECT id FROM attempt_extras WHERE queue_id = @q', p)).toContain('attempts_queue');
    db.close();
  });
});
