/**
 * The PostgreSQL store beside SQLite, in the same run: a full import of a generated Postfix and Exim log into
 * each (lines/s and their ratio, bytes per attempt), four agents importing at once into one PostgreSQL
 * (aggregate lines/s), and every dashboard API call over the same generated attempts in each store (p95).
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createPgAlertWriter } from '../../db/postgres/alert-writer.js';
import { createPgClient, createPgPool } from '../../db/postgres/connect.js';
import { createPgReader } from '../../db/postgres/reader.js';
import { openPgWriter } from '../../db/postgres/write/pg-writer.js';
import { openDatabase } from '../../db/sqlite/open.js';
import { createBulkLoader } from '../../db/sqlite/write/bulk-load.js';
import { createIndexDeferral } from '../../db/sqlite/write/deferred-indexes.js';
import { emptyBatch } from '../../db/store/batch.js';
import { parseConfig } from '../../server/config.js';
import { createServer, type ServerDeps } from '../../server/compose.js';
import { generateLines } from '../../server/demo/generate.js';
import { writeLines } from '../../server/demo/write-lines.js';
import { createEventBus } from '../../server/events.js';
import { silentLogger } from '../../server/log.js';
import { generateRows, type GenerateOptions } from './api-rows.js';
import { runCommand } from './commands.js';
import { startBenchPg, type BenchPg } from './pg-server.js';
import type { BenchRow } from './types.js';

const DAY_MS = 86_400_000;
const END_MS = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const YEAR = String(new Date(END_MS).getUTCFullYear());
const MIB = 1024 * 1024;
/** The API target of a fleet's dashboard (issue 20): every call at most this, p95. */
const TARGET_MS = 150;

const row = (name: string, value: number, unit: string, note?: string): BenchRow => ({
  section: 'postgres',
  name,
  value,
  unit,
  ...(note ? { note } : {}),
});

async function pgQuery<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = createPgClient(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** One import by the built CLI; throws when it fails. */
async function importLog(dir: string, store: string[], host: string, file: string) {
  const run = await runCommand(dir, ['ingest', ...store, '--host-id', host, '--year', YEAR, file]);
  if (run.code !== 0) throw new Error(`ingest ${store[0]} ${file} exited with ${String(run.code)}`);
  return run;
}

async function imports(server: BenchPg, dir: string, lines: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const format of ['postfix', 'exim'] as const) {
    const file = join(dir, `${format}.log`);
    await writeLines(file, generateLines({ format, lines, seed: 7, endMs: END_MS, days: 7 }));
    const label = `${format} ${(lines / 1e6).toLocaleString('en')}M lines`;
    const url = await server.database(`imp_${format}`);
    const pgRun = await importLog(dir, ['--store', url], 'mx1.example.org', file);
    const dbFile = join(dir, `${format}.db`);
    const liteRun = await importLog(dir, ['--db', dbFile], 'mx1.example.org', file);
    const [sizes] = await pgQuery<{ attempts: number; bytes: number }>(
      url,
      'SELECT (SELECT count(*) FROM attempts)::bigint AS attempts, pg_database_size(current_database()) AS bytes',
    );
    const attempts = sizes?.attempts ?? 0;
    const bytes = sizes?.bytes ?? 0;
    const sqlite = openDatabase({ file: dbFile, readonly: true });
    const liteAttempts = sqlite.prepare<[], number>('SELECT count(*) FROM attempts').pluck().get() ?? 0;
    sqlite.close();
    const liteBytes = statSync(dbFile).size;
    const pgRate = lines / pgRun.seconds;
    const liteRate = lines / liteRun.seconds;
    rows.push(
      row(
        `import ${label} into PostgreSQL`,
        Math.round(pgRate),
        'lines/s',
        `${pgRun.seconds.toFixed(1)} s; peak RSS ${Math.round(pgRun.peakRssMiB)} MiB`,
      ),
      row(
        `import ${label} into SQLite`,
        Math.round(liteRate),
        'lines/s',
        `${liteRun.seconds.toFixed(1)} s; same run, same file`,
      ),
      row(`import ${label}: PostgreSQL / SQLite`, Number((pgRate / liteRate).toFixed(2)), 'x'),
      row(
        `bytes per attempt, ${format}, PostgreSQL`,
        Math.round(bytes / Math.max(1, attempts)),
        'B',
        `${(bytes / MIB).toFixed(0)} MiB database for ${attempts.toLocaleString('en')} attempts, everything included`,
      ),
      row(
        `bytes per attempt, ${format}, SQLite`,
        Math.round(liteBytes / Math.max(1, liteAttempts)),
        'B',
        `${(liteBytes / MIB).toFixed(0)} MiB file for ${liteAttempts.toLocaleString('en')} attempts`,
      ),
    );
    rmSync(dbFile, { force: true });
    rmSync(file, { force: true });
  }
  return rows;
}

/** Four hosts' agents importing at once into one store: what the store takes from a fleet. */
async function fourAgents(server: BenchPg, dir: string, lines: number): Promise<BenchRow[]> {
  const each = Math.round(lines / 4);
  const files = await Promise.all(
    [1, 2, 3, 4].map(async (n) => {
      const file = join(dir, `agent${n}.log`);
      await writeLines(
        file,
        generateLines({ format: 'postfix', lines: each, seed: 20 + n, endMs: END_MS, days: 7 }),
      );
      return file;
    }),
  );
  const url = await server.database('four_agents');
  // Migrated once before the clock starts, as a fleet's store is.
  await importLog(dir, ['--store', url], 'warm.example.org', join(dir, 'agent1.log')).catch(() => undefined);
  const t0 = performance.now();
  await Promise.all(files.map((file, i) => importLog(dir, ['--store', url], `mx${i + 1}.example.org`, file)));
  const seconds = (performance.now() - t0) / 1000;
  for (const f of files) rmSync(f, { force: true });
  return [
    row(
      `four agents at once, 4 x ${(each / 1000).toLocaleString('en')}k Postfix lines`,
      Math.round((4 * each) / seconds),
      'lines/s',
      `aggregate: ${(4 * each).toLocaleString('en')} lines in ${seconds.toFixed(1)} s`,
    ),
  ];
}

/** The dashboard's calls, each with the name it is reported under. */
function apiCalls(sample: { recipient: string }): [string, string][] {
  const calls: [string, string][] = [];
  for (const range of ['24h', '7d', '30d']) {
    for (const ep of [
      'summary',
      'series',
      'causes?limit=8&',
      'domains?limit=10&',
      'providers?limit=8&',
      'hosts',
      'host-table',
    ]) {
      const [path, extra = ''] = ep.split('?');
      calls.push([`${path} ${range}`, `/api/v1/${path}?${extra}range=${range}`]);
    }
  }
  for (const [kind, key] of [
    ['domains', 'gmail.com'],
    ['providers', 'microsoft'],
    ['causes', 'rate-limited'],
    ['codes', '5.1.1'],
  ]) {
    calls.push([`${kind} ${key} 7d`, `/api/v1/${kind}/${key}?range=7d&samples=15&addresses=25`]);
  }
  calls.push(['summary 24h host filter', '/api/v1/summary?range=24h&host=mx2.sender.example']);
  calls.push(['trace by recipient', `/api/v1/trace?q=${encodeURIComponent(sample.recipient)}`]);
  calls.push(['server 7d', '/api/v1/server?range=7d'], ['senders 7d', '/api/v1/senders?range=7d']);
  calls.push(['unparsed', '/api/v1/unparsed']);
  calls.push(['health', '/api/v1/health']);
  return calls;
}

async function p95s(deps: Omit<ServerDeps, 'bus' | 'log' | 'config' | 'webRoot'>, calls: [string, string][]) {
  const { app } = createServer({
    ...deps,
    bus: createEventBus(),
    log: silentLogger(),
    config: parseConfig({ alerts: { enabled: false } }),
    webRoot: join(process.cwd(), 'dist/web'),
    rateLimit: { windowMs: 60_000, limit: 1_000_000 },
    readThread: false,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = new Map<string, number>();
  try {
    for (const [name, path] of calls) {
      const times: number[] = [];
      for (let i = 0; i < 17; i++) {
        const t = performance.now();
        const res = await fetch(base + path);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        if (i >= 2) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      out.set(name, times[Math.ceil(0.95 * times.length) - 1]!);
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return out;
}

async function api(server: BenchPg, dir: string, attempts: number): Promise<BenchRow[]> {
  const now = Date.now();
  const gen: GenerateOptions = {
    attempts,
    from: now - 30 * DAY_MS,
    to: now - 1000,
    hosts: ['mx1.sender.example', 'mx2.sender.example', 'mx3.sender.example'],
    domains: 2000,
    incident: { from: now - 6 * 3_600_000, to: now - 2 * 3_600_000, provider: 'microsoft' },
  };
  const size = `${(attempts / 1e6).toLocaleString('en')}M attempts`;
  const url = await server.database('api');
  let t = performance.now();
  const writer = await openPgWriter({ url, host: 'mx1.sender.example', persistent: false });
  for (const b of generateRows(gen, 20_000)) {
    const batch = { ...emptyBatch(), attempts: b.attempts, rejects: b.rejects, messages: b.messages };
    batch.minuteFrom = now - 2 * DAY_MS;
    await writer.write(batch);
  }
  await writer.close();
  await pgQuery(url, 'VACUUM ANALYZE');
  const pgFill = (performance.now() - t) / 1000;

  const dbFile = join(dir, 'api.db');
  const db = openDatabase({ file: dbFile });
  t = performance.now();
  const deferral = createIndexDeferral(db);
  deferral.defer();
  const loader = createBulkLoader(db);
  for (const b of generateRows(gen, 50_000)) loader.insert(b.attempts, b.rejects, b.messages);
  loader.rebuildRollups();
  deferral.restore();
  const liteFill = (performance.now() - t) / 1000;

  const sample = db
    .prepare<[], { recipient: string }>(
      "SELECT recipient FROM attempts_full WHERE outcome = 'deferred' ORDER BY id DESC LIMIT 1",
    )
    .get() ?? { recipient: 'nobody@example.net' };
  const calls = apiCalls(sample);
  const pool = createPgPool(url, 8);
  const reader = createPgReader(pool, { now: Date.now });
  const onPg = await p95s(
    { store: { reader, triageReader: reader, alertWriter: createPgAlertWriter(pool) } },
    calls,
  );
  await pool.end();
  const onLite = await p95s({ db }, calls);
  db.close();
  const rows: BenchRow[] = [
    row(
      `fill ${size} over 30 days`,
      Number(pgFill.toFixed(1)),
      's',
      `PostgreSQL through the agent's writer; SQLite bulk load ${liteFill.toFixed(1)} s`,
    ),
  ];
  let worst = 0;
  for (const [name] of calls) {
    const p = onPg.get(name)!;
    worst = Math.max(worst, p);
    rows.push(
      row(`${name} p95 (${size})`, Number(p.toFixed(1)), 'ms', `SQLite ${onLite.get(name)!.toFixed(1)} ms`),
    );
  }
  rows.push(
    row(
      `slowest p95 of ${calls.length} calls (${size})`,
      Number(worst.toFixed(1)),
      'ms',
      `target <= ${TARGET_MS} ms: ${worst <= TARGET_MS ? 'met' : 'OVER'}; SQLite slowest ${Math.max(...onLite.values()).toFixed(1)} ms`,
    ),
  );
  return rows;
}

export async function benchPostgres(opts: { lines: number; attempts: number }): Promise<BenchRow[]> {
  const server = await startBenchPg();
  if (typeof server === 'string') return [row('PostgreSQL section', 0, '', `skipped: ${server}`)];
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-pg-run-'));
  try {
    return [
      ...(await imports(server, dir, opts.lines)),
      ...(await fourAgents(server, dir, opts.lines)),
      ...(await api(server, dir, opts.attempts)),
    ];
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
