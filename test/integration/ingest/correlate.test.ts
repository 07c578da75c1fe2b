import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as L from '../../fixtures/ingest/lines.js';
import { count, outcomes, setup, type Env } from './helpers.js';

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const MIN = 60_000;
const text = (lines: readonly string[]) => lines.join('\n') + '\n';

let env: Env;
beforeEach(() => {
  env = setup();
});
afterEach(() => env.cleanup());

async function ingest(lines: readonly string[], name = 'mail.log', e = env) {
  const file = join(e.dir, name);
  writeFileSync(file, text(lines));
  return e.ingest.ingestFiles([file]);
}

interface RecipientRow {
  recipient: string;
  final_outcome: string;
  deferrals: number;
  first_attempt_ts: number;
  final_ts: number | null;
  last_cause: string | null;
  last_diagnostic: string | null;
}

const recipients = (e: Env, queueId: string) =>
  e.db
    .prepare<[string], RecipientRow>(
      `SELECT r.recipient, r.final_outcome, r.deferrals, r.first_attempt_ts, r.final_ts, r.last_cause, r.last_diagnostic
       FROM message_recipients r JOIN messages m ON m.id = r.message_rowid WHERE m.queue_id = ? ORDER BY r.recipient`,
    )
    .all(queueId);

describe('correlation by queue id', () => {
  it('fills sender, size, message-id and client; tracks delivered after deferrals and bounced', async () => {
    const q = L.queueId(1);
    await ingest([
      ...L.postfixLife(
        1,
        T0,
        [
          { to: 'a@example.net', status: 'sent' },
          { to: 'b@example.com', status: 'deferred' },
          { to: 'c@example.com', status: 'bounced' },
        ],
        { removed: false },
      ),
      L.postfixDelivery(q, T0 + 10 * MIN, 'b@example.com', 'deferred'),
      L.postfixDelivery(q, T0 + 30 * MIN, 'b@example.com', 'sent'),
      `${L.syslogStamp(T0 + 30 * MIN)} mx1 postfix/qmgr[1100]: ${q}: removed`,
    ]);
    const msg = env.db
      .prepare<[string], Record<string, unknown>>(
        'SELECT sender, sender_domain, size, nrcpt, message_id, client_host, client_ip, closed_at IS NOT NULL AS closed FROM messages WHERE queue_id = ?',
      )
      .all(q);
    expect(msg).toEqual([
      {
        sender: 'news1@sender.example.org',
        sender_domain: 'sender.example.org',
        size: 1001,
        nrcpt: 3,
        message_id: 'msg1@sender.example.org',
        client_host: 'app.sender.example.org',
        client_ip: '192.0.2.10',
        closed: 1,
      },
    ]);
    const rs = recipients(env, q);
    expect(rs.map((r) => [r.recipient, r.final_outcome, r.deferrals])).toEqual([
      ['a@example.net', 'delivered', 0],
      ['b@example.com', 'delivered', 2],
      ['c@example.com', 'bounced', 0],
    ]);
    const b = rs[1]!;
    expect(b.final_ts! - b.first_attempt_ts).toBe(30 * MIN);
    expect(b.last_cause).toBe('greylisted');
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts_full WHERE sender IS NULL')).toBe(0);
    expect(
      count(env.db, "SELECT count(*) AS n FROM attempts_full WHERE message_id = 'msg1@sender.example.org'"),
    ).toBe(5);
    // Stored once, in the life: the attempts themselves keep none of its fields.
    expect(
      count(
        env.db,
        `SELECT count(*) AS n FROM attempts
          WHERE queue_id != '' OR sender IS NOT NULL OR sender_domain IS NOT NULL OR message_id IS NOT NULL`,
      ),
    ).toBe(0);
  });

  it('starts a new life when a queue id is reused after removed', async () => {
    const a = L.postfixLife(5, T0, [{ to: 'first@example.net', status: 'sent' }], {
      sender: 'one@a.example',
    });
    const b = L.postfixLife(5, T0 + MIN, [{ to: 'second@example.net', status: 'bounced' }], {
      sender: 'two@b.example',
    });
    await ingest([...a, ...b]);
    const rows = env.db
      .prepare<[], { sender: string; closed: number }>(
        'SELECT sender, closed_at IS NOT NULL AS closed FROM messages ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      { sender: 'one@a.example', closed: 1 },
      { sender: 'two@b.example', closed: 1 },
    ]);
    const senders = env.db
      .prepare<[], { recipient: string; sender: string }>(
        'SELECT recipient, sender FROM attempts_full ORDER BY id',
      )
      .all();
    expect(senders).toEqual([
      { recipient: 'first@example.net', sender: 'one@a.example' },
      { recipient: 'second@example.net', sender: 'two@b.example' },
    ]);
  });

  it('expires the recipients still undelivered, with their last deferral cause, and links the notification', async () => {
    const q = L.queueId(3);
    const notice = L.queueId(300);
    const life = L.postfixLife(
      3,
      T0,
      [
        { to: 'ok@example.net', status: 'sent' },
        { to: 'slow1@example.com', status: 'deferred' },
        {
          to: 'slow2@example.org',
          status: 'deferred',
          reply: 'connect to mx.example.org[198.51.100.77]:25: Connection timed out',
        },
      ],
      { removed: false },
    );
    const later = T0 + 5 * 86_400_000;
    await ingest([
      ...life,
      L.postfixExpired(q, later, 'news3@sender.example.org'),
      ...L.postfixNotification(q, notice, later),
      `${L.syslogStamp(later)} mx1 postfix/qmgr[1100]: ${q}: removed`,
    ]);
    expect(outcomes(env.db)).toEqual({ sent: 1, deferred: 2, expired: 2 });
    const expired = env.db
      .prepare<[], { recipient: string; recipient_domain: string; diagnostic: string; sender: string }>(
        "SELECT recipient, recipient_domain, diagnostic, sender FROM attempts_full WHERE outcome = 'expired' ORDER BY recipient",
      )
      .all();
    expect(expired.map((e) => e.recipient_domain)).toEqual(['example.com', 'example.org']);
    expect(expired[1]!.diagnostic).toContain('Connection timed out');
    expect(expired[0]!.sender).toBe('news3@sender.example.org');
    expect(recipients(env, q).map((r) => [r.recipient, r.final_outcome])).toEqual([
      ['ok@example.net', 'delivered'],
      ['slow1@example.com', 'expired'],
      ['slow2@example.org', 'expired'],
    ]);
    expect(recipients(env, q)[2]!.last_cause).toBe('network');
    expect(
      count(env.db, 'SELECT count(*) AS n FROM messages WHERE queue_id = ? AND expired_at IS NOT NULL', q),
    ).toBe(1);
    expect(
      count(
        env.db,
        'SELECT count(*) AS n FROM messages WHERE queue_id = ? AND notification_of = ?',
        notice,
        q,
      ),
    ).toBe(1);
    expect(
      count(env.db, "SELECT coalesce(sum(count), 0) AS n FROM line_stats WHERE name = 'expired-messages'"),
    ).toBe(1);
  });

  it('keeps one life per host when two servers log the same queue id', async () => {
    const a = L.postfixLife(9, T0, [{ to: 'x@example.net', status: 'sent' }], { sender: 'a@one.example' });
    const b = a.map((l) => l.replace(' mx1 ', ' mx2 ').replace('a@one.example', 'b@two.example'));
    await ingest([a[0]!, b[0]!, a[1]!, b[1]!, a[2]!, b[2]!, a[3]!, b[3]!, a[4]!, b[4]!]);
    const rows = env.db
      .prepare<[], { host: string; sender: string }>('SELECT host, sender FROM attempts_full ORDER BY host')
      .all();
    expect(rows).toEqual([
      { host: 'mx1', sender: 'a@one.example' },
      { host: 'mx2', sender: 'b@two.example' },
    ]);
  });

  it('correlates Exim lives: <= to =>, **, == and Completed', async () => {
    await ingest(
      L.eximLife(4, T0, [
        { to: 'a@example.net', status: 'sent' },
        { to: 'b@example.com', status: 'bounced' },
        { to: 'c@example.com', status: 'deferred' },
      ]),
      'mainlog',
    );
    expect(outcomes(env.db)).toEqual({ sent: 1, bounced: 1, deferred: 1 });
    expect(
      count(env.db, "SELECT count(*) AS n FROM attempts_full WHERE sender = 'sender4@sender.example.org'"),
    ).toBe(3);
    expect(recipients(env, L.eximId(4)).map((r) => [r.recipient, r.final_outcome])).toEqual([
      ['a@example.net', 'delivered'],
      ['b@example.com', 'bounced'],
      ['c@example.com', 'pending'],
    ]);
  });

  it('classifies an Exim retry wait by the deferral it waits on, and keeps that deferral as the last word', async () => {
    const id = L.eximId(5);
    const at = (min: number) => `${L.eximStamp(T0 + min * MIN)} ${id}`;
    const other = L.eximId(6);
    await ingest(
      [
        `${at(0)} <= s@sender.example.org H=app [192.0.2.10] P=esmtps S=2000`,
        `${at(0)} == d@example.com R=dnslookup T=remote_smtp defer (111): Connection refused`,
        `${at(30)} == d@example.com R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host`,
        `${at(45)} == d@example.com routing defer (-52): retry time not reached`,
        `${at(50)} == d@example.com R=smart T=local_delivery defer (-53): Retry time not yet reached`,
        // A wait with no deferral before it in the log says nothing either: it stays unclassified.
        `${L.eximStamp(T0)} ${other} == w@example.org R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host`,
      ],
      'mainlog',
    );
    const rows = env.db
      .prepare<
        [],
        { recipient: string; cause: string; class: string; reply_code: number | null; diagnostic: string }
      >('SELECT recipient, cause, class, reply_code, diagnostic FROM attempts ORDER BY ts, id')
      .all();
    expect(rows).toEqual([
      {
        recipient: 'd@example.com',
        cause: 'network',
        class: 'temporary',
        reply_code: null,
        diagnostic: 'Connection refused',
      },
      {
        recipient: 'w@example.org',
        cause: 'unclassified',
        class: 'temporary',
        reply_code: null,
        diagnostic: 'retry time not reached for any host',
      },
      {
        recipient: 'd@example.com',
        cause: 'network',
        class: 'temporary',
        reply_code: null,
        diagnostic: 'retry time not reached for any host',
      },
      {
        recipient: 'd@example.com',
        cause: 'network',
        class: 'temporary',
        reply_code: null,
        diagnostic: 'retry time not reached',
      },
      {
        recipient: 'd@example.com',
        cause: 'network',
        class: 'temporary',
        reply_code: null,
        diagnostic: 'Retry time not yet reached',
      },
    ]);
    // The waits are kept for the trace (flags 2) but are not attempts: one deferral, three waits.
    expect(recipients(env, id).map((r) => [r.final_outcome, r.deferrals, r.last_cause])).toEqual([
      ['pending', 1, 'network'],
    ]);
    expect(
      env.db
        .prepare<[], { flags: number }>('SELECT flags FROM attempts ORDER BY ts, id')
        .all()
        .map((r) => r.flags),
    ).toEqual([0, 2, 2, 2, 2]);
  });

  it('after a restart, an expiry and an Exim retry wait still go by the deferral read before it', async () => {
    const q = L.queueId(12);
    const pf = L.postfixLife(
      12,
      T0,
      [
        {
          to: 'slow@example.org',
          status: 'deferred',
          reply: 'connect to mx.example.org[198.51.100.77]:25: Connection timed out',
        },
      ],
      { removed: false },
    );
    const ex = L.eximId(13);
    await ingest(
      [
        ...pf,
        `${L.eximStamp(T0)} ${ex} == d@example.com R=dnslookup T=remote_smtp defer (111): Connection refused`,
      ],
      'part1.log',
    );
    const restarted = { ...env, ingest: env.restart() };
    const later = T0 + 5 * 86_400_000;
    await ingest(
      [
        L.postfixExpired(q, later, 'news12@sender.example.org'),
        `${L.syslogStamp(later)} mx1 postfix/qmgr[1100]: ${q}: removed`,
        `${L.eximStamp(T0 + 30 * MIN)} ${ex} == d@example.com R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host`,
      ],
      'part2.log',
      restarted,
    );
    const after = env.db
      .prepare<[], { outcome: string; cause: string; diagnostic: string }>(
        "SELECT outcome, cause, diagnostic FROM attempts WHERE outcome = 'expired' OR diagnostic LIKE 'retry%' ORDER BY id",
      )
      .all();
    expect(after.map((a) => [a.outcome, a.cause])).toEqual([
      ['expired', 'network'],
      ['deferred', 'network'],
    ]);
    expect(after[0]!.diagnostic).toContain('Connection timed out');
    expect(after[1]!.diagnostic).toBe('retry time not reached for any host');
  });

  it('picks up open lives after a restart', async () => {
    const q = L.queueId(11);
    const first = L.postfixLife(11, T0, [{ to: 'r@example.com', status: 'deferred' }], { removed: false });
    await ingest(first, 'part1.log');
    const restarted = { ...env, ingest: env.restart() };
    await ingest(
      [
        L.postfixDelivery(q, T0 + 20 * MIN, 'r@example.com', 'sent'),
        `${L.syslogStamp(T0 + 20 * MIN)} mx1 postfix/qmgr[1100]: ${q}: removed`,
      ],
      'part2.log',
      restarted,
    );
    expect(count(env.db, 'SELECT count(*) AS n FROM messages')).toBe(1);
    expect(recipients(env, q).map((r) => [r.final_outcome, r.deferrals])).toEqual([['delivered', 1]]);
    expect(
      count(
        env.db,
        "SELECT count(*) AS n FROM attempts_full WHERE outcome = 'sent' AND sender = 'news11@sender.example.org'",
      ),
    ).toBe(1);
  });

  it("lets two engines write lives to one database without taking each other's ids", async () => {
    const other = { ...env, ingest: env.restart() };
    await ingest(
      L.postfixLife(21, T0, [{ to: 'one@example.net', status: 'deferred' }], { removed: false }),
      'a.log',
    );
    await ingest(
      L.postfixLife(22, T0, [{ to: 'two@example.net', status: 'deferred' }], { removed: false }),
      'b.log',
      other,
    );
    await ingest([L.postfixDelivery(L.queueId(21), T0 + MIN, 'one@example.net', 'sent')], 'a2.log');
    const rows = env.db
      .prepare<[], { queue_id: string; sender: string; outcome: string }>(
        `SELECT m.queue_id, m.sender, r.final_outcome AS outcome FROM messages m
         JOIN message_recipients r ON r.message_rowid = m.id ORDER BY m.queue_id`,
      )
      .all();
    expect(rows).toEqual([
      { queue_id: L.queueId(21), sender: 'news21@sender.example.org', outcome: 'delivered' },
      { queue_id: L.queueId(22), sender: 'news22@sender.example.org', outcome: 'pending' },
    ]);
  });
});
