/**
 * The demo used when no mail log is readable: a week of generated traffic ending now, then new
 * generated lines appended in real time so the live view has something to show.
 */

import { createWriteStream, rmSync } from 'node:fs';
import { generateTimedLines } from './generate.js';
import { writeLines } from './write-lines.js';

export interface DemoFiles {
  log: string;
  db: string;
}

export const DEMO_FILES: DemoFiles = { log: 'bouncewatch-demo.log', db: 'bouncewatch-demo.db' };

/** About 60,000 lines a week: a small company's outbound mail. */
const LINES_PER_DAY = 8_600;
const WEEK_MS = 7 * 86_400_000;

/** Starts the demo from scratch: removes the last demo's files, writes the history. */
export async function writeDemoHistory(files: DemoFiles, nowMs: number): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(files.db + suffix, { force: true });
  const history = generateTimedLines({
    format: 'postfix',
    lines: Number.MAX_SAFE_INTEGER,
    linesPerDay: LINES_PER_DAY,
    days: 7,
    endMs: nowMs,
    seed: 1,
  });
  await writeLines(
    files.log,
    (function* () {
      for (const { line } of history) yield line;
    })(),
  );
}

/** Appends new traffic to the demo log as its time comes; returns a function that stops it. */
export function startDemoTraffic(
  files: DemoFiles,
  nowMs: number,
  clock: () => number = Date.now,
): () => void {
  const lines = generateTimedLines({
    format: 'postfix',
    lines: Number.MAX_SAFE_INTEGER,
    linesPerDay: LINES_PER_DAY,
    days: 7,
    endMs: nowMs + WEEK_MS,
    seed: 2,
  });
  const out = createWriteStream(files.log, { flags: 'a' });
  let pending = lines.next();
  const timer = setInterval(() => {
    const now = clock();
    let chunk = '';
    while (!pending.done && pending.value.t <= now) {
      chunk += pending.value.line + '\n';
      pending = lines.next();
    }
    if (chunk) out.write(chunk);
  }, 1000);
  return () => {
    clearInterval(timer);
    out.end();
  };
}
