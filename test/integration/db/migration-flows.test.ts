/** Migration 9: hops, waits and notifications stored before it become what they are, in rows and rollups. */

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../db/sqlite/migrate.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 20, 12);

/** A version-8 database holding, as version 8 stored them, a hop, a wait, a notification and a local delivery. */
function version8(): Database.Database {
  const db = new Database(':memory:');
  migrate(
    db,
    loadMigrations().filter((m) => m.version <= 8),
  );
  const life = db.prepare(
    `INSERT INTO messages (id, host, mta, queue_id, first_ts, last_ts, client_ip, notification_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  life.run(1, 'gw', 'postfix', 'AAA111', T, T, '203.0.113.9', null);
  life.run(2, 'gw', 'postfix', 'BBB222', T, T, '127.0.0.1', null);
  life.run(3, 'gw', 'postfix', 'CCC333', T, T, null, 'BBB222');
  life.run(4, '', 'exim', '1tA2bC-000123-Xy', T, T, '198.51.100.7', null);
  const attempt = db.prepare(
    `INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, recipient_domain, outcome, relay_host,
       relay_ip, diagnostic, transport, class, cause, message_rowid)
     VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows: [
    string,
    string,
    string,
    string,
    string,
    string | null,
    string | null,
    string,
    string | null,
    string,
    string | null,
    number,
  ][] = [
    // A hand-over to amavis, then the re-queued copy's bounce.
    [
      'gw',
      'postfix',
      'postfix/smtp',
      'ann@example.net',
      'sent',
      '127.0.0.1',
      '127.0.0.1',
      '250 2.0.0 Ok: queued as BBB222',
      null,
      'success',
      null,
      1,
    ],
    [
      'gw',
      'postfix',
      'postfix/smtp',
      'ann@example.net',
      'bounced',
      'mx.example.net',
      '192.0.2.1',
      '550 5.1.1 no such user',
      null,
      'permanent',
      'recipient-unknown',
      2,
    ],
    // The bounce's delivery, and a mailbox delivery.
    [
      'gw',
      'postfix',
      'postfix/local',
      'joe@example.org',
      'sent',
      'local',
      null,
      'delivered to mailbox',
      'local',
      'success',
      null,
      3,
    ],
    // An Exim retry wait.
    [
      '',
      'exim',
      'exim',
      'bob@example.com',
      'deferred',
      null,
      null,
      'R=dnslookup defer (-53): retry time not reached for any host',
      null,
      'temporary',
      'network',
      4,
    ],
  ];
  for (const [
    host,
    mta,
    program,
    rcpt,
    outcome,
    relayHost,
    relayIp,
    diag,
    transport,
    cls,
    cause,
    rowid,
  ] of rows) {
    attempt.run(
      T,
      host,
      mta,
      program,
      rcpt,
      rcpt.split('@')[1],
      outcome,
      relayHost,
      relayIp,
      diag,
      transport,
      cls,
      cause,
      rowid,
    );
  }
  // The rollups version 8 wrote for them: the hop as a send, the wait as a deferral.
  const rollup = (table: string, size: number) =>
    db
      .prepare(
        `INSERT INTO ${table} (bucket, host, domain, provider, outcome, class, cause, code, count)
         SELECT ts - ts % ${size}, host, recipient_domain, '', outcome, class, COALESCE(cause, ''), '', COUNT(*)
           FROM attempts GROUP BY 1, 2, 3, 5, 6, 7`,
      )
      .run();
  rollup('rollups_minute', 60_000);
  rollup('rollups_hour', 3_600_000);
  rollup('rollups_day', DAY);
  return db;
}

const outcomes = (db: Database.Database, table: string) =>
  Object.fromEntries(
    (
      db.prepare(`SELECT outcome, SUM(count) AS n FROM ${table} GROUP BY outcome`).all() as {
        outcome: string;
        n: number;
      }[]
    ).map((r) => [r.outcome, r.n]),
  );

describe('migration 9: flows', () => {
  it('marks hops, waits and notifications, and moves their rollups', () => {
    const db = version8();
    expect(migrate(db)[0]).toBe(9);
    const flags = db.prepare('SELECT recipient, outcome, flags FROM attempts ORDER BY id').all();
    expect(flags).toEqual([
      { recipient: 'ann@example.net', outcome: 'sent', flags: 1 },
      { recipient: 'ann@example.net', outcome: 'bounced', flags: 0 },
      { recipient: 'joe@example.org', outcome: 'sent', flags: 4 },
      { recipient: 'bob@example.com', outcome: 'deferred', flags: 2 },
    ]);
    for (const table of ['rollups_minute', 'rollups_hour', 'rollups_day']) {
      expect(outcomes(db, table)).toMatchObject({
        sent: 1,
        bounced: 1,
        hop: 1,
        wait: 1,
        'notice-sent': 1,
      });
      expect(outcomes(db, table)['deferred']).toBeUndefined();
    }
    expect(outcomes(db, 'rollups_day')['notification']).toBe(1);
  });

  it('learns the own-domain facts of the rows stored before', () => {
    const db = version8();
    migrate(db);
    expect(db.prepare('SELECT domain, fact FROM domain_facts').all()).toEqual([
      { domain: 'example.org', fact: 1 },
    ]);
    // Only outside clients: the loopback re-injection and the notification say nothing of our domains.
    expect(db.prepare('SELECT client_ip, domain FROM client_domains ORDER BY 1').all()).toEqual([
      { client_ip: '198.51.100.7', domain: 'example.com' },
      { client_ip: '203.0.113.9', domain: 'example.net' },
    ]);
  });

  it('leaves hops and waits out of a recipient outcome', () => {
    const db = version8();
    migrate(db);
    const rows = db
      .prepare('SELECT message_rowid, recipient, final_outcome, deferrals FROM message_recipients ORDER BY 1')
      .all();
    expect(rows).toEqual([
      { message_rowid: 2, recipient: 'ann@example.net', final_outcome: 'bounced', deferrals: 0 },
      { message_rowid: 3, recipient: 'joe@example.org', final_outcome: 'delivered', deferrals: 0 },
    ]);
  });
});
