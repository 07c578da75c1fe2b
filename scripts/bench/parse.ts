/** Parse-only throughput on generated Postfix and Exim logs (lines held in memory, one core). */

import { parseLine } from '../../parsers/index.js';
import type { ParseContext } from '../../parsers/types.js';
import { generateLines } from '../../server/demo/generate.js';
import type { BenchRow } from './types.js';

const END_MS = Date.UTC(2026, 10, 28, 12);

interface Measured {
  /** Lines per wall-clock second. */
  perSecond: number;
  /** Lines per second of this process's CPU time: steadier than wall time on a shared machine. */
  perCpuSecond: number;
  unparsed: number;
}

const PASSES = 3;

/** Best of a few whole passes: the first also warms the code up, as a long ingest run would be. */
function measure(lines: readonly string[], ctx: ParseContext): Measured {
  const best: Measured = { perSecond: 0, perCpuSecond: 0, unparsed: 0 };
  for (let pass = 0; pass < PASSES; pass++) {
    let unparsed = 0;
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const line of lines) {
      if (parseLine(line, ctx).kind === 'unparsed') unparsed++;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    best.perSecond = Math.max(best.perSecond, lines.length / seconds);
    best.perCpuSecond = Math.max(best.perCpuSecond, lines.length / cpuSeconds);
    best.unparsed = unparsed;
  }
  return best;
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
      note: `parseLine only, lines in memory, best of ${PASSES} passes; ${Math.round(m.perCpuSecond).toLocaleString('en')} lines per CPU-second; ${m.unparsed} unparsed`,
    });
    // Yield between formats so timers and I/O of the caller are not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}
