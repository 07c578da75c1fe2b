/**
 * Live following: the built `bouncewatch follow` on a log that grows at a busy server's pace (generated Postfix
 * lines appended ten times a second). Reports the share of one core the follower uses while it keeps up, its
 * peak RSS, how long after the last append every line was stored, and that none was lost or doubled.
 * Linux only: the child's CPU time and peak RSS come from /proc.
 */

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIngestStats } from '../../db/sqlite/write/ingest-stats.js';
import { openDatabase } from '../../db/sqlite/open.js';
import { generateLines } from '../../server/demo/generate.js';
import type { BenchRow } from './types.js';

export interface BenchFollowOptions {
  /** Lines appended per second. */
  rate: number;
  seconds: number;
  log?: (line: string) => void;
  /** Follow into this database (one that already holds a history) instead of a new one; it is kept. */
  dbFile?: string;
}

const BIN = fileURLToPath(new URL('../../server/cli/bin.js', import.meta.url));
/** Clock ticks per second of /proc/PID/stat (USER_HZ: 100 on every Linux Node supports). */
const TICKS = 100;
const APPENDS_PER_SECOND = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Peak resident set size in MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

export async function benchFollow(opts: BenchFollowOptions): Promise<BenchRow[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`bench follow: ${line}\n`));
  if (!existsSync('/proc/self/stat')) {
    log('skipped: needs /proc (Linux)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-follow-'));
  const logFile = join(dir, 'mail.log');
  const dbFile = opts.dbFile ?? join(dir, 'follow.db');
  // Lines the database had read before this run (none for a new one).
  let before = 0;
  if (opts.dbFile) {
    const db = openDatabase({ file: dbFile, readonly: true, migrate: false });
    before = createIngestStats(db).lineStats().get('read') ?? 0;
    db.close();
  }
  // Timestamps from now on, so the follower sees current traffic. The generator stops at the end of its span
  // with the lives still open there cut short (7 lines in 10 over a short span): it is asked for twice the span.
  const total = opts.rate * opts.seconds;
  const lines = [
    ...generateLines({
      format: 'postfix',
      lines: 2 * total,
      seed: 11,
      endMs: Date.now() + 2 * opts.seconds * 1000,
      days: (2 * opts.seconds) / 86_400,
    }),
  ].slice(0, total);
  if (lines.length < total) throw new Error(`the generator gave ${lines.length} lines, not ${total}`);
  closeSync(openSync(logFile, 'w'));
  const child = spawn(process.execPath, [BIN, 'follow', '--db', dbFile, logFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BOUNCEWATCH_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  try {
    if (pid === undefined) throw new Error('could not start bouncewatch follow');
    // Started: the database exists and the follower has settled.
    for (let i = 0; i < 100 && !existsSync(dbFile); i++) await sleep(50);
    await sleep(1000);
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const fd = openSync(logFile, 'a');
    const perAppend = Math.max(1, Math.round(opts.rate / APPENDS_PER_SECOND));
    let written = 0;
    for (let tick = 0; written < lines.length; tick++) {
      const due = t0 + (tick * 1000) / APPENDS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const chunk = lines.slice(written, written + perAppend);
      writeSync(fd, chunk.join('\n') + '\n');
      written += chunk.length;
    }
    closeSync(fd);
    const appendedAt = performance.now();
    // Every line stored: the follower's count of lines read reaches what was appended.
    const db = openDatabase({ file: dbFile, readonly: true, migrate: false });
    const counters = createIngestStats(db);
    let stored = 0;
    const deadline = appendedAt + 30_000;
    while (performance.now() < deadline) {
      stored = (counters.lineStats().get('read') ?? 0) - before;
      if (stored >= total) break;
      await sleep(20);
    }
    const caughtUp = performance.now();
    const cpu = cpuSeconds(pid) - cpu0;
    const rss = peakRssMiB(pid);
    const deliveries = counters.lineStats().get('delivery') ?? 0;
    db.close();
    const wall = (caughtUp - t0) / 1000;
    const share = cpu / wall;
    log(`${total} lines at ${opts.rate}/s: ${(100 * share).toFixed(1)}% of a core, ${stored} stored`);
    const rate = `${opts.rate.toLocaleString('en-US')} lines/s for ${opts.seconds} s`;
    return [
      {
        section: 'follow',
        name: `CPU while following ${rate}`,
        value: 100 * share,
        unit: '% of a core',
        note: `${cpu.toFixed(2)} CPU-s over ${wall.toFixed(1)} s (Postfix lines appended ten times a second)`,
      },
      {
        section: 'follow',
        name: `last line stored after the last append (${rate})`,
        value: caughtUp - appendedAt,
        unit: 'ms',
        note: 'target: within 2 s',
      },
      {
        section: 'follow',
        name: `lines stored of ${total.toLocaleString('en-US')} appended`,
        value: stored,
        unit: 'lines',
        note:
          stored === total
            ? `none lost or doubled; ${deliveries.toLocaleString('en-US')} delivery lines`
            : 'MISMATCH',
      },
      { section: 'follow', name: `peak RSS while following (${rate})`, value: rss, unit: 'MiB' },
    ];
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 && code !== null) log(`follow exited with ${code}: ${stderr.trim().slice(0, 500)}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
