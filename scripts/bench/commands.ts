/**
 * Runs the built `bouncewatch` executable as a user would and measures it: wall time and peak RSS of one command
 * (`report` in each format), and of `serve` while every dashboard call is made against it.
 */

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const BIN = join(process.cwd(), 'dist/server/cli/bin.js');

export interface CommandRun {
  code: number | null;
  seconds: number;
  peakRssMiB: number;
  /** User and system CPU of the whole process (every thread). */
  cpuSeconds: number;
}

/**
 * Written beside the database: a preload that tells the command's peak RSS (KiB) and CPU (µs) on descriptor 3 as it
 * exits.
 */
function exitRssPreload(dir: string): string {
  const file = join(dir, 'exit-rss.cjs');
  writeFileSync(
    file,
    "process.on('exit', () => { try { const u = process.resourceUsage(); require('fs').writeSync(3, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); } catch {} });\n",
  );
  return file;
}

/** One command to its end; its output is thrown away. */
export function runCommand(dir: string, args: readonly string[]): Promise<CommandRun> {
  const preload = exitRssPreload(dir);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, BIN, ...args], {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    });
    let rss = '';
    child.stdio[3]?.on('data', (c: Buffer) => (rss += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      // Worker threads load the preload too and tell the same process's figures as they end: the largest is kept.
      const told = rss
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ').map(Number));
      resolve({
        code,
        seconds: (performance.now() - t0) / 1000,
        peakRssMiB: Math.max(0, ...told.map(([kib = 0]) => kib)) / 1024,
        cpuSeconds: Math.max(0, ...told.map(([, us = 0]) => us)) / 1e6,
      });
    });
  });
}

/** A free loopback TCP port (each server the bench starts takes one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `serve` on the database; `use` makes its calls against the base URL; answers the peak RSS of the server. */
export async function measureServe(
  dbFile: string,
  use: (base: string) => Promise<void>,
): Promise<{ peakRssMiB: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--db', dbFile, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).status > 0) break;
      } catch {
        if (i > 600) throw new Error('bouncewatch serve did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await use(base);
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'));
    return { peakRssMiB: m ? Number(m[1]) / 1024 : 0 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
}
