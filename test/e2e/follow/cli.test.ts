import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { postfixSent, queueId } from '../../fixtures/ingest/lines.js';
import { attempts, burstBlock, readLines, sentBlock, waitFor } from './helpers.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'dist/server/cli/bin.js');

let dir: string;
let dbFile: string;
let log: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-follow-cli-'));
  dbFile = join(dir, 'bw.db');
  log = join(dir, 'mail.log');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function follow(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; exit: Promise<number | string> } {
  const child = spawn(process.execPath, [bin, 'follow', '--db', dbFile, ...args], {
    env: { ...env, BOUNCEWATCH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && code !== 130 && code !== 143 && signal === null) process.stderr.write(stderr);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { child, exit };
}

/** Polls the database through its own read-only connection (the CLI is the writer). */
async function until(check: (db: Db) => boolean, what: string, timeoutMs = 40_000): Promise<void> {
  await waitFor(() => existsSync(dbFile), 10_000, 'the database');
  const db = openDatabase({ file: dbFile, readonly: true });
  const safely = () => {
    try {
      return check(db);
    } catch {
      return false; // not migrated yet
    }
  };
  try {
    await waitFor(safely, timeoutMs, what);
  } finally {
    db.close();
  }
}

function final<T>(read: (db: Db) => T): T {
  const db = openDatabase({ file: dbFile, readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('bouncewatch follow (built CLI)', () => {
  it('loses and doubles nothing over SIGKILL mid-batch, a rotation while down, and SIGTERM', async () => {
    const first = 400_000;
    writeFileSync(log, burstBlock(0, first));
    const a = follow([log]);
    await until((db) => readLines(db) >= 20_000, 'some committed batches');
    a.child.kill('SIGKILL');
    expect(await a.exit).toBe('SIGKILL');
    const atKill = final(readLines);
    expect(atKill).toBeLessThan(first);
    // While it is down: more lines, then a create rotation and more lines in the new file.
    appendFileSync(log, sentBlock(100_000, 50));
    renameSync(log, `${log}.1`);
    writeFileSync(log, sentBlock(100_050, 50));
    const b = follow([log]);
    const total = first + 100;
    await until((db) => readLines(db) >= total, 'the rest after restart');
    appendFileSync(log, sentBlock(100_100, 10));
    await until((db) => attempts(db).total >= first / 100 + 110, 'the live lines');
    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(143);
    expect(final(readLines)).toBe(total + 10);
    expect(final(attempts)).toEqual({ total: first / 100 + 110, distinct: first / 100 + 110 });
  }, 120_000);

  it('--journal follows journalctl -o json and resumes after its cursor', async () => {
    const binDir = join(dir, 'bin');
    mkdirSync(binDir);
    const entries = join(dir, 'entries.jsonl');
    const argsLog = join(dir, 'args.log');
    const entry = (n: number) =>
      JSON.stringify({
        __CURSOR: `s=feed;i=${n}`,
        __REALTIME_TIMESTAMP: String((Date.UTC(2026, 10, 27, 9, 0, 0) + n * 1000) * 1000),
        _HOSTNAME: 'mx1',
        SYSLOG_IDENTIFIER: 'postfix/smtp',
        _PID: '1203',
        MESSAGE: postfixSent(n, 0).slice(postfixSent(n, 0).indexOf(queueId(n))),
      });
    writeFileSync(entries, [1, 2, 3].map(entry).join('\n') + '\n');
    // A stand-in for journalctl: prints the entries after --after-cursor, then waits like -f does.
    writeFileSync(
      join(binDir, 'journalctl'),
      `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(argsLog)}, args.join(' ') + '\\n');
const after = (args.find((a) => a.startsWith('--after-cursor=')) || '').slice(15);
let lines = fs.readFileSync(${JSON.stringify(entries)}, 'utf8').split('\\n').filter(Boolean);
if (after) lines = lines.slice(lines.findIndex((l) => JSON.parse(l).__CURSOR === after) + 1);
process.stdout.write(lines.map((l) => l + '\\n').join(''));
setInterval(() => {}, 1000);
`,
    );
    chmodSync(join(binDir, 'journalctl'), 0o755);
    const env = { ...process.env, PATH: `${binDir}:${process.env['PATH'] ?? ''}` };
    const a = follow(['--journal'], env);
    await until((db) => attempts(db).total >= 3, 'three journal entries');
    a.child.kill('SIGTERM');
    expect(await a.exit).toBe(143);
    appendFileSync(entries, [4, 5].map(entry).join('\n') + '\n');
    const b = follow(['--journal'], env);
    await until((db) => attempts(db).total >= 5, 'two more entries');
    b.child.kill('SIGINT');
    expect(await b.exit).toBe(130);
    expect(final(attempts)).toEqual({ total: 5, distinct: 5 });
    const calls = readFileSync(argsLog, 'utf8').trim().split('\n');
    expect(calls[0]).toContain('-o json');
    expect(calls[0]).toContain('-u postfix*');
    expect(calls[1]).toContain('--after-cursor=s=feed;i=3');
  }, 60_000);

  it('refuses a device or a FIFO to follow, saying what it is, instead of waiting for a file to appear', () => {
    const fifo = join(dir, 'mail.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const [path, what] of [
      ['/dev/zero', 'a character device'],
      [fifo, 'a FIFO'],
    ] as const) {
      const r = spawnSync(process.execPath, [bin, 'follow', '--db', dbFile, path], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${path}: not a regular file (${what})`);
    }
  });
});
