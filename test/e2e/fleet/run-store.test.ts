// `run --store postgres://...` follows a log and serves the dashboard in one process, its ingest thread writing to
// PostgreSQL: beside a `run --db` following the same log, through a rotation while both run, late lines into hours
// already answered for, and a SIGKILL of the PostgreSQL one, both answer the same API calls the same way.
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateLines } from '../../../server/demo/generate.js';
import { describePg } from '../../helpers/pg-context.js';
import { ensureBuilt, exitCode, freePort, startCli, waitForOutput } from '../../helpers/cli.js';

type Child = ReturnType<typeof startCli>;

const HOST = 'mx1.example.org';
const LINES = 8_000;
const MINUTE = 60_000;
/** The traffic ends a few minutes ago, so that run's year and the API's ranges are today's. */
const END = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
const RANGE = `from=${new Date(END - 2 * 86_400_000).toISOString()}&to=${new Date(END + 30 * MINUTE).toISOString()}`;

/** Ids the stores number on their own; everything else must match. */
const STORE_IDS = new Set(['id', 'messageRowid', 'generatedAt']);
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !STORE_IDS.has(k))
        .map(([k, v]) => [k, withoutIds(v)]),
    );
  }
  return value;
}

/** A Postfix bounce at the traffic's end with a recipient of its own: once both stores trace it, both read up to it. */
function marker(n: number): { line: string; to: string } {
  const d = new Date(END);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (v: number) => String(v).padStart(2, '0');
  const stamp = `${months[d.getMonth()]!} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const to = `marker${n}@example.net`;
  const qid = `9F${n}E8D7C6B`;
  return {
    to,
    line:
      `${stamp} mx1 postfix/smtp[4242]: ${qid}: to=<${to}>, relay=mx.example.net[192.0.2.9]:25, delay=1.2, ` +
      `delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.9] said: 550 5.1.1 <${to}>: ` +
      `Recipient address rejected: User unknown (in reply to RCPT TO command))\n`,
  };
}

describePg('run --store: following and serving in one process over PostgreSQL', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-run-store-'));
  const log = join(dir, 'mail.log');
  const children: Child[] = [];
  const bases = { sqlite: '', postgres: '' };

  /** Starts `run` over one store; answers once it has caught up with what the log holds. */
  const run = async (store: string[]): Promise<[Child, string]> => {
    const port = await freePort();
    const child = startCli(['run', ...store, '--host-id', HOST, '--port', String(port), log], {
      cwd: dir,
      env: { BOUNCEWATCH_LOG_LEVEL: 'info' },
    });
    children.push(child);
    const [, base] = await waitForOutput(child, /dashboard on (http:\/\/\S+?)\/?\n/, 60_000);
    await waitForOutput(child, /caught up/, 120_000);
    return [child, base!];
  };
  const answer = async (base: string, path: string) => {
    const res = await fetch(base + path);
    expect(res.status, `${base}${path}`).toBe(200);
    return withoutIds(await res.json());
  };
  const traced = async (base: string, to: string) => {
    const trace = (await answer(base, `/api/v1/trace?q=${encodeURIComponent(to)}`)) as {
      messages: unknown[];
    };
    return trace.messages.length;
  };
  /** Both processes have stored the marker: they have read the same lines. */
  const bothRead = async (to: string) => {
    for (const base of [bases.sqlite, bases.postgres]) {
      await expect.poll(() => traced(base, to), { timeout: 90_000, interval: 500 }).toBe(1);
    }
  };
  const same = async (path: string) => {
    const sqlite = await answer(bases.sqlite, path);
    expect(await answer(bases.postgres, path), path).toEqual(sqlite);
    return sqlite;
  };
  /** The overview, every top domain's, provider's, cause's and code's drill-down, traces and unparsed lines. */
  const sameAnswers = async () => {
    const summary = (await same(`/api/v1/summary?${RANGE}`)) as { counts: Record<string, number> };
    expect(summary.counts['sent']).toBeGreaterThan(1_000);
    expect(summary.counts['bounced']).toBeGreaterThan(0);
    for (const path of ['series', 'causes', 'domains', 'providers', 'codes', 'hosts', 'delays?by=domain&'])
      await same(`/api/v1/${path}${path.endsWith('&') ? '' : '?'}${RANGE}`);
    const keys = async (list: string, rows: string, field: string) =>
      (((await same(`/api/v1/${list}?${RANGE}`)) as Record<string, Record<string, string>[]>)[rows] ?? [])
        .map((r) => r[field]!)
        .filter((k) => k !== '')
        .slice(0, 4);
    const drills = [
      ...(await keys('domains', 'rows', 'key')).map((k) => `domains/${k}`),
      ...(await keys('providers', 'rows', 'key')).map((k) => `providers/${k}`),
      ...(await keys('causes', 'causes', 'cause')).map((k) => `causes/${k}`),
      ...(await keys('codes', 'codes', 'code')).map((k) => `codes/${k}`),
    ];
    expect(drills.length).toBeGreaterThan(8);
    let addresses = 0;
    for (const d of drills) {
      const drill = (await same(`/api/v1/${d}?${RANGE}`)) as { addresses?: { address: string }[] };
      for (const a of (drill.addresses ?? []).slice(0, 2)) {
        await same(`/api/v1/trace?q=${encodeURIComponent(a.address)}`);
        addresses++;
      }
    }
    expect(addresses).toBeGreaterThan(0);
    await same('/api/v1/unparsed');
  };

  const lines = [
    ...generateLines({ format: 'postfix', lines: LINES, seed: 31, host: 'mx1', days: 1, endMs: END }),
  ].map((l) => `${l}\n`);
  const part = (from: number, to: number) => lines.slice((LINES * from) / 8, (LINES * to) / 8).join('');

  beforeAll(() => {
    ensureBuilt();
  }, 180_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores what run --db stores, through a rotation while running and a SIGKILL', async () => {
    writeFileSync(log, part(0, 4));
    const [lite, liteBase] = await run(['--db', join(dir, 'same.db')]);
    let [pgRun, pgBase] = await run(['--store', url()]);
    bases.sqlite = liteBase;
    bases.postgres = pgBase;

    // While both run: more lines, a rotation, and the rest in the new file.
    appendFileSync(log, part(4, 5));
    renameSync(log, `${log}.1`);
    const first = marker(1);
    writeFileSync(log, part(5, 6) + first.line);
    await bothRead(first.to);
    await sameAnswers();

    // Lines of hours both have answered for already: each process forgets the sums it keeps of closed hours.
    const second = marker(2);
    appendFileSync(log, part(6, 7) + second.line);
    await bothRead(second.to);
    await sameAnswers();

    // The PostgreSQL process killed; the log goes on meanwhile; started again, it reads on from its checkpoint.
    pgRun.kill('SIGKILL');
    await exitCode(pgRun);
    const third = marker(3);
    appendFileSync(log, part(7, 8) + third.line);
    [pgRun, pgBase] = await run(['--store', url()]);
    bases.postgres = pgBase;
    await bothRead(third.to);
    await sameAnswers();

    for (const c of [lite, pgRun]) c.kill('SIGTERM');
    expect(await Promise.all([exitCode(lite), exitCode(pgRun)])).toEqual([143, 143]);
  }, 300_000);
});
