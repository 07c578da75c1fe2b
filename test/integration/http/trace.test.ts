import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_INFO } from '../../../classify/index.js';
import type { HealthResponse } from '../../../server/http/contract/health.js';
import type { TraceResponse } from '../../../server/http/contract/trace.js';
import type { UnparsedResponse } from '../../../server/http/contract/unparsed.js';
import { attempt, HOUR, MINUTE, NOW, reject, startTestServer, type TestServer } from './helpers.js';

describe('message trace, unparsed, health', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    const deferred = {
      outcome: 'deferred' as const,
      class: 'temporary' as const,
      cause: 'greylisted',
      replyCode: 450,
      enhancedStatus: '4.2.0',
      dsn: '4.2.0',
      diagnostic: '450 4.2.0 <lena@example.net>: Recipient address rejected: Greylisted',
    };
    s.write(
      [
        // One message, two recipients: a deferral then delivery, and a plain delivery; written out of order.
        attempt({
          ts: NOW - 2 * HOUR + 10 * MINUTE,
          queueId: 'ABC123DEF',
          recipient: 'lena@example.net',
          messageId: '<m1@sender.example>',
        }),
        attempt({
          ts: NOW - 2 * HOUR,
          queueId: 'ABC123DEF',
          recipient: 'lena@example.net',
          messageId: '<m1@sender.example>',
          ...deferred,
        }),
        attempt({
          ts: NOW - 2 * HOUR + MINUTE,
          queueId: 'ABC123DEF',
          recipient: 'tom@example.net',
          messageId: '<m1@sender.example>',
        }),
        // The same queue id reused later for another message.
        attempt({
          ts: NOW - HOUR,
          queueId: 'ABC123DEF',
          recipient: 'uma@example.net',
          sender: 'other@sender.example',
        }),
        attempt({
          ts: NOW - HOUR,
          queueId: 'ZZZ999',
          recipient: 'lena@example.net',
          host: 'mx2.sender.example',
        }),
      ],
      [
        reject({
          ts: NOW - 30 * MINUTE,
          recipient: 'lena@example.net',
          recipientDomain: 'example.net',
          helo: 'bad.example',
        }),
      ],
      [
        {
          program: 'postfix/smtpd',
          shape: 'warning: <x>',
          reason: 'unknown warning',
          line: 'Nov 20 10:00:00 mx postfix/smtpd[1]: warning: odd <b>thing</b>',
          ts: NOW - HOUR,
        },
      ],
    );
    // Correlation rows for the two lives of ABC123DEF (ingest writes these; the test stands in for it).
    const insert = s.db.prepare(
      `INSERT INTO message_rows (origin, queue_id, first_ts, last_after, sender, size, nrcpt, message_id,
                                 closed_after)
       VALUES (@origin, bw_queue(@q), @first, @last - @first, (SELECT id FROM names WHERE name = @sender), @size, @nrcpt, @mid,
               @closed - @first)`,
    );
    // A life's host and MTA are stored as its origin, its sender as a name.
    s.db
      .prepare(
        `INSERT INTO life_origins (id, host, mta) VALUES (77, (SELECT id FROM names WHERE name = 'mx1.sender.example'),
           (SELECT id FROM names WHERE name = 'postfix'))`,
      )
      .run();
    for (const sender of ['news@sender.example', 'other@sender.example']) {
      s.db.prepare('INSERT OR IGNORE INTO names (name) VALUES (?)').run(sender);
    }
    const first = insert.run({
      origin: 77,
      q: 'ABC123DEF',
      first: NOW - 2 * HOUR - MINUTE,
      last: NOW - 2 * HOUR + 11 * MINUTE,
      sender: 'news@sender.example',
      size: 4096,
      nrcpt: 2,
      mid: '<m1@sender.example>',
      closed: NOW - 2 * HOUR + 11 * MINUTE,
    });
    insert.run({
      origin: 77,
      q: 'ABC123DEF',
      first: NOW - HOUR - MINUTE,
      last: NOW - HOUR,
      sender: 'other@sender.example',
      size: 1000,
      nrcpt: 1,
      mid: '<m2@sender.example>',
      closed: NOW - HOUR,
    });
    // Each attempt names its life, as ingest records it; recipients' outcomes are derived from them.
    const second = s.db.prepare('SELECT max(id) AS id FROM messages').get() as { id: number };
    const link = s.db.prepare(
      `UPDATE attempt_rows SET message_rowid = ?
        WHERE id IN (SELECT id FROM attempt_extras WHERE queue_id = 'ABC123DEF') AND ts BETWEEN ? AND ?
          AND route IN (SELECT id FROM attempt_routes
                         WHERE host = (SELECT id FROM names WHERE name = 'mx1.sender.example'))`,
    );
    link.run(first.lastInsertRowid, NOW - 2 * HOUR - MINUTE, NOW - 2 * HOUR + 11 * MINUTE);
    link.run(second.id, NOW - HOUR - MINUTE, NOW - HOUR);
  });
  afterAll(() => s.close());

  it('by queue id: each life of a reused queue id separately, every attempt in time order', async () => {
    const r = await s.get('/api/v1/trace?q=ABC123DEF');
    expect(r.status).toBe(200);
    const b = r.body as TraceResponse;
    expect(b.messages).toHaveLength(2);
    const [later, earlier] = b.messages;
    expect(later!.sender).toBe('other@sender.example');
    expect(later!.events.map((e) => e.recipient)).toEqual(['uma@example.net']);
    expect(earlier!.messageId).toBe('<m1@sender.example>');
    expect(earlier!.size).toBe(4096);
    expect(earlier!.events.map((e) => [e.recipient, e.outcome])).toEqual([
      ['lena@example.net', 'deferred'],
      ['tom@example.net', 'sent'],
      ['lena@example.net', 'sent'],
    ]);
    // A cause comes with its title, as its page is headed.
    expect(earlier!.events.map((e) => [e.cause, e.causeTitle])).toEqual([
      ['greylisted', CAUSE_INFO.greylisted.title],
      [null, null],
      [null, null],
    ]);
    expect(earlier!.recipients).toEqual([
      expect.objectContaining({
        recipient: 'lena@example.net',
        finalOutcome: 'delivered',
        deferrals: 1,
        firstAttemptTs: NOW - 2 * HOUR,
        finalTs: NOW - 2 * HOUR + 10 * MINUTE,
      }),
      expect.objectContaining({ recipient: 'tom@example.net', finalOutcome: 'delivered', deferrals: 0 }),
    ]);
    expect(later!.recipients).toEqual([
      expect.objectContaining({ recipient: 'uma@example.net', finalOutcome: 'delivered' }),
    ]);
  });

  it('by recipient: the messages it appears in and rejects that never got a queue id', async () => {
    const b = (await s.get('/api/v1/trace?q=Lena@example.net')).body as TraceResponse;
    expect(b.messages.map((m) => m.queueId).sort()).toEqual(['ABC123DEF', 'ZZZ999']);
    expect(b.rejects).toHaveLength(1);
    expect(b.rejects[0]).toMatchObject({ kind: 'reject', helo: 'bad.example', outcome: 'rejected' });
    const host = (await s.get('/api/v1/trace?q=lena@example.net&host=mx2.sender.example'))
      .body as TraceResponse;
    expect(host.messages.map((m) => m.queueId)).toEqual(['ZZZ999']);
  });

  it('by Message-ID with or without brackets, and by sender', async () => {
    for (const q of ['<m1@sender.example>', 'm1@sender.example']) {
      const by = q.startsWith('<') ? 'auto' : 'message-id';
      const b = (await s.get(`/api/v1/trace?q=${encodeURIComponent(q)}&by=${by}`)).body as TraceResponse;
      expect(b.messages.map((m) => m.messageId)).toEqual(['<m1@sender.example>']);
    }
    const sender = (await s.get('/api/v1/trace?q=other@sender.example&by=sender')).body as TraceResponse;
    expect(sender.messages).toHaveLength(1);
    expect(sender.messages[0]!.sender).toBe('other@sender.example');
  });

  it('finds nothing for an unknown id and says so with an empty list', async () => {
    const b = (await s.get('/api/v1/trace?q=NOPE0000')).body as TraceResponse;
    expect(b).toEqual({
      query: { q: 'NOPE0000', by: 'auto' },
      total: 0,
      offset: 0,
      limit: 20,
      scanned: 0,
      messages: [],
      rejects: [],
    });
  });

  it('pages: says how many messages match in all, and the next page holds the older ones', async () => {
    const first = (await s.get('/api/v1/trace?q=lena@example.net&limit=1')).body as TraceResponse;
    expect(first).toMatchObject({ total: 2, offset: 0, limit: 1 });
    expect(first.messages.map((m) => m.queueId)).toEqual(['ZZZ999']);
    expect(first.rejects).toHaveLength(1);
    const second = (await s.get('/api/v1/trace?q=lena@example.net&limit=1&offset=1')).body as TraceResponse;
    expect(second).toMatchObject({ total: 2, offset: 1 });
    expect(second.messages.map((m) => m.queueId)).toEqual(['ABC123DEF']);
    // The rejects before queueing came with the first page.
    expect(second.rejects).toEqual([]);
    const past = (await s.get('/api/v1/trace?q=lena@example.net&limit=1&offset=5')).body as TraceResponse;
    expect(past).toMatchObject({ total: 2, messages: [] });
  });

  it('unparsed: counts per program and samples as stored, and the share of the lines read', async () => {
    const before = (await s.get('/api/v1/unparsed')).body as UnparsedResponse;
    expect(before).toMatchObject({ linesRead: 0, unparsed: 1 });
    s.db.prepare("INSERT INTO line_stats (name, count) VALUES ('read', 40)").run();
    const b = (await s.get('/api/v1/unparsed')).body as UnparsedResponse;
    expect(b).toMatchObject({ linesRead: 40, unparsed: 1 });
    expect(b.counts).toEqual([{ program: 'postfix/smtpd', count: 1 }]);
    expect(b.total).toBe(1);
    expect(b.samples[0]).toMatchObject({ program: 'postfix/smtpd', reason: 'unknown warning', count: 1 });
    expect(b.samples[0]!.line).toContain('<b>thing</b>');
    const none = (await s.get('/api/v1/unparsed?program=exim')).body as UnparsedResponse;
    expect(none.samples).toEqual([]);
  });

  it('health: schema version, newest event, sources', async () => {
    const b = (await s.get('/api/v1/health')).body as HealthResponse;
    expect(b.ok).toBe(true);
    expect(b.now).toBe(NOW);
    expect(b.schemaVersion).toBeGreaterThanOrEqual(2);
    expect(b.newestAttemptTs).toBe(NOW - HOUR);
    expect(b.newestRejectTs).toBe(NOW - 30 * MINUTE);
  });
});
