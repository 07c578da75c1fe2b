/**
 * A throwaway PostgreSQL for the bench: Debian's server binaries (or $BOUNCEWATCH_PG_BIN), initdb into a
 * temporary folder, a free loopback port, stopped by `stop()`. As root it runs them as the `postgres` user.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './commands.js';

export interface BenchPg {
  /** Superuser URL of the server's `postgres` database. */
  url: string;
  /** A URL of a new, empty database on the server. */
  database(name: string): Promise<string>;
  stop(): void;
}

function findBinaries(): string | null {
  const fromEnv = process.env['BOUNCEWATCH_PG_BIN'];
  if (fromEnv) return existsSync(join(fromEnv, 'pg_ctl')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const newest = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(root, newest, 'bin') : null;
}

/** Starts the server, or answers null (with why) when there are no binaries. */
export async function startBenchPg(): Promise<BenchPg | string> {
  const bin = findBinaries();
  if (!bin) return 'no PostgreSQL server binaries (Debian postgresql, or BOUNCEWATCH_PG_BIN)';
  const root = process.getuid?.() === 0;
  const prefix = root ? ['runuser', '-u', 'postgres', '--'] : [];
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-pg-'));
  if (root) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(root ? prefix[0]! : cmd, root ? [...prefix.slice(1), cmd, ...args] : args, {
      stdio: 'ignore',
    });
  const data = join(dir, 'data');
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'bw', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
  // A server sized like a small dedicated one; durability as in production (fsync on).
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c shared_buffers=256MB',
    '-c max_wal_size=2GB',
    '-c max_connections=50',
  ].join(' ');
  run(join(bin, 'pg_ctl'), ['start', '-w', '-D', data, '-l', join(dir, 'server.log'), '-o', options]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(root ? prefix[0]! : join(bin, 'pg_ctl'), [
      ...(root ? [...prefix.slice(1), join(bin, 'pg_ctl')] : []),
      'stop',
      '-D',
      data,
      '-m',
      'fast',
    ]);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const url = `postgres://bw@127.0.0.1:${port}/postgres`;
  return {
    url,
    async database(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://bw@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
