// A database with a damaged page: check-db says so and what to do, a writer refuses to add to it, and serve's
// /healthz turns unhealthy while what reads the damage answers 503 with the same advice instead of a bare 500.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { ensureBuilt, exitCode, freePort, runCli, startCli, waitForOutput } from '../../helpers/cli.js';
import { sentBlock } from './helpers.js';

let dir: string;
let dbFile: string;
let log: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'bw-damaged-'));
  dbFile = join(dir, 'bw.db');
  log = join(dir, 'mail.log');
  writeFileSync(log, sentBlock(0, 3000));
  expect(runCli(['ingest', '--db', dbFile, log]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Overwrites the root page of the attempts table (attempt_rows) with bytes that are no b-tree page. */
function damageAttempts(file: string): void {
  const db = openDatabase({ file });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'attempt_rows'").pluck().get() as
    number | undefined;
  db.close();
  if (!root) throw new Error('the attempts table attempt_rows was not found');
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged database', () => {
  it('check-db says ok on a sound file', () => {
    const r = runCli(['check-db', '--db', dbFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${dbFile}: ok\n`);
  });

  it('is named by check-db, refused by writers, and unhealthy in serve', async () => {
    damageAttempts(dbFile);
    const check = runCli(['check-db', '--db', dbFile]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${dbFile} is damaged:`);
    expect(check.stdout).toContain('.recover');

    const ingest = runCli(['ingest', '--db', dbFile, log]);
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toContain('the database is damaged');
    expect(ingest.stderr).toContain('bouncewatch check-db');

    const port = await freePort();
    const serve = startCli(['serve', '--db', dbFile, '--port', String(port)]);
    try {
      await waitForOutput(serve, /dashboard on/);
      const base = `http://127.0.0.1:${port}`;
      let health: { status: number; body: { checks: { database: { ok: boolean; error?: string } } } };
      for (let i = 0; ; i++) {
        const res = await fetch(`${base}/healthz`);
        health = { status: res.status, body: (await res.json()) as typeof health.body };
        if (health.status === 503 || i > 200) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(health.status).toBe(503);
      expect(health.body.checks.database.ok).toBe(false);
      expect(health.body.checks.database.error).toContain('bouncewatch check-db');
      const trace = await fetch(`${base}/api/v1/trace?q=user5@example.net`);
      expect(trace.status).toBe(503);
      expect(await trace.json()).toMatchObject({ error: { code: 'database-damaged' } });
    } finally {
      serve.kill('SIGTERM');
      await exitCode(serve);
    }
  });
});
