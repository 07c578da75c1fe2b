// One ingest writer per database: a second follow, run or ingest refuses (exit 1) and names the one holding it,
// and a holder killed with SIGKILL leaves the lock free for the next one.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { ensureBuilt, runCli, startCli, waitForOutput } from '../../helpers/cli.js';
import { attempts, sentBlock } from './helpers.js';

let dir: string;
let dbFile: string;
let log: string;
beforeAll(() => ensureBuilt());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-writer-lock-'));
  dbFile = join(dir, 'bw.db');
  log = join(dir, 'mail.log');
  writeFileSync(log, sentBlock(0, 40));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stored = () => {
  const db = openDatabase({ file: dbFile, readonly: true });
  try {
    return attempts(db);
  } finally {
    db.close();
  }
};

describe('the writer lock', () => {
  it('refuses a second writer while follow holds it, and frees it when follow is killed', async () => {
    const follower = startCli(['follow', '--db', dbFile, log]);
    try {
      await waitForOutput(follower, /"msg":"following"/);
      const pid = String(follower.pid);
      for (const args of [
        ['follow', '--db', dbFile, log],
        ['ingest', '--db', dbFile, log],
        ['run', '--db', dbFile, '--port', '65001', log],
      ]) {
        const r = runCli(args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toContain(`is being written by bouncewatch follow (pid ${pid} on `);
        expect(r.stderr).toContain('stop it first');
      }
      expect(stored()).toEqual({ total: 40, distinct: 40 });
    } finally {
      follower.kill('SIGKILL');
      await new Promise((resolve) => follower.once('exit', resolve));
    }
    // The system freed the lock with the process; the note it left names a dead process and is replaced.
    expect(existsSync(`${dbFile}.writer-lock.json`)).toBe(true);
    writeFileSync(log, sentBlock(0, 40) + sentBlock(40, 10));
    const next = runCli(['ingest', '--db', dbFile, log]);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(stored()).toEqual({ total: 50, distinct: 50 });
    expect(existsSync(`${dbFile}.writer-lock.json`)).toBe(false);
  });

  it('lets one ingest after another take it', () => {
    expect(runCli(['ingest', '--db', dbFile, log]).code).toBe(0);
    expect(runCli(['ingest', '--db', dbFile, log]).code).toBe(0);
    expect(stored()).toEqual({ total: 40, distinct: 40 });
  });
});
