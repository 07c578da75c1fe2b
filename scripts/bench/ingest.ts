/**
 * Full-ingest throughput (parse, correlate, classify, store with rollups) on generated Postfix and Exim logs,
 * each run in a child process so its peak RSS is its own; pflogsumm and eximstats timed on the same files.
 */

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase } from '../../db/sqlite/open.js';
import { createSqliteWriter } from '../../db/sqlite/write/sqlite-writer.js';
import { createEventBus } from '../../server/events.js';
import { createIngest } from '../../server/ingest/engine.js';
import { silentLogger } from '../../server/log.js';
import { generateLines } from '../../server/demo/generate.js';
import { measureStorageFloor, type StorageFloor } from './storage-floor.js';
import { writeLines } from '../../server/demo/write-lines.js';
import type { BenchRow } from './types.js';

/**
 * The week of traffic ends at the top of the current hour, as when an admin imports last week's rotated logs:
 * ingest writes minute rollups for the newest two days only, so a fixed end date would change the work done
 * as the calendar moves on.
 */
const END_MS = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const MIB = 1024 * 1024;

/** What the child reports. */
interface ChildResult {
  lines: number;
  seconds: number;
  cpuSeconds: number;
  /** Peak RSS (MiB) over the whole run, and the RSS seen at half of the input. */
  peakRssMiB: number;
  halfRssMiB: number;
  /** Attempts stored, and the database file's size once closed (everything included: rows, rollups, indexes). */
  attempts: number;
  bytes: number;
}

/** Exim 4.97+ ids (6-11-4) rewritten to the 16-character form (6-6-2) that eximstats reads. */
const toShortEximId = (line: string): string =>
  line.replace(
    /\b([0-9A-Za-z]{6})-([0-9A-Za-z]{11})-([0-9A-Za-z]{4})\b/,
    (_m, a: string, b: string, c: string) => `${a}-${b.slice(5)}-${c.slice(0, 2)}`,
  );

function writeLog(path: string, format: 'postfix' | 'exim', lines: number): Promise<void> {
  const generated = generateLines({ format, lines, seed: 7, endMs: END_MS, days: 7 });
  return writeLines(
    path,
    format === 'exim'
      ? (function* () {
          for (const line of generated) yield toShortEximId(line);
        })()
      : generated,
  );
}

/** Runs in the child: one ingest of one file into a fresh database, then prints a ChildResult as JSON. */
async function runChild(file: string, dbFile: string, totalLines: number): Promise<void> {
  const db = openDatabase({ file: dbFile });
  const ingest = createIngest({ store: createSqliteWriter(db), log: silentLogger(), bus: createEventBus() });
  let halfRss = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const summary = await ingest.ingestFiles([file], {
    onProgress: (p) => {
      if (halfRss === 0 && p.linesRead >= totalLines / 2) halfRss = process.memoryUsage.rss();
    },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const attempts = db.prepare<[], number>('SELECT count(*) FROM attempts').pluck().get() ?? 0;
  db.close();
  const result: ChildResult = {
    lines: summary.linesRead,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    halfRssMiB: halfRss / MIB,
    attempts,
    bytes: statSync(dbFile).size,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** Runs `args` in a child process (its own heap and RSS) and returns the JSON it prints last. */
function inChild<T>(args: string[]): Promise<T> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [self, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`bench child ${args[0]} exited with ${code}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as T);
    });
  });
}

const ingestInChild = (file: string, dbFile: string, lines: number) =>
  inChild<ChildResult>(['--child', file, dbFile, String(lines)]);

/** Wall seconds of a reference tool on the file, or null when it is not installed. */
function timeTool(command: string, args: string[]): number | null {
  const probe = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1024 * MIB });
  if (r.error) return null;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function benchIngest(opts: { lines: number }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-ingest-'));
  const rows: BenchRow[] = [];
  try {
    for (const format of ['postfix', 'exim'] as const) {
      const file = join(dir, `${format}.log`);
      await writeLog(file, format, opts.lines);
      const r = await ingestInChild(file, join(dir, `${format}.db`), opts.lines);
      // The generator may stop a little short of the count asked for: label with what was read.
      const label = `${r.lines.toLocaleString('en')} lines`;
      rows.push(
        {
          section: 'ingest',
          name: `${format} ${label}`,
          value: Math.round(r.lines / r.seconds),
          unit: 'lines/s',
          note: `full ingest to SQLite, ${r.seconds.toFixed(1)} s wall, ${Math.round(r.lines / r.cpuSeconds).toLocaleString('en')} lines per CPU-second`,
        },
        {
          section: 'ingest',
          name: `${format} ${label} peak RSS`,
          value: Math.round(r.peakRssMiB),
          unit: 'MiB',
          note: `RSS at half the input: ${Math.round(r.halfRssMiB)} MiB (target: at most 256, flat)`,
        },
        {
          section: 'ingest',
          name: `${format} ${label} bytes per attempt`,
          value: Math.round(r.bytes / Math.max(1, r.attempts)),
          unit: 'B',
          note: `${(r.bytes / MIB).toFixed(1)} MiB database for ${r.attempts.toLocaleString('en')} attempts, everything included (target: at most 170 B)`,
        },
      );
      const [tool, args, target] =
        format === 'postfix' ? (['pflogsumm', [file], 0.4] as const) : (['eximstats', [file], 0.6] as const);
      const theirs = timeTool(tool, [...args]);
      if (theirs === null) {
        rows.push({
          section: 'ingest',
          name: `${tool} ${label}`,
          value: 0,
          unit: 's',
          note: `${tool} not installed: skipped`,
        });
      } else {
        rows.push(
          {
            section: 'ingest',
            name: `${tool} ${label}`,
            value: Number(theirs.toFixed(2)),
            unit: 's',
            note: 'same file, same run',
          },
          {
            section: 'ingest',
            name: `${format} ingest time / ${tool} time`,
            value: Number((r.seconds / theirs).toFixed(2)),
            unit: 'x',
            note: `target: at most ${target}x`,
          },
        );
      }
      // What the writer alone takes for the same batches: no import can be faster (see storage-floor.ts).
      const floor = await inChild<StorageFloor>(['--floor', file, join(dir, `${format}-floor`)]);
      rows.push({
        section: 'ingest',
        name: `${format} ${label} storage floor`,
        value: Number(floor.seconds.toFixed(2)),
        unit: 's',
        note:
          `the writer's work alone, on one thread: ${floor.batches} batches ` +
          `${floor.writeSeconds.toFixed(2)} s + index build ${floor.indexSeconds.toFixed(2)} s` +
          (theirs === null ? '' : `; ${(floor.seconds / theirs).toFixed(2)}x of ${tool}'s time`),
      });
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1]!, args[2]!, Number(args[3]));
  } else if (args[0] === '--floor') {
    process.stdout.write(JSON.stringify(await measureStorageFloor(args[1]!, args[2]!)) + '\n');
  } else {
    // Standalone: node dist/scripts/bench/ingest.js [LINES]
    const lines = Number(args[0] ?? 1_000_000);
    for (const row of await benchIngest({ lines })) {
      process.stdout.write(`${row.section}\t${row.name}\t${row.value} ${row.unit}\t${row.note ?? ''}\n`);
    }
  }
}
