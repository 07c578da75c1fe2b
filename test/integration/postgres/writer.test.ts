// The PostgreSQL writer against the SQLite one: the same fixture logs imported into both give the same rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgClient } from '../../../db/postgres/connect.js';
import { createDict } from '../../../db/postgres/write/dict.js';
import { createReplies } from '../../../db/postgres/write/replies.js';
import { HostBusyError, openPgWriter, type PgWriter } from '../../../db/postgres/write/pg-writer.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { SESSION_EVENT_CODES } from '../../../db/store/triage.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { describePg } from '../../helpers/pg-context.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/logs');
const LOGS = ['mx-refuses-spam/mail.log', 'outbound-relay/mail.log', 'exim-host/mainlog'].map((f) =>
  join(FIXTURES, f),
);

/** Every attempt as both stores show it, in one order. */
const ATTEMPTS = `SELECT ts, host, mta, program, queue_id, recipient, orig_recipient, recipient_domain, sender,
    sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn, diagnostic,
    transport, class, cause, provider, blocklist, hard_bounce, class_conflict, message_id
  FROM attempts_full ORDER BY ts, queue_id, recipient, outcome, diagnostic`;
const REJECTS = `SELECT ts, host, mta, program, queue_id, action, client_host, client_ip, helo, sender, recipient,
    recipient_domain, stage, reply_code, enhanced_status, diagnostic, class, cause
  FROM %T ORDER BY ts, client_ip, recipient, diagnostic`;
const ROLLUPS = `SELECT bucket, host, domain, provider, outcome, class, cause, code, count FROM %T
  ORDER BY bucket, host, domain, provider, outcome, class, cause, code`;
const RECIPIENTS = `SELECT m.host, m.queue_id, m.first_ts, r.recipient, r.final_outcome, r.deferrals,
    r.first_attempt_ts, r.final_ts, r.last_cause, r.last_diagnostic
  FROM message_recipients r JOIN %T m ON m.id = r.message_rowid
  ORDER BY m.host, m.first_ts, m.queue_id, r.recipient`;

describePg('PostgreSQL writer', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-pg-writer-'));
  let sqlite: Db;
  let client: pg.Client;
  let writer: PgWriter;

  const importInto = async (store: Parameters<typeof createIngest>[0]['store']) =>
    createIngest({ store, log: silentLogger(), bus: createEventBus() }).ingestFiles(LOGS, { year: 2026 });

  beforeAll(async () => {
    sqlite = openDatabase({ file: join(dir, 'same.db') });
    await importInto(createSqliteWriter(sqlite));
    writer = await openPgWriter({ url: url(), host: 'fixtures', persistent: false });
    await importInto(writer);
    client = createPgClient(url());
    await client.connect();
  });
  afterAll(async () => {
    await writer.close();
    await client.end();
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pgRows = async (sql: string) => (await client.query<Record<string, unknown>>(sql)).rows;

  it('stores every attempt as SQLite does, field for field', async () => {
    const expected = sqlite.prepare(ATTEMPTS).all();
    expect(expected.length).toBeGreaterThan(50);
    expect(await pgRows(ATTEMPTS)).toEqual(expected);
  });

  it('stores every reject, rollup and recipient outcome as SQLite does', async () => {
    expect(await pgRows(REJECTS.replace('%T', 'rejects_full'))).toEqual(
      sqlite.prepare(REJECTS.replace('%T', 'rejects')).all(),
    );
    for (const t of ['rollups_hour', 'rollups_day']) {
      expect(await pgRows(ROLLUPS.replace('%T', `${t}_v`))).toEqual(
        sqlite.prepare(ROLLUPS.replace('%T', t)).all(),
      );
    }
    expect(await pgRows(RECIPIENTS.replace('%T', 'messages_full'))).toEqual(
      sqlite.prepare(RECIPIENTS.replace('%T', 'messages')).all(),
    );
  });

  it('adds nothing when the same files are imported again', async () => {
    const before = await pgRows('SELECT count(*) AS n FROM attempts');
    const again = await importInto(writer);
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await pgRows('SELECT count(*) AS n FROM attempts')).toEqual(before);
  });

  it('refuses a second writer for the same host, and takes one for another host', async () => {
    await expect(openPgWriter({ url: url(), host: 'fixtures' })).rejects.toBeInstanceOf(HostBusyError);
    await expect(openPgWriter({ url: url(), host: 'fixtures' })).rejects.toThrow(
      /already writes for host 'fixtures'/,
    );
    const other = await openPgWriter({ url: url(), host: 'mx2.example.org' });
    await other.close();
  });

  it('still knows every text of a batch after forgetting the older ones to stay small', async () => {
    const replies = createReplies(3);
    const dict = createDict(3);
    await replies.learn(client, ['a', 'b']);
    await dict.learn(client, ['x', 'y']);
    await replies.learn(client, ['a', 'c', 'd']);
    await dict.learn(client, ['x', 'z', 'w']);
    const texts = await client.query<{ id: number; text: string }>(
      "SELECT id, text FROM replies WHERE text IN ('a', 'c', 'd') ORDER BY text",
    );
    expect(texts.rows.map((r) => replies.id(r.text))).toEqual(texts.rows.map((r) => r.id));
    const values = await client.query<{ id: number; value: string }>(
      "SELECT id, value FROM dict WHERE value IN ('x', 'z', 'w') ORDER BY value",
    );
    expect(values.rows.map((r) => dict.id(r.value))).toEqual(values.rows.map((r) => r.id));
  });

  it('keeps raw rows by day, one partition per table and day', async () => {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM pg_inherits WHERE inhparent = 'attempts'::regclass",
    );
    const days = sqlite.prepare('SELECT count(DISTINCT ts / 86400000) AS n FROM attempts').get() as {
      n: number;
    };
    expect(rows[0]!.n).toBeGreaterThanOrEqual(days.n);
  });

  it('stores the triage facts as SQLite does: senders, sessions and warning shapes per hour', async () => {
    const senders = sqlite
      .prepare(
        `SELECT h.hour_ts AS hour, sa.name AS sasl, se.name AS sender, ip.name AS ip, h.messages, h.recipients,
                h.bytes, h.sent, h.deferred, h.bounced, h.reputation, h.spam, h.unknown
           FROM sender_hours h JOIN triage_names sa ON sa.id = h.sasl_id JOIN triage_names se ON se.id = h.sender_id
           JOIN triage_names ip ON ip.id = h.ip_id ORDER BY 1, 2, 3, 4`,
      )
      .all();
    const pgSenders = await client.query(
      `SELECT hour::float8 AS hour, sasl_user AS sasl, sender, client_ip AS ip, messages::float8 AS messages,
              recipients::float8 AS recipients, bytes::float8 AS bytes, sent::float8 AS sent,
              deferred::float8 AS deferred, bounced::float8 AS bounced, reputation::float8 AS reputation,
              spam::float8 AS spam, unknown::float8 AS unknown
         FROM sender_hours ORDER BY hour, sasl_user COLLATE "C", sender COLLATE "C", client_ip COLLATE "C"`,
    );
    expect(senders.length).toBeGreaterThan(0);
    expect(pgSenders.rows).toEqual(senders);
    // SQLite stores an event as its code: named here, and ordered by name as PostgreSQL orders them.
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sessions = sqlite
      .prepare<[], { hour: number; event: number; key: string; count: number }>(
        `SELECT h.hour_ts AS hour, h.event, n.name AS key, h.count FROM session_hours h
           JOIN triage_names n ON n.id = h.key_id`,
      )
      .all()
      .map((r) => ({ ...r, event: SESSION_EVENT_CODES[r.event - 1] ?? '' }))
      .sort((a, b) => a.hour - b.hour || byText(a.event, b.event) || byText(a.key, b.key));
    const pgSessions = await client.query(
      `SELECT h.hour::float8 AS hour, e.value AS event, h.key, h.count::float8 AS count
         FROM session_hours h JOIN dict e ON e.id = h.event ORDER BY h.hour, e.value COLLATE "C", h.key COLLATE "C"`,
    );
    expect(sessions.length).toBeGreaterThan(0);
    expect(pgSessions.rows).toEqual(sessions);
    const warnings = sqlite
      .prepare(
        `SELECT h.hour_ts AS hour, s.severity, s.shape, h.count, h.first_ts AS first, h.last_ts AS last
           FROM warning_hours h JOIN warning_shapes s ON s.id = h.shape_id ORDER BY 1, 2, 3`,
      )
      .all();
    const pgWarnings = await client.query(
      `SELECT hour::float8 AS hour, (ARRAY['warning', 'fatal', 'panic'])[severity] AS severity, shape,
              count::float8 AS count, first_ts::float8 AS first, last_ts::float8 AS last
         FROM warning_hours ORDER BY hour, (ARRAY['warning', 'fatal', 'panic'])[severity] COLLATE "C", shape COLLATE "C"`,
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(pgWarnings.rows).toEqual(warnings);
  });

  // Last: it drops every day the fixtures wrote.
  it('drops the triage facts (logins, IPs, addresses) with their day on --retain-days', async () => {
    const named = await client.query<{ ip: string }>(
      "SELECT client_ip AS ip FROM sender_hours WHERE client_ip <> '' LIMIT 1",
    );
    expect(named.rows).toHaveLength(1);
    await writer.prune(Date.UTC(2027, 0, 1), 1);
    for (const table of ['sender_hours', 'session_hours', 'warning_hours', 'attempts']) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
      expect([table, rows[0]!.n]).toEqual([table, 0]);
    }
    // Personal data never went into the dictionary, which is never pruned.
    const inDict = await client.query('SELECT id FROM dict WHERE value = $1', [named.rows[0]!.ip]);
    expect(inDict.rows).toEqual([]);
  });
});
