// Triage facts per host in SQLite: a database that holds two hosts' logs answers each host's Server and Senders
// figures, and migration 17 gives facts stored before it their host where the database holds one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../db/sqlite/migrate.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { createTriageService } from '../../../server/services/triage.js';
import type { TriageReader, TriageRange } from '../../../db/store/triage.js';
import { setup, type Env } from '../ingest/helpers.js';

const LOG = readFileSync(new URL('../../fixtures/mta/triage.log', import.meta.url), 'utf8');
const ALL = { from: Date.UTC(2026, 10, 23), to: Date.UTC(2026, 10, 24) };

/** What the views read of one host, or of all: warnings, session totals, a top list and the submitters. */
async function figures(reader: TriageReader, range: TriageRange) {
  const [warnings, totals, authIp, senders] = await Promise.all([
    reader.warningGroups(range, 10),
    reader.sessionTotals(range),
    reader.sessionTop(range, 'auth-ip', 5),
    reader.senderTotals(range, 'submitter', 10),
  ]);
  return {
    warnings: warnings.map((w) => [w.text, w.count]),
    totals,
    authIp,
    senders: senders.map((s) => [s.sender, s.messages, s.sent, s.bounced]),
  };
}

describe('the host filter on SQLite', () => {
  let env: Env;
  beforeEach(async () => {
    env = setup('bw-triage-hosts-');
    // The same traffic on mx1 and, an hour later, on mx2 (its first four lines only: one message received).
    const mx2 = LOG.split('\n')
      .slice(0, 4)
      .map((l) => l.replace(' mx1 ', ' mx2 ').replace(/^Nov 23 10:/, 'Nov 23 11:'))
      .join('\n');
    const file = join(env.dir, 'mail.log');
    writeFileSync(file, `${LOG.trimEnd()}\n${mx2}\n`);
    await env.ingest.ingestFiles([file], { year: 2026 });
  });
  afterEach(() => env.cleanup());

  it("answers each host's figures, and their sum for all hosts", async () => {
    const reader = createSqliteReader(env.db, { now: () => ALL.to });
    const all = await figures(reader, { ...ALL, host: null });
    const mx1 = await figures(reader, { ...ALL, host: 'mx1' });
    const mx2 = await figures(reader, { ...ALL, host: 'mx2' });
    expect(mx2).toEqual({
      warnings: [],
      totals: { 'tls-in': 1, received: 1, 'received-bytes': 2000 },
      authIp: [],
      senders: [['shop@example.org', 1, 0, 0]],
    });
    expect(mx1.totals.received).toBe(2);
    expect(all.totals.received).toBe(3);
    expect(all.senders).toEqual([
      ['shop@example.org', 2, 1, 1],
      ['news@example.org', 1, 0, 1],
    ]);
    expect(all.warnings).toEqual(mx1.warnings);
    expect(await figures(reader, { ...ALL, host: 'mx9' })).toEqual({
      warnings: [],
      totals: {},
      authIp: [],
      senders: [],
    });
    const view = await createTriageService({ reader, monitor: null }).server({ ...ALL, host: 'mx2' }, 10);
    expect([view.tls.inbound.sessions, view.inbound.authFailures]).toEqual([1, 0]);
  });
});

describe('migration 17 on facts stored without a host', () => {
  const HOUR = Date.UTC(2026, 10, 23, 10);
  /** A schema-15 database with one hour of triage facts, and routes on the given hosts. */
  function version15(hosts: string[]): Database.Database {
    const db = new Database(':memory:');
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 15),
    );
    hosts.forEach((h, i) => {
      db.prepare('INSERT INTO names (id, name) VALUES (?, ?)').run(100 + i, h);
      db.prepare('INSERT INTO attempt_routes (host, mta, program) VALUES (?, 0, 0)').run(100 + i);
    });
    db.exec(`
      INSERT INTO triage_names (id, name) VALUES (1, '203.0.113.50'), (2, 'example.net'), (3, 'shop@example.org');
      INSERT INTO session_hours (hour_ts, event, key_id, count)
        VALUES (${HOUR}, 'auth-ip', 1, 3), (${HOUR}, 'plain-domain', 2, 5), (${HOUR}, 'received', 0, 7);
      INSERT INTO sender_hours (hour_ts, sasl_id, sender_id, ip_id, messages, sent) VALUES (${HOUR}, 3, 3, 1, 7, 6);
      INSERT INTO warning_shapes (id, severity, topic, shape, example) VALUES (1, 'warning', 'disk', 's', 'e');
      INSERT INTO warning_hours (hour_ts, shape_id, count, first_ts, last_ts) VALUES (${HOUR}, 1, 2, ${HOUR}, ${HOUR});
    `);
    migrate(db);
    return db;
  }
  const stored = {
    warnings: [['s', 2]],
    totals: { 'auth-ip': 3, 'plain-domain': 5, received: 7 },
    authIp: [{ event: 'auth-ip', key: '203.0.113.50', count: 3 }],
    senders: [['shop@example.org', 7, 6, 0]],
  };
  const none = { warnings: [], totals: {}, authIp: [], senders: [] };

  it("gives them the host of a one-host database, with each event's code", async () => {
    const db = version15(['mx1']);
    const reader = createSqliteReader(db, { now: () => ALL.to });
    expect(await figures(reader, { ...ALL, host: null })).toEqual(stored);
    expect(await figures(reader, { ...ALL, host: 'mx1' })).toEqual(stored);
    expect(await figures(reader, { ...ALL, host: 'mx2' })).toEqual(none);
    expect(db.prepare('SELECT DISTINCT typeof(event) FROM session_hours').pluck().all()).toEqual(['integer']);
    db.close();
  });

  it('keeps them for all hosts only where the database holds several', async () => {
    const db = version15(['mx1', 'mx2']);
    const reader = createSqliteReader(db, { now: () => ALL.to });
    expect(await figures(reader, { ...ALL, host: null })).toEqual(stored);
    expect(await figures(reader, { ...ALL, host: 'mx1' })).toEqual(none);
    db.close();
  });
});
