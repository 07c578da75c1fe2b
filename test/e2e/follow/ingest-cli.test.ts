import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
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
    env: { ...process.env, BOUNCEWATCH_DB: dbFile },
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
    expect(first.stdout).toMatch(/unparsed\s+1 \(see them with: bouncewatch ingest .*--show-unparsed/);
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
});
