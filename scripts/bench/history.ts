/**
 * History benchmark (issue 19): a year of a small fleet's Postfix log written to a file, imported by one
 * `bouncewatch ingest` as a user would, then the dashboard's calls timed over the last 30 days and the whole year.
 */

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../db/sqlite/open.js';
import { writeLines } from '../../server/demo/write-lines.js';
import { benchApi } from './api.js';
import { runCommand } from './commands.js';
import { historyLines } from './history-log.js';
import type { BenchRow } from './types.js';

const DAY_MS = 86_400_000;
const DAYS = 365;

export interface BenchHistoryOptions {
  /** About this many log lines over the year. */
  lines: number;
  /**
   * `--history-db`: import into this file and keep it; when it already holds a history, only time the dashboard on
   * it (the dashboard's readers changed, the year's import need not be run again).
   */
  dbFile?: string;
}

const millions = (n: number): string => `${(n / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })}M`;

const row = (name: string, value: number, unit: string, note: string): BenchRow => ({
  section: 'history',
  name,
  value,
  unit,
  note,
});

/** Writes the year's log into `dir`, imports it with one command into `dbFile`, and removes the log. */
async function importHistory(lines: number, dir: string, dbFile: string): Promise<BenchRow[]> {
  const log = (line: string) => process.stderr.write(`bench history: ${line}\n`);
  const logFile = join(dir, 'mail.log');
  const endMs = Date.now();
  let written = 0;
  let t = performance.now();
  await writeLines(
    logFile,
    (function* () {
      for (const { line } of historyLines({
        lines,
        days: DAYS,
        endMs,
        hosts: ['mx1.sender.example', 'mx2.sender.example', 'mx3.sender.example'],
        domains: 2000,
      })) {
        written++;
        if (written % 5_000_000 === 0) log(`${millions(written)} lines written`);
        yield line;
      }
    })(),
  );
  const logBytes = statSync(logFile).size;
  const size = `${millions(written)} Postfix lines over ${DAYS} days`;
  const rows = [
    row(
      `write the log, ${size}`,
      (performance.now() - t) / 1000,
      's',
      `${(logBytes / 2 ** 30).toFixed(1)} GiB`,
    ),
  ];
  log(`log written: ${written} lines, ${logBytes} bytes; importing`);
  // One command, as a user imports a year of logs; classic syslog times, so the first line's year is given.
  const year = new Date(endMs - DAYS * DAY_MS).getFullYear();
  t = performance.now();
  const run = await runCommand(dir, ['ingest', '--db', dbFile, '--year', String(year), logFile]);
  rmSync(logFile);
  if (run.code !== 0) throw new Error(`ingest exited with ${run.code}`);
  log(`imported in ${run.seconds.toFixed(0)} s`);
  const rss = run.peakRssMiB <= 256 ? 'target: at most 256' : 'OVER the 256 MiB target';
  return [
    ...rows,
    row(
      `import (one bouncewatch ingest), ${size}`,
      run.seconds,
      's',
      `${Math.round(written / run.seconds)} lines/s`,
    ),
    row(
      `import CPU (every thread), ${size}`,
      run.cpuSeconds,
      's',
      `${Math.round(written / run.cpuSeconds)} lines/CPU-s`,
    ),
    row(`import peak RSS, ${size}`, run.peakRssMiB, 'MiB', rss),
  ];
}

export async function benchHistory(opts: BenchHistoryOptions): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-history-'));
  const dbFile = opts.dbFile ?? join(dir, 'history.db');
  try {
    const rows = existsSync(dbFile) ? [] : await importHistory(opts.lines, dir, dbFile);
    const db = openDatabase({ file: dbFile });
    let attempts = 0;
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      attempts = db.prepare<[], number>('SELECT count(*) FROM attempt_rows').pluck().get() ?? 0;
    } finally {
      db.close();
    }
    const bytes = statSync(dbFile).size;
    const perAttempt = Math.round(bytes / Math.max(1, attempts));
    rows.push(
      row(
        'database size, a year of history',
        bytes / 2 ** 20,
        'MiB',
        `${millions(attempts)} attempts, ${perAttempt} B per attempt, everything included`,
      ),
    );
    // The dashboard on that database: every overview call and drill-down over the last 30 days and the year.
    const timed = await benchApi({
      attempts,
      dbFile,
      ranges: ['24h', '30d', '365d'],
      drillRanges: ['30d', '365d'],
      commands: false,
      pageLoads: 0,
      log: (line) => process.stderr.write(`bench history: ${line}\n`),
    });
    for (const r of timed)
      if (!r.name.startsWith('open (and migrate)')) rows.push({ ...r, section: 'history' });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
