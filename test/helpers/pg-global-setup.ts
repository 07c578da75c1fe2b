/**
 * Vitest global setup: a throwaway PostgreSQL for the tests of the PostgreSQL store, started once per run when
 * the server binaries are installed (initdb into a temporary folder, a free loopback port, stopped at the end).
 * Without them those tests are skipped and say why; under CI=true a missing server, or a PostgreSQL tier that
 * did not run, fails the run.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PG_RAN_FILE, type PgProvided } from './pg-context.js';

/** Where the server binaries are: $BOUNCEWATCH_PG_BIN, else Debian's newest /usr/lib/postgresql/N/bin. */
function findBinaries(): string | null {
  const fromEnv = process.env['BOUNCEWATCH_PG_BIN'];
  if (fromEnv) return existsSync(join(fromEnv, 'pg_ctl')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` user. */
function asServerUser(): { prefix: string[]; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0 || gid.status !== 0) {
    throw new Error('running as root, and there is no `postgres` user to run the PostgreSQL server as');
  }
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(id.stdout), gid: Number(gid.stdout) };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const ci = process.env['CI'] === 'true';
  const bin = findBinaries();
  if (!bin) {
    const reason =
      'no PostgreSQL server binaries (install Debian\u2019s `postgresql`, or set BOUNCEWATCH_PG_BIN to the folder of pg_ctl)';
    if (ci) throw new Error(`CI needs the PostgreSQL tests, and there are ${reason}`);
    process.stderr.write(`PostgreSQL tests skipped: ${reason}\n`);
    project.provide('pg', { url: null, skipped: reason, ranFile: null } satisfies PgProvided);
    return () => undefined;
  }
  const user = asServerUser();
  const dir = mkdtempSync(join(tmpdir(), 'bouncewatch-pg-'));
  const data = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (cmd: string, args: string[]) =>
    execFileSync(user ? user.prefix[0]! : cmd, user ? [...user.prefix.slice(1), cmd, ...args] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  const superuser = 'bouncewatch';
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      spawnSync(user ? user.prefix[0]! : join(bin, 'pg_ctl'), [
        ...(user ? [...user.prefix.slice(1), join(bin, 'pg_ctl')] : []),
        'stop',
        '-D',
        data,
        '-m',
        'immediate',
      ]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A run that dies without teardown still stops its server.
  process.once('exit', stop);
  try {
    run(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      superuser,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      // A throwaway server: durability buys nothing here.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    run(join(bin, 'pg_ctl'), ['start', '-w', '-D', data, '-l', join(dir, 'server.log'), '-o', options]);
    started = true;
  } catch (err) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    stop();
    const detail = err instanceof Error ? err.message : String(err);
    throw new Error(
      `cannot start the throwaway PostgreSQL from ${bin} as ${user ? 'postgres' : userInfo().username}: ${detail}\n${log}`,
    );
  }
  const ranFile = join(dir, PG_RAN_FILE);
  project.provide('pg', {
    url: `postgres://${superuser}@127.0.0.1:${port}/postgres`,
    skipped: null,
    ranFile,
  });
  return () => {
    const ran = existsSync(ranFile) ? readFileSync(ranFile, 'utf8') : '';
    stop();
    process.off('exit', stop);
    // .ci/run reads this after the run: vitest does not fail a run for an error thrown here.
    const report = process.env['BOUNCEWATCH_PG_RAN_LOG'];
    if (report) writeFileSync(report, ran);
    if (ci && !ran) throw new Error('CI: the PostgreSQL tests did not run (no PostgreSQL suite reported in)');
  };
}
