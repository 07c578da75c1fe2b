// Writers under faults: the follower killed at random points, two writers started at once, a full disk under
// `run`, a page damaged under `serve`. Nothing is lost or doubled, and /healthz answers within 100 ms throughout.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/sqlite/open.js';
import { attempts, sentBlock } from '../e2e/follow/helpers.js';
import {
  endWithThisProcess,
  ensureBuilt,
  freePort,
  repoRoot,
  runCli,
  startCli,
  waitForOutput,
} from '../helpers/cli.js';
import { serve, STARTED, startProber } from './server.js';
import { readDb } from './read-db.js';

const bin = join(repoRoot, 'dist/server/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'bw-faults-writers-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(
  what: string,
  probe: () => T | null | Promise<T | null>,
  ok: (v: T) => boolean,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | string>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });

/**
 * A module script that prints the attempts of a database as JSON, through the built store's own connection (the
 * attempts view calls the functions it registers).
 */
const countScript = (file: string) =>
  `const { openDatabase } = await import(${JSON.stringify(join(repoRoot, 'dist/db/sqlite/open.js'))});` +
  `const d = openDatabase({ file: ${JSON.stringify(file)}, readonly: true });` +
  `process.stdout.write(JSON.stringify(d.prepare('SELECT count(*) AS total, count(DISTINCT recipient) AS "distinct" FROM attempts').get()));`;

/** A deterministic "random" sequence, so a failing run can be repeated. */
function randoms(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('writers under faults', () => {
  it('kills the follower at random points while the log grows: nothing lost or doubled', async () => {
    const db = join(dir, 'killed-follow.db');
    const log = join(dir, 'killed-follow.log');
    const random = randoms(23);
    let written = 20_000;
    writeFileSync(log, sentBlock(0, written));
    const served = await serve(db);
    const prober = startProber(served.base, 'writers: follower killed', served.child.pid);
    await prober.probing;
    try {
      for (let round = 0; round < 5; round++) {
        const child = startCli(['follow', '--db', db, log]);
        const target = Math.floor(random() * written);
        await until(
          'some rows',
          () => readDb(db, (d) => attempts(d).total),
          (n) => n >= target,
        );
        appendFileSync(log, sentBlock(written, 2000));
        written += 2000;
        child.kill('SIGKILL');
        await exited(child);
      }
      const last = startCli(['follow', '--db', db, log]);
      await until(
        'every line',
        () => readDb(db, (d) => attempts(d).total),
        (n) => n >= written,
      );
      last.kill('SIGTERM');
      expect(await exited(last)).toBe(143);
      expect(readDb(db, attempts)).toEqual({ total: written, distinct: written });
    } finally {
      const probes = await prober.stop();
      await served.stop();
      expect(probes.failures, probes.why.join(', ')).toBe(0);
      expect(probes.slow, JSON.stringify(probes.slowWhy)).toEqual([]);
    }
  });

  it('starts two writers at once: one writes, the other refuses and names it', async () => {
    const db = join(dir, 'two.db');
    const log = join(dir, 'two.log');
    writeFileSync(log, sentBlock(0, 5000));
    const a = startCli(['follow', '--db', db, log]);
    const b = startCli(['follow', '--db', db, log]);
    const first = await Promise.race([
      exited(a).then((c) => ['a', c] as const),
      exited(b).then((c) => ['b', c] as const),
    ]);
    expect(first[1]).toBe(1);
    const [loser, winner] = first[0] === 'a' ? [a, b] : [b, a];
    await expect(
      waitForOutput(loser, new RegExp(`is being written by bouncewatch follow \\(pid ${winner.pid} `)),
    ).resolves.toBeTruthy();
    await until(
      'every line',
      () => readDb(db, (d) => attempts(d).total),
      (n) => n >= 5000,
    );
    winner.kill('SIGTERM');
    expect(await exited(winner)).toBe(143);
    expect(readDb(db, attempts)).toEqual({ total: 5000, distinct: 5000 });
  });

  it('fills the disk under run: backs off, says so on /healthz, keeps memory flat, and loses nothing once there is room', async () => {
    const mnt = join(dir, 'small-disk');
    mkdirSync(mnt);
    const log = join(dir, 'full.log');
    const lines = 40_000;
    writeFileSync(log, sentBlock(0, lines));
    const port = await freePort();
    // A 64 MiB tmpfs seen only by this process, 60 MiB of it taken by a filler to free later.
    const script =
      `mount -t tmpfs -o size=64m tmpfs '${mnt}' && head -c 62914560 /dev/zero > '${mnt}/filler' && ` +
      `exec '${process.execPath}' '${bin}' run --db '${mnt}/bw.db' --port ${port} '${log}'`;
    const child = spawn('unshare', ['-m', 'sh', '-c', script], {
      env: { ...process.env, BOUNCEWATCH_ALERTS: 'false' },
      // A daemon's own session, as serve() gives it.
      detached: true,
    });
    endWithThisProcess(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const base = `http://127.0.0.1:${port}`;
    const inside = (path: string) => `/proc/${child.pid}/root${path}`;
    const stat = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const cpuTicks = () => Number(stat()[11]) + Number(stat()[12]);
    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    let prober: ReturnType<typeof startProber> | null = null;
    try {
      // Probed from the end of its start-up on: through the catch-up, the disk filling up and the back-off.
      await until(
        'a started server',
        () => (STARTED.test(stderr) ? true : null),
        () => true,
      );
      prober = startProber(base, 'writers: full disk under run', child.pid);
      await prober.probing;
      const health = await until(
        'an unhealthy /healthz',
        async () => {
          try {
            const res = await fetch(`${base}/healthz`);
            return {
              status: res.status,
              body: (await res.json()) as { checks: { ingest: { error?: string } } },
            };
          } catch {
            return null; // not listening yet
          }
        },
        (h) => h.status === 503 && h.body.checks.ingest.error !== undefined,
      );
      expect(health.body.checks.ingest.error).toMatch(/full/i);
      // Full for a while: little CPU, memory flat, one log line.
      // Measured once the failing rounds have settled into their back-off.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const ticks0 = cpuTicks();
      const rss0 = rss();
      const t0 = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 8000));
      const cpuShare = ((cpuTicks() - ticks0) * 10) / (Date.now() - t0);
      const probes = await prober.stop();
      prober = null;
      expect(cpuShare).toBeLessThan(0.25);
      expect(rss()).toBeLessThan(rss0 + 48 * 1024 * 1024);
      expect(stderr.match(/follow round failed/g)?.length ?? 0).toBeLessThanOrEqual(2);
      // `run` writes on the thread that serves, in batches small enough that a refused one does not hold it.
      expect(probes.probes).toBeGreaterThan(0);
      expect(probes.why.filter((w) => !w.startsWith('status 503'))).toEqual([]);
      expect(
        probes.slow,
        `/healthz probes of 100 ms or more, of ${probes.probes}: ${JSON.stringify(probes.slowWhy)}`,
      ).toEqual([]);
      // Room again: the back-off (at most a minute) ends with every line stored once.
      rmSync(inside(`${mnt}/filler`));
      // SQLite resolves /proc/PID/root to this namespace's path: count from inside the process's namespace.
      const stored = () => {
        const r = spawnSync(
          'nsenter',
          [
            '-t',
            String(child.pid),
            '-m',
            process.execPath,
            '--input-type=module',
            '-e',
            countScript(`${mnt}/bw.db`),
          ],
          { encoding: 'utf8' },
        );
        return r.status === 0 ? (JSON.parse(r.stdout) as { total: number; distinct: number }) : null;
      };
      await until('every line', stored, (n) => n.total >= lines, 90_000).catch((err: unknown) => {
        throw new Error(`${String(err)}; stderr: ${stderr.slice(-3000)}`);
      });
      expect(stored()).toEqual({ total: lines, distinct: lines });
      await until(
        'a healthy /healthz',
        async () => (await fetch(`${base}/healthz`)).status,
        (s) => s === 200,
      );
    } finally {
      await prober?.stop();
      child.kill('SIGTERM');
      await exited(child);
    }
  }, 240_000);

  it('damages a page under serve: /healthz turns unhealthy and answers within 100 ms throughout', async () => {
    const db = join(dir, 'damaged.db');
    const log = join(dir, 'damaged.log');
    writeFileSync(log, sentBlock(0, 3000));
    expect(runCli(['ingest', '--db', db, log]).code).toBe(0);
    const served = await serve(db);
    const prober = startProber(served.base, 'writers: damaged page', served.child.pid);
    await prober.probing;
    try {
      const file = openDatabase({ file: db });
      file.pragma('wal_checkpoint(TRUNCATE)');
      const pageSize = file.pragma('page_size', { simple: true }) as number;
      const root = file
        // attempts is a view of attempt_rows since lean storage (its own root page is 0).
        .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'attempt_rows'")
        .pluck()
        .get() as number;
      file.close();
      const fd = openSync(db, 'r+');
      writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
      closeSync(fd);
      const trace = await fetch(`${served.base}/api/v1/trace?q=user7@example.net`);
      expect(trace.status).toBe(503);
      await until(
        'an unhealthy /healthz',
        async () => (await fetch(`${served.base}/healthz`)).status,
        (s) => s === 503,
      );
    } finally {
      const probes = await prober.stop();
      await served.stop();
      expect(probes.slow, JSON.stringify(probes.slowWhy)).toEqual([]);
      expect(probes.why.filter((w) => !w.startsWith('status 503'))).toEqual([]);
    }
  });
});
