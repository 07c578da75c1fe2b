// Four agents follow four hosts' logs into one PostgreSQL, each through a rotation and a SIGKILL: per host, the
// store ends up with what four separate SQLite imports of the same logs hold. Nothing lost, nothing doubled.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { generateLines } from '../../../server/demo/generate.js';
import { describePg } from '../../helpers/pg-context.js';
import { ensureBuilt, exitCode, runCli, startCli, waitForOutput } from '../../helpers/cli.js';

type Child = ReturnType<typeof startCli>;

const HOSTS = [
  { host: 'mx1.example.org', format: 'postfix', seed: 11 },
  { host: 'mx2.example.org', format: 'postfix', seed: 12 },
  { host: 'relay1.example.org', format: 'exim', seed: 13 },
  { host: 'relay2.example.org', format: 'exim', seed: 14 },
] as const;
const LINES = 12_000;

/** Attempts per outcome and distinct (queue id, recipient, time, outcome): a double would show in both. */
interface Counts {
  lines: number;
  attempts: Record<string, number>;
  distinct: number;
  rejects: number;
}

describePg('four agents into one PostgreSQL store', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-four-'));
  const children: Child[] = [];
  let client: pg.Pool;

  const agent = (host: string, log: string) => {
    const child = startCli(['follow', '--store', url(), '--host-id', host, log], {
      env: { BOUNCEWATCH_LOG_LEVEL: 'info' },
    });
    children.push(child);
    return child;
  };
  const pgCounts = async (host: string): Promise<Counts> => {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql, [host])).rows;
    const byOutcome = await q<{ outcome: string; n: number }>(
      'SELECT outcome, count(*)::int AS n FROM attempts_full WHERE host = $1 GROUP BY outcome',
    );
    const [distinct] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT DISTINCT queue_id, recipient, ts, outcome FROM attempts_full
        WHERE host = $1) d`,
    );
    const [rejects] = await q<{ n: number }>('SELECT count(*)::int AS n FROM rejects_full WHERE host = $1');
    const [lines] = await q<{ n: number | null }>(
      `SELECT sum(s.count)::int AS n FROM line_stats s JOIN dict d ON d.id = s.host
        WHERE d.value = $1 AND s.name = 'read'`,
    );
    return {
      lines: lines?.n ?? 0,
      attempts: Object.fromEntries(byOutcome.map((r) => [r.outcome, r.n])),
      distinct: distinct?.n ?? 0,
      rejects: rejects?.n ?? 0,
    };
  };
  const sqliteCounts = (file: string): Counts => {
    const db = openDatabase({ file, readonly: true });
    try {
      const byOutcome = db
        .prepare<[], { outcome: string; n: number }>(
          'SELECT outcome, count(*) AS n FROM attempts GROUP BY outcome',
        )
        .all();
      const distinct = db
        .prepare<[], { n: number }>(
          'SELECT count(*) AS n FROM (SELECT DISTINCT queue_id, recipient, ts, outcome FROM attempts)',
        )
        .get()!.n;
      const rejects = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM rejects').get()!.n;
      const lines =
        db
          .prepare<[], { n: number | null }>("SELECT sum(count) AS n FROM line_stats WHERE name = 'read'")
          .get()?.n ?? 0;
      return {
        lines,
        attempts: Object.fromEntries(byOutcome.map((r) => [r.outcome, r.n])),
        distinct,
        rejects,
      };
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    ensureBuilt();
    // A pool: a poll may ask again before its last question was answered.
    client = new pg.Pool({ connectionString: url(), max: 2 });
  }, 180_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores per host what separate SQLite imports store, through a rotation and a SIGKILL each', async () => {
    const plan = HOSTS.map((h) => {
      const lines = [
        ...generateLines({
          format: h.format,
          lines: LINES,
          seed: h.seed,
          host: h.host.split('.')[0]!,
          days: 2,
          endMs: Date.UTC(2026, 11, 1, 12),
        }),
      ].map((l) => `${l}\n`);
      const hostDir = join(dir, h.host);
      const log = join(hostDir, 'mail.log');
      mkdirSync(hostDir, { recursive: true });
      return { ...h, lines, log, hostDir };
    });
    for (const p of plan) {
      writeFileSync(p.log, p.lines.slice(0, LINES / 2).join(''));
    }
    // All four write at once; each is killed once it has committed part of its log.
    const first = plan.map((p) => agent(p.host, p.log));
    await Promise.all(first.map((c) => waitForOutput(c, /following/, 60_000)));
    await expect
      .poll(
        async () => Math.min(...(await Promise.all(plan.map(async (p) => (await pgCounts(p.host)).lines)))),
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
    for (const c of first) c.kill('SIGKILL');
    await Promise.all(first.map((c) => exitCode(c)));
    // While they are down: more lines, a rotation, and more lines in the new file.
    for (const p of plan) {
      appendFileSync(p.log, p.lines.slice(LINES / 2, (LINES * 3) / 4).join(''));
      renameSync(p.log, `${p.log}.1`);
      writeFileSync(p.log, p.lines.slice((LINES * 3) / 4).join(''));
    }
    const second = plan.map((p) => agent(p.host, p.log));
    await Promise.all(second.map((c) => waitForOutput(c, /following/, 60_000)));
    // Meanwhile, each host's log (both files) imported into a SQLite file of its own.
    const expected = new Map<string, Counts>();
    for (const p of plan) {
      const db = join(dir, `${p.host}.db`);
      const imported = runCli([
        'ingest',
        '--db',
        db,
        '--host-id',
        p.host,
        '--year',
        '2026',
        `${p.log}.1`,
        p.log,
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      const counts = sqliteCounts(db);
      expect(counts.distinct).toBeGreaterThan(1_000);
      expected.set(p.host, counts);
    }
    for (const p of plan) {
      await expect
        .poll(() => pgCounts(p.host), { timeout: 90_000, interval: 1_000 })
        .toEqual(expected.get(p.host));
    }
    for (const c of second) c.kill('SIGTERM');
    expect(await Promise.all(second.map((c) => exitCode(c)))).toEqual([143, 143, 143, 143]);
    // Stopping wrote nothing more.
    for (const p of plan) expect(await pgCounts(p.host), p.host).toEqual(expected.get(p.host));
  }, 300_000);
});
