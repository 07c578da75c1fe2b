// `bouncewatch report` on a database written by another version: an older one is upgraded first (or the report
// says how to upgrade it), a newer one is refused.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadMigrations, migrate, newestSchemaVersion } from '../../../db/sqlite/migrate.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { CliError } from '../../../server/cli/args.js';
import { openReportDb } from '../../../server/cli/commands/report.js';
import { main } from '../../../server/cli/main.js';
import { memoryIo } from '../../helpers/cli.js';
import { fixtureDatabase } from './fixture-db.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Tuesday 10:00 UTC of 2026-W47. */
const T = Date.parse('2026-11-17T10:00:00Z');
const NEWEST = newestSchemaVersion();
const OLDER = Array.from({ length: NEWEST - 1 }, (_, i) => i + 1);

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bouncewatch-report-upgrade-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A database as a bouncewatch at schema `version` left it: only the first `version` migrations, WAL mode (unless
 * told otherwise), and a few rows in the columns every schema since 1 has (two message lives: one delivered to ann
 * and bounced for bob, one that expired with cy deferred), with the hour and day rollups counting them.
 */
function olderDatabase(version: number, options: { in?: string; wal?: boolean } = {}): string {
  const file = join(options.in ?? dir, `v${version}-${++count}.db`);
  const db = new Database(file);
  if (options.wal !== false) db.pragma('journal_mode = WAL');
  // Rows go in as schema 9 took them (later schemas convert them): views stand for those tables since 10.
  migrate(db, loadMigrations().slice(0, Math.min(version, 9)));
  const life = db.prepare(
    `INSERT INTO messages (id, host, mta, queue_id, first_ts, last_ts, sender, sender_domain, expired_at, closed_at)
     VALUES (?, 'mx1', 'postfix', ?, ?, ?, 'news@shop.example.org', 'shop.example.org', ?, ?)`,
  );
  life.run(1, 'Q1', T, T + 5 * 60_000, null, T + 5 * 60_000);
  life.run(2, 'Q2', T - 5 * DAY, T, T, T);
  const attempt = db.prepare(
    `INSERT INTO attempts (ts, host, mta, program, queue_id, recipient, recipient_domain, sender, sender_domain,
                           outcome, reply_code, enhanced_status, diagnostic, class, cause, hard_bounce)
     VALUES (?, 'mx1', 'postfix', ?, ?, ?, 'example.net', 'news@shop.example.org', 'shop.example.org',
             ?, ?, ?, ?, ?, ?, ?)`,
  );
  attempt.run(
    T + 60_000,
    'postfix/smtp',
    'Q1',
    'ann@example.net',
    'sent',
    250,
    '2.0.0',
    '250 2.0.0 OK',
    'success',
    null,
    0,
  );
  attempt.run(
    T + 2 * 60_000,
    'postfix/smtp',
    'Q1',
    'bob@example.net',
    'bounced',
    550,
    '5.1.1',
    '550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown',
    'permanent',
    'recipient-unknown',
    1,
  );
  attempt.run(
    T - 4 * DAY,
    'postfix/smtp',
    'Q2',
    'cy@example.net',
    'deferred',
    451,
    '4.7.1',
    '451 4.7.1 Try again later',
    'temporary',
    'rate-limited',
    0,
  );
  attempt.run(
    T,
    'postfix/qmgr',
    'Q2',
    'cy@example.net',
    'expired',
    451,
    '4.7.1',
    '451 4.7.1 Try again later',
    'permanent',
    'rate-limited',
    0,
  );
  const rollup = (table: string, bucket: number, outcome: string, cls: string, cause: string, code: string) =>
    db
      .prepare(`INSERT INTO ${table} VALUES (?, 'mx1', 'example.net', '', ?, ?, ?, ?, 1)`)
      .run(bucket, outcome, cls, cause, code);
  for (const [ts, outcome, cls, cause, code] of [
    [T + 60_000, 'sent', 'success', '', '2.0.0'],
    [T + 2 * 60_000, 'bounced', 'permanent', 'recipient-unknown', '5.1.1'],
    [T - 4 * DAY, 'deferred', 'temporary', 'rate-limited', '4.7.1'],
    [T, 'expired', 'permanent', 'rate-limited', '4.7.1'],
  ] as const) {
    rollup('rollups_hour', Math.floor(ts / HOUR) * HOUR, outcome, cls, cause, code);
    rollup('rollups_day', Math.floor(ts / DAY) * DAY, outcome, cls, cause, code);
  }
  if (version > 9) migrate(db, loadMigrations().slice(0, version));
  db.close();
  return file;
}

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Runs the CLI in-process; `said` collects what goes to process.stderr directly (the upgrade notices). */
async function cli(argv: string[]) {
  let said = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    said += String(chunk);
    return true;
  });
  const t = memoryIo();
  const code = await main(argv, t.io);
  vi.restoreAllMocks();
  return { code, out: t.out(), err: t.err(), said };
}

describe('bouncewatch report on an older database', () => {
  it('knows a newest schema above 1, so there are older ones to test', () => {
    expect(NEWEST).toBe(loadMigrations().at(-1)!.version);
    expect(OLDER.length).toBeGreaterThan(0);
  });

  it.each(OLDER)('upgrades a database at schema %i, then reports on it', async (version) => {
    const file = olderDatabase(version);
    const r = await cli(['report', '--db', file, '--all', '--format', 'json', '--tz', 'UTC']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (let v = version + 1; v <= NEWEST; v++) {
      expect(r.said).toContain(`bouncewatch: upgrading ${file} to schema ${v} (`);
    }
    expect(userVersion(file)).toBe(NEWEST);
    const json = JSON.parse(r.out) as {
      totals: Record<string, number>;
      hardBounces: { address: string }[];
      expiredMessages: { queueId: string; recipients: { recipient: string }[] }[];
    };
    expect(json.totals).toEqual({ sent: 1, deferred: 1, bounced: 1, expired: 1, rejected: 0 });
    expect(json.hardBounces.map((h) => h.address)).toEqual(['bob@example.net']);
    expect(json.expiredMessages).toMatchObject([
      { queueId: 'Q2', recipients: [{ recipient: 'cy@example.net', cause: 'rate-limited' }] },
    ]);
  });

  it('reports on a database already at the newest schema without upgrading it', async () => {
    const file = olderDatabase(NEWEST);
    const r = await cli(['report', '--db', file, '--all', '--format', 'json', '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.said).toBe('');
  });

  it('says how to upgrade a database it cannot write, in one line', () => {
    const file = olderDatabase(4);
    // The writable connection as SQLite gives it for a file the user may only read (root may write any file, so
    // the permissions case below cannot run as root): opened read-only, it refuses the migrations' writes.
    const readOnlyWriter = (o: { file: string }): Db => {
      const db = openDatabase({ file: o.file, readonly: true });
      try {
        migrate(db);
      } finally {
        db.close();
      }
      return db;
    };
    let error: unknown;
    try {
      openReportDb(file, readOnlyWriter).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CliError);
    const message = (error as CliError).message;
    expect(message).toBe(
      `cannot upgrade ${file} from schema 4 to schema ${NEWEST}, which this bouncewatch needs ` +
        `(attempt to write a readonly database): open it once with write access, e.g. ` +
        `bouncewatch ingest --db ${file} --show-unparsed as the user that owns it, or restart the bouncewatch daemon (run, follow or serve) on it`,
    );
    expect(userVersion(file)).toBe(4);
  });

  // Root may write any file, so this case runs only as another user; the one above stands in for it as root.
  it.skipIf(process.getuid?.() === 0)(
    'says how to upgrade a database in a read-only file and directory',
    async () => {
      // Not in WAL mode: SQLite cannot even read a WAL database in a read-only directory unless its -shm file is
      // there (while a writer holds it open), and a report has always needed that (docs/reports.md).
      const sub = mkdtempSync(join(dir, 'ro-'));
      const file = olderDatabase(4, { in: sub, wal: false });
      chmodSync(file, 0o444);
      chmodSync(sub, 0o555);
      try {
        const r = await cli(['report', '--db', file, '--all']);
        expect(r.code).toBe(1);
        expect(r.out).toBe('');
        expect(r.err.split('\n')).toHaveLength(2);
        expect(r.err).toContain(
          `bouncewatch report: cannot upgrade ${file} from schema 4 to schema ${NEWEST}, which this bouncewatch needs (`,
        );
        expect(r.err).toContain(
          `open it once with write access, e.g. bouncewatch ingest --db ${file} --show-unparsed`,
        );
        expect(userVersion(file)).toBe(4);
      } finally {
        chmodSync(sub, 0o755);
      }
    },
  );
});

describe('a database written by a newer bouncewatch', () => {
  function newerDatabase(): string {
    const file = join(dir, `newer-${++count}.db`);
    fixtureDatabase(file).db.close();
    const db = new Database(file);
    db.pragma(`user_version = ${NEWEST + 3}`);
    db.close();
    return file;
  }

  it('is refused by report and by ingest in one line, and left as it was', async () => {
    const file = newerDatabase();
    const refusal = `${file} was written by a newer bouncewatch (schema ${NEWEST + 3}; this one knows up to ${NEWEST}): upgrade bouncewatch`;
    const report = await cli(['report', '--db', file, '--all']);
    expect(report.code).toBe(1);
    expect(report.out).toBe('');
    expect(report.err).toBe(`bouncewatch report: ${refusal}\n`);
    const ingest = await cli(['ingest', '--db', file, '--show-unparsed']);
    expect(ingest.code).toBe(1);
    expect(ingest.out).toBe('');
    expect(ingest.err).toBe(`bouncewatch ingest: ${refusal}\n`);
    expect(userVersion(file)).toBe(NEWEST + 3);
  });
});
