import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { postfixSent } from '../../fixtures/ingest/lines.js';
import { attempts, readLines, sentBlock } from './helpers.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'dist/server/cli/bin.js');
let dir: string;
let dbFile: string;

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-ingest-cli-'));
  dbFile = join(dir, 'bw.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'ingest', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BOUNCEWATCH_DB: dbFile, TZ: 'UTC' },
  });

const counts = () => {
  const db = openDatabase({ file: dbFile, readonly: true });
  try {
    return { lines: readLines(db), ...attempts(db) };
  } finally {
    db.close();
  }
};

describe('bouncewatch ingest (built CLI)', () => {
  it('imports a rotated set with a summary, adds nothing the second time, and shows unparsed shapes', () => {
    writeFileSync(join(dir, 'mail.log.2.gz'), gzipSync(sentBlock(0, 30)));
    writeFileSync(join(dir, 'mail.log.1'), sentBlock(30, 20));
    writeFileSync(
      join(dir, 'mail.log'),
      sentBlock(50, 10) + 'Nov 27 06:00:00 mx1 postfix/smtp[1]: a line nobody reads\n',
    );
    const first = run(join(dir, 'mail.log'), join(dir, 'mail.log.1'), join(dir, 'mail.log.2.gz'));
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/read\s+61 lines/);
    expect(first.stdout).toMatch(/recorded\s+60 \(60 deliveries/);
    // A command that runs from here (the tests run in the project's folder, where npm puts no command on the PATH).
    expect(first.stdout).toMatch(/unparsed\s+1 \(see them with: npx bouncewatch ingest .*--show-unparsed/);
    expect(first.stderr).toBe('');
    expect(counts()).toEqual({ lines: 61, total: 60, distinct: 60 });

    const again = run(join(dir, 'mail.log*'));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/read\s+0 lines/);
    expect(again.stdout).toMatch(/skipped\s+3 file/);
    expect(counts()).toEqual({ lines: 61, total: 60, distinct: 60 });

    const shapes = run('--show-unparsed');
    expect(shapes.status).toBe(0);
    expect(shapes.stdout).toContain('a line nobody reads');

    // Asked for the shapes while importing: they follow the summary, which does not point at itself.
    writeFileSync(join(dir, 'other.log'), 'Nov 28 06:00:00 mx1 postfix/smtp[1]: another line nobody reads\n');
    const both = run('--show-unparsed', join(dir, 'other.log'));
    expect(both.status).toBe(0);
    expect(both.stdout).toMatch(/^unparsed\s+1$/m);
    expect(both.stdout).not.toContain('see them with');
    expect(both.stdout).toContain('another line nobody reads');
  });

  it('ends with the span it stored and the year it assumed, and says how it decided', () => {
    const log = join(dir, 'mail.log');
    writeFileSync(log, sentBlock(0, 3));
    // Syslog times carry no year: the file's date decides it.
    utimesSync(log, new Date('2025-12-01T00:00:00Z'), new Date('2025-12-01T00:00:00Z'));
    const r = run(log);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^stored\s+events from 2025-11-27 06:00 to 2025-11-27 06:00 \(local time\)$/m);
    expect(r.stdout).toMatch(
      /^year\s+2025, from the file's date \(2025-12-01\): syslog times carry no year; use --year to set it$/m,
    );
    const forced = join(dir, 'forced.log');
    writeFileSync(forced, sentBlock(10, 2));
    const y = run('--year', '2024', forced);
    expect(y.stdout).toMatch(/^stored\s+events from 2024-11-27 06:00 to 2024-11-27 06:00/m);
    expect(y.stdout).toMatch(/^year\s+2024 \(from --year\)$/m);
    // A file that crosses New Year: its Jan 1 lines come after its Dec 31 lines, in the next year.
    const newYear = join(dir, 'new-year.log');
    writeFileSync(
      newYear,
      [
        postfixSent(1, Date.parse('2026-12-31T23:59:58Z')),
        postfixSent(2, Date.parse('2026-01-01T00:00:02Z')),
      ].join('\n') + '\n',
    );
    const crossed = run('--year', '2024', newYear);
    expect(crossed.stdout).toMatch(/^stored\s+events from 2024-12-31 23:59 to 2025-01-01 00:00/m);
    expect(crossed.stdout).toMatch(/^year\s+2024 to 2025 \(from --year 2024; the year advanced/m);
    // Times that carry their year need no guess.
    const iso = join(dir, 'iso.log');
    writeFileSync(
      iso,
      '2026-03-04T05:06:07.000000+00:00 mx1 postfix/smtp[9]: 0A1B2C3D4E: to=<iso@example.net>, relay=mx.example.net[198.51.100.25]:25, delay=0.4, delays=0.1/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n',
    );
    const dated = run(iso);
    expect(dated.stdout).toMatch(/^stored\s+events from 2026-03-04 05:06/m);
    expect(dated.stdout).not.toMatch(/^year/m);
  });

  it('warns of a file with no Postfix or Exim line, and fails when no input held one', () => {
    const png = join(dir, 'picture.png');
    writeFileSync(
      png,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
    );
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'shopping list\nmilk\n');
    const alone = run(png, notes);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain(
      `bouncewatch ingest: no Postfix or Exim line in ${png}: is this a mail log?\n`,
    );
    expect(alone.stderr).toContain(
      `bouncewatch ingest: no Postfix or Exim line in ${notes}: is this a mail log?\n`,
    );
    expect(alone.stderr).toContain('none of the files named held a Postfix or Exim line');

    // Beside a mail log, a stray file is a warning only (a file read before is not read, nor warned of, again).
    writeFileSync(join(dir, 'mail.log'), sentBlock(0, 2));
    const more = join(dir, 'more-notes.txt');
    writeFileSync(more, 'bread\n');
    const mixed = run(join(dir, 'mail.log'), notes, more);
    expect(mixed.status).toBe(0);
    expect(mixed.stderr).toBe(
      `bouncewatch ingest: no Postfix or Exim line in ${more}: is this a mail log?\n`,
    );

    const stdin = spawnSync(process.execPath, [bin, 'ingest', '--db', dbFile, '-'], {
      input: 'hello\nworld\n',
      encoding: 'utf8',
    });
    expect(stdin.status).toBe(1);
    expect(stdin.stderr).toContain('no Postfix or Exim line in stdin: is this a mail log?');
  });

  it('logs JSON lines when stderr is not a terminal, readable lines when asked', () => {
    // A damaged .gz is a warning in the log: the lines before the damage are kept.
    const whole = gzipSync(sentBlock(0, 400));
    writeFileSync(join(dir, 'mail.log.1.gz'), whole.subarray(0, whole.length - 40));
    const piped = run(join(dir, 'mail.log.1.gz'));
    expect(piped.status).toBe(0);
    const entry = JSON.parse(piped.stderr.trim().split('\n')[0]!) as { level: number; msg: string };
    expect(entry.level).toBe(40);
    expect(entry.msg).toContain('compressed file damaged');

    writeFileSync(join(dir, 'mail.log.2.gz'), whole.subarray(0, whole.length - 60));
    const pretty = spawnSync(process.execPath, [bin, 'ingest', join(dir, 'mail.log.2.gz')], {
      encoding: 'utf8',
      env: { ...process.env, BOUNCEWATCH_DB: dbFile, BOUNCEWATCH_LOG_FORMAT: 'pretty' },
    });
    expect(pretty.stderr).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}\[ingest\] compressed file damaged: kept the lines before the damage {2}path=\S+mail\.log\.2\.gz err=/m,
    );
    expect(pretty.stderr).not.toContain('{"level"');
  });

  it('reads stdin with -', () => {
    const r = spawnSync(process.execPath, [bin, 'ingest', '--db', dbFile, '-'], {
      input: sentBlock(0, 5),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(counts()).toEqual({ lines: 5, total: 5, distinct: 5 });
  });

  it('fails clearly: 2 on bad usage, 1 when no file exists', () => {
    const usage = run();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('name at least one LOG file');
    const year = run('--year', 'soon', 'x.log');
    expect(year.status).toBe(2);
    const missing = run(join(dir, 'nope.log'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });

  it('skips a directory among the names, saying so (and fails when nothing else is named)', () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'mail.log'), sentBlock(0, 5));
    const alone = run(logs);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain(
      `${logs}: a directory; name the log files in it, such as ${logs}/mail.log*`,
    );
    expect(alone.stderr).not.toContain('no such file');

    const both = run(logs, join(logs, 'mail.log'), join(dir, 'gone.log'));
    expect(both.status).toBe(0);
    expect(both.stderr).toBe(
      `bouncewatch ingest: skipped ${logs}: a directory; name the log files in it, such as ${logs}/mail.log*\n` +
        `bouncewatch ingest: skipped ${join(dir, 'gone.log')}: no such file\n`,
    );
    expect(counts()).toEqual({ lines: 5, total: 5, distinct: 5 });
  });

  it('says what a device is instead of "no such file", and reads none of it (/dev/zero never ends)', () => {
    const zero = run('/dev/zero');
    expect(zero.status).toBe(1);
    expect(zero.stderr).toContain('/dev/zero: not a regular file (a character device)');
    expect(zero.stderr).not.toContain('no such file');
    writeFileSync(join(dir, 'mail.log'), sentBlock(0, 5));
    const both = run('/dev/zero', join(dir, 'mail.log'));
    expect(both.status).toBe(0);
    expect(both.stderr).toContain('skipped /dev/zero: not a regular file (a character device)');
    expect(counts()).toEqual({ lines: 5, total: 5, distinct: 5 });
  });

  it("reads a FIFO as a stream to its writer's end, and a stop before any writer came ends it", async () => {
    const fifo = join(dir, 'mail.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const env = { ...process.env, BOUNCEWATCH_DB: dbFile, TZ: 'UTC' };
    const started = (args: string[]) => {
      const child = spawn(process.execPath, [bin, 'ingest', ...args], { env });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      return {
        child,
        exit: new Promise<{ code: number | null; out: string }>((resolve) =>
          child.once('exit', (code) => resolve({ code, out })),
        ),
      };
    };
    const reader = started([fifo]);
    // The writer opens the FIFO once the reader waits on it, writes the log and closes it.
    const writer = spawn('sh', ['-c', `cat > '${fifo}'`]);
    writer.stdin.end(sentBlock(0, 7));
    const { code, out } = await reader.exit;
    expect(out).not.toContain('no such file');
    expect(code).toBe(0);
    expect(counts()).toEqual({ lines: 7, total: 7, distinct: 7 });

    const waiting = started([fifo]);
    // Nobody writes: once it holds the database (and so waits on the FIFO), SIGTERM still ends it.
    for (let i = 0; i < 600 && !existsSync(`${dbFile}.writer-lock.json`); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    waiting.child.kill('SIGTERM');
    const stopped = await waiting.exit;
    expect(stopped.code, stopped.out).toBe(143);
  }, 30_000);
});
