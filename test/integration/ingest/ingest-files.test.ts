import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRetention } from '../../../db/sqlite/write/retention.js';
import { orderForImport } from '../../../server/ingest/files.js';
import * as L from '../../fixtures/ingest/lines.js';
import { count, lineStat, outcomes, setup, type Env } from './helpers.js';

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const MIN = 60_000;

/** n single-delivery lives (sent), each 5 lines. */
function sentLives(from: number, n: number, t = T0): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++)
    out.push(...L.postfixLife(i, t + i * 1000, [{ to: `user${i}@example.net`, status: 'sent' }]));
  return out;
}

const text = (lines: readonly string[]) => lines.join('\n') + '\n';

/** Marks a file as written long ago (its unterminated last line, if any, counts). */
const age = (path: string) => utimesSync(path, new Date(T0 + 86_400_000), new Date(T0 + 86_400_000));

let env: Env;
beforeEach(() => {
  env = setup();
});
afterEach(() => env.cleanup());

describe('ingestFiles', () => {
  it('stores every delivery with its rollups and counts every line', async () => {
    const lines = [
      ...sentLives(0, 20),
      ...L.postfixLife(100, T0, [
        { to: 'a@example.com', status: 'deferred' },
        { to: 'b@example.com', status: 'bounced' },
      ]),
      'Nov 20 08:00:00 mx1 dovecot: imap-login: Login: user=<x>',
    ];
    const file = join(env.dir, 'mail.log');
    writeFileSync(file, text(lines));
    age(file);
    const s = await env.ingest.ingestFiles([file], { year: 2026 });
    expect(s.linesRead).toBe(lines.length);
    expect(s.recorded.delivery).toBe(22);
    expect(s.foreign).toBe(1);
    expect(outcomes(env.db)).toEqual({ sent: 20, deferred: 1, bounced: 1 });
    expect(lineStat(env.db, 'read')).toBe(lines.length);
    // November 20th is more than two days back: hours and days count it, minute rollups are not kept.
    expect(count(env.db, 'SELECT count(*) AS n FROM rollups_minute')).toBe(0);
    for (const table of ['rollups_hour', 'rollups_day']) {
      expect(count(env.db, `SELECT sum(count) AS n FROM ${table} WHERE outcome = 'sent'`)).toBe(20);
      expect(
        count(
          env.db,
          `SELECT sum(count) AS n FROM ${table} WHERE outcome = 'bounced' AND domain = 'example.com'`,
        ),
      ).toBe(1);
    }
    const bounced = env.db
      .prepare<[], { class: string; cause: string | null; hard_bounce: number }>(
        "SELECT class, cause, hard_bounce FROM attempts WHERE outcome = 'bounced'",
      )
      .get();
    expect(bounced).toEqual({ class: 'permanent', cause: 'recipient-unknown', hard_bounce: 1 });
    expect(env.batches.reduce((n, b) => n + b.attempts.length, 0)).toBe(22);
  });

  it('adds nothing when a file is imported again, and only the new lines after it grew', async () => {
    const file = join(env.dir, 'mail.log');
    writeFileSync(file, text(sentLives(0, 50)));
    await env.ingest.ingestFiles([file]);
    const again = await env.ingest.ingestFiles([file]);
    expect(again.linesRead).toBe(0);
    expect(again.files[0]?.status).toBe('unchanged');
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts')).toBe(50);

    appendFileSync(file, text(sentLives(50, 10)));
    const grown = await env.restart().ingestFiles([file]);
    expect(grown.linesRead).toBe(50);
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts')).toBe(60);
    expect(count(env.db, 'SELECT count(DISTINCT recipient) AS n FROM attempts')).toBe(60);
  });

  it('keeps a file shorter than the fingerprint and still recognises it once it grew', async () => {
    const file = join(env.dir, 'mail.log');
    writeFileSync(file, L.postfixSent(1, T0) + '\n');
    await env.ingest.ingestFiles([file]);
    appendFileSync(file, text(sentLives(10, 30)));
    await env.ingest.ingestFiles([file]);
    await env.ingest.ingestFiles([file]);
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts')).toBe(31);
    expect(count(env.db, 'SELECT count(*) AS n FROM sources')).toBe(1);
  });

  it('reads .gz files and recognises the same text compressed later', async () => {
    const plain = join(env.dir, 'mail.log.1');
    const content = text(sentLives(0, 40));
    writeFileSync(plain, content);
    age(plain);
    await env.ingest.ingestFiles([plain]);
    const gz = join(env.dir, 'mail.log.2.gz');
    writeFileSync(gz, gzipSync(Buffer.from(content)));
    const s = await env.ingest.ingestFiles([gz]);
    expect(s.linesRead).toBe(0);
    const other = join(env.dir, 'other.log.gz');
    writeFileSync(other, gzipSync(Buffer.from(text(sentLives(100, 7)))));
    const s2 = await env.ingest.ingestFiles([other]);
    expect(s2.linesRead).toBe(35);
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts')).toBe(47);
    expect((await env.ingest.ingestFiles([other])).linesRead).toBe(0);
  });

  it('orders rotated sets oldest first and correlates across the files', async () => {
    expect(
      orderForImport(['/l/mail.log', '/l/mail.log.1', '/l/mail.log.3.gz', '/l/mail.log.2.gz', '/x/exim.log']),
    ).toEqual(['/l/mail.log.3.gz', '/l/mail.log.2.gz', '/l/mail.log.1', '/l/mail.log', '/x/exim.log']);
    expect(orderForImport(['m-20261102.gz', 'm', 'm-20261101.gz'])).toEqual([
      'm-20261101.gz',
      'm-20261102.gz',
      'm',
    ]);
    // A life that starts in the oldest file and delivers in the newest: the sender is known only in order.
    const life = L.postfixLife(7, T0, [{ to: 'late@example.org', status: 'sent' }]);
    const opening = life.slice(0, 3);
    const rest = life.slice(3);
    writeFileSync(join(env.dir, 'mail.log.2.gz'), gzipSync(Buffer.from(text(opening))));
    writeFileSync(join(env.dir, 'mail.log.1'), text(sentLives(20, 3)));
    writeFileSync(join(env.dir, 'mail.log'), text(rest));
    age(join(env.dir, 'mail.log.1'));
    age(join(env.dir, 'mail.log'));
    const s = await env.ingest.ingestFiles([join(env.dir, 'mail.log*')]);
    expect(s.files.map((f) => f.path.slice(env.dir.length + 1))).toEqual([
      'mail.log.2.gz',
      'mail.log.1',
      'mail.log',
    ]);
    const row = env.db
      .prepare<[], { sender: string; sender_domain: string; message_id: string }>(
        "SELECT sender, sender_domain, message_id FROM attempts_full WHERE recipient = 'late@example.org'",
      )
      .get();
    expect(row).toEqual({
      sender: 'news7@sender.example.org',
      sender_domain: 'sender.example.org',
      message_id: 'msg7@sender.example.org',
    });
  });

  it('reads a stream (stdin) without a checkpoint', async () => {
    const s = await env.ingest.ingestStream(Readable.from([Buffer.from(text(sentLives(0, 3)))]), {
      name: 'stdin',
    });
    expect(s.linesRead).toBe(15);
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts')).toBe(3);
    expect(count(env.db, 'SELECT count(*) AS n FROM sources')).toBe(0);
  });

  it('counts and samples unparsed lines by shape', async () => {
    const file = join(env.dir, 'mail.log');
    const odd = (n: number) =>
      `Nov 20 08:00:0${n} mx1 postfix/smtp[99${n}]: something nobody has seen before ${n}${n}`;
    writeFileSync(file, text([odd(1), odd(2), odd(3), L.postfixSent(1, T0)]));
    age(file);
    const s = await env.ingest.ingestFiles([file]);
    expect(s.unparsed).toBe(3);
    expect(count(env.db, "SELECT count AS n FROM unparsed_counts WHERE program = 'postfix/smtp'")).toBe(3);
    const samples = env.db
      .prepare<[], { count: number; line: string }>('SELECT count, line FROM unparsed_samples')
      .all();
    expect(samples).toHaveLength(1);
    expect(samples[0]?.count).toBe(3);
    expect(samples[0]?.line).toBe(odd(1));
  });

  it('survives invalid UTF-8 and a 1 MB line with correct byte offsets', async () => {
    const file = join(env.dir, 'mail.log');
    const big = `Nov 20 08:00:00 mx1 postfix/smtp[1]: ${'x'.repeat(1024 * 1024)}`;
    const bad = Buffer.concat([
      Buffer.from('Nov 20 08:00:00 mx1 postfix/smtp[1]: 1A2B3C: to=<caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('@example.net>, relay=none, delay=1, dsn=5.1.2, status=bounced (bad)\n'),
    ]);
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(L.postfixSent(1, T0) + '\n' + big + '\n'),
        bad,
        Buffer.from(L.postfixSent(2, T0) + '\n'),
      ]),
    );
    const s = await env.ingest.ingestFiles([file]);
    expect(s.linesRead).toBe(4);
    expect(count(env.db, "SELECT count(*) AS n FROM attempts WHERE recipient LIKE 'user%'")).toBe(2);
    appendFileSync(file, L.postfixSent(3, T0) + '\n');
    expect((await env.ingest.ingestFiles([file])).linesRead).toBe(1);
  });

  it('leaves the unterminated last line of a live file for later, and reads it once completed', async () => {
    const file = join(env.dir, 'mail.log');
    const line = L.postfixSent(9, T0);
    writeFileSync(file, L.postfixSent(8, T0) + '\n' + line.slice(0, 40));
    expect((await env.ingest.ingestFiles([file])).linesRead).toBe(1);
    appendFileSync(file, line.slice(40) + '\n');
    expect((await env.ingest.ingestFiles([file])).linesRead).toBe(1);
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts WHERE recipient = ?', 'user9@example.net')).toBe(
      1,
    );
  });
});

describe('retention', () => {
  it('prunes raw rows and old minute rollups, keeps hour and day rollups', async () => {
    const file = join(env.dir, 'mail.log');
    const now = Date.now();
    writeFileSync(
      file,
      text([...sentLives(0, 5, now - 10 * 86_400_000), ...sentLives(10, 3, now - 5 * MIN)]),
    );
    await env.ingest.ingestFiles([file]);
    const before = count(env.db, "SELECT sum(count) AS n FROM rollups_day WHERE outcome = 'sent'");
    const r = createRetention(env.db).prune(now, 7);
    expect(r.attempts).toBe(5);
    expect(count(env.db, 'SELECT count(*) AS n FROM attempts')).toBe(3);
    expect(count(env.db, 'SELECT count(*) AS n FROM messages')).toBe(3);
    // The time blocks that stand in for time indexes (migration 12) narrow to the rows kept.
    expect(count(env.db, 'SELECT MIN(min_ts) AS n FROM attempt_blocks')).toBe(
      count(env.db, 'SELECT MIN(ts) AS n FROM attempts'),
    );
    expect(count(env.db, 'SELECT MIN(min_ts) AS n FROM message_blocks')).toBe(
      count(env.db, 'SELECT MIN(first_ts) AS n FROM messages'),
    );
    expect(count(env.db, "SELECT sum(count) AS n FROM rollups_day WHERE outcome = 'sent'")).toBe(before);
    expect(
      count(env.db, 'SELECT count(*) AS n FROM rollups_minute WHERE bucket < ?', now - 2 * 86_400_000),
    ).toBe(0);
  });

  it('keeps a life with a line since the cutoff whole: its old deferral and its queue id stay', async () => {
    const file = join(env.dir, 'mail.log');
    const now = Date.now();
    const q = L.queueId(40);
    // Deferred eight days ago, delivered and removed yesterday; beside it, a life all eight days old.
    const lines = [
      ...L.postfixLife(40, now - 8 * 86_400_000, [{ to: 'slow@example.net', status: 'deferred' }], {
        removed: false,
      }),
      ...sentLives(41, 1, now - 8 * 86_400_000),
      L.postfixDelivery(q, now - 86_400_000, 'slow@example.net', 'sent'),
      `${L.syslogStamp(now - 86_400_000)} mx1 postfix/qmgr[1100]: ${q}: removed`,
    ];
    writeFileSync(file, text(lines));
    await env.ingest.ingestFiles([file]);
    const r = createRetention(env.db).prune(now, 7);
    expect(r).toMatchObject({ attempts: 1, messages: 1 });
    expect(
      env.db
        .prepare(
          "SELECT recipient, outcome, queue_id AS queueId FROM attempts_full WHERE recipient = 'slow@example.net' ORDER BY ts",
        )
        .all(),
    ).toEqual([
      { recipient: 'slow@example.net', outcome: 'deferred', queueId: q },
      { recipient: 'slow@example.net', outcome: 'sent', queueId: q },
    ]);
    expect(
      env.db.prepare('SELECT recipient, final_outcome, deferrals FROM message_recipients').all(),
    ).toEqual([{ recipient: 'slow@example.net', final_outcome: 'delivered', deferrals: 1 }]);
    // Once its last line is older than the cutoff too, the life goes with its attempts.
    expect(createRetention(env.db).prune(now + 7 * 86_400_000, 7)).toMatchObject({
      attempts: 2,
      messages: 1,
    });
    expect(count(env.db, 'SELECT count(*) AS n FROM messages')).toBe(0);
  });
});
