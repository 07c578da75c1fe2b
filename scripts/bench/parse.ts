/** Parse-only throughput on generated Postfix and Exim logs (lines held in memory, one core). */

import { parseLine } from '../../parsers/index.js';
import type { ParseContext } from '../../parsers/types.js';
import { generateLines } from '../gen/generate.js';
import type { BenchRow } from './types.js';

const END_MS = Date.UTC(2026, 10, 28, 12);

interface Measured {
  /** Lines per wall-clock second. */
  perSecond: number;
  /** Lines per second of this process's CPU time: steadier than wall time on a shared machine. */
  perCpuSecond: number;
  unparsed: number;
}

function measure(lines: readonly string[], ctx: ParseContext): Measured {
  // One warm-up pass so the figure is the steady state the ingest loop sees.
  for (let i = 0; i < Math.min(lines.length, 50_000); i++) parseLine(lines[i]!, ctx);
  let unparsed = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const line of lines) {
    if (parseLine(line, ctx).kind === 'unparsed') unparsed++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { perSecond: lines.length / seconds, perCpuSecond: lines.length / cpuSeconds, unparsed };
}

export async function benchParse(opts: { lines: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const ctx: ParseContext = { referenceMs: END_MS + 86_400_000, utcOffsetMinutes: 0 };
  for (const format of ['postfix', 'exim'] as const) {
    // Join and split, as a file read would: the generator builds lines by concatenation, and a
    // concatenated string costs a flattening on first access that a line read from disk does not.
    const lines = [...generateLines({ format, lines: opts.lines, seed: 42, endMs: END_MS })]
      .join('\n')
      .split('\n');
    const m = measure(lines, ctx);
    rows.push({
      section: 'parse',
      name: `${format} ${lines.length.toLocaleString('en')} lines`,
      value: Math.round(m.perSecond),
      unit: 'lines/s',
      note: `parseLine only, lines in memory; ${Math.round(m.perCpuSecond).toLocaleString('en')} lines per CPU-second; ${m.unparsed} unparsed`,
    });
    // Yield between formats so timers and I/O of the caller are not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}
