// A bulk import killed at several points leaves indexes unbuilt; the next process that takes the writer lock
// (here `serve`, with no writer running) builds them, and the report is served from indexes again. The import
// run again afterwards loses and doubles nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/sqlite/open.js';
import {
  ensureBuilt,
  exitCode,
  freePort,
  repoRoot,
  runCli,
  startCli,
  waitForOutput,
} from '../helpers/cli.js';
import { attempts, sentBlock } from '../e2e/follow/helpers.js';
import { STARTED, startProber } from './server.js';
import { readDb } from './read-db.js';

const LINES = 60_000;
let dir: string;
let log: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'bw-killed-import-'));
  log = join(dir, 'mail.log');
  writeFileSync(log, sentBlock(0, LINES));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const indexNames = (db: Db) =>
  (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);

const missing = (db: Db) =>
  (db.prepare('SELECT count(*) AS n FROM ingest_deferred_indexes').get() as { n: number }).n;

async function until<T>(
  what: string,
  probe: () => T | null | Promise<T | null>,
  ok: (v: T) => boolean,
): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await probe();
    if (v !== null && ok(v)) return v;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a killed bulk import', () => {
  let healthy: string[];
  beforeAll(() => {
    const fresh = join(dir, 'fresh.db');
    openDatabase({ file: fresh }).close();
    healthy = readDb(fresh, indexNames) ?? [];
    expect(healthy.length).toBeGreaterThan(10);
  });

  for (const point of [0, 15_000, 35_000]) {
    it(`killed after ${point} attempts: serve builds the indexes, the report reads them, a new import completes`, async () => {
      const dbFile = join(dir, `at-${point}.db`);
      const importer = spawn(
        process.execPath,
        [join(repoRoot, 'dist/server/cli/bin.js'), 'ingest', '--db', dbFile, log],
        {
          stdio: 'ignore',
        },
      );
      const killed = new Promise((resolve) => importer.once('exit', resolve));
      await until(
        'the import to set indexes aside and commit rows',
        () => readDb(dbFile, (db) => ({ missing: missing(db), attempts: attempts(db).total })),
        (v) => v.missing > 0 && v.attempts >= point,
      );
      importer.kill('SIGKILL');
      await killed;
      expect(readDb(dbFile, missing)).toBeGreaterThan(0);

      const port = await freePort();
      const serve = startCli(['serve', '--db', dbFile, '--port', String(port)], { ownSession: true });
      try {
        await waitForOutput(serve, /dashboard on/);
        await waitForOutput(serve, STARTED);
        // /healthz answers within 100 ms while serve builds the indexes on its other thread.
        const prober = startProber(`http://127.0.0.1:${port}`, `killed import at ${point}`, serve.pid);
        await prober.probing;
        const health = await until(
          'the indexes to be built',
          async () =>
            (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<{ indexesMissing: number }>,
          (h) => h.indexesMissing === 0,
        );
        expect(health.indexesMissing).toBe(0);
        const probes = await prober.stop();
        expect(probes.failures, probes.why.join(', ')).toBe(0);
        expect(probes.slow, JSON.stringify(probes.slowWhy)).toEqual([]);
        expect(readDb(dbFile, indexNames)).toEqual(healthy);
        const report = await fetch(`http://127.0.0.1:${port}/api/v1/reports?format=json&week=2026-W48`);
        expect(report.status).toBe(200);
      } finally {
        serve.kill('SIGTERM');
        expect(await exitCode(serve)).toBe(143);
      }
      const again = runCli(['ingest', '--db', dbFile, log]);
      expect(again.code, again.stderr).toBe(0);
      expect(readDb(dbFile, attempts)).toEqual({ total: LINES, distinct: LINES });
      expect(readDb(dbFile, indexNames)).toEqual(healthy);
    }, 120_000);
  }
});
