/** Writes generated traffic to a file: `node dist/scripts/gen-demo.js --out FILE [--format postfix|exim] [--lines N] [--days N] [--seed N] [--end ISO]`. */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLines } from '../server/demo/generate.js';
import { writeLines } from '../server/demo/write-lines.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      format: { type: 'string', default: 'postfix' },
      lines: { type: 'string', default: '60000' },
      days: { type: 'string', default: '7' },
      seed: { type: 'string', default: '1' },
      end: { type: 'string' },
      domains: { type: 'string', default: '300' },
    },
  });
  const format = values.format;
  if (format !== 'postfix' && format !== 'exim') throw new Error('--format must be postfix or exim');
  if (!values.out) throw new Error('--out FILE is required');
  // Default end: the top of the current hour, so the demo is fresh yet identical within the hour.
  const endMs = values.end ? Date.parse(values.end) : Math.floor(Date.now() / 3_600_000) * 3_600_000;
  if (Number.isNaN(endMs)) throw new Error(`--end: cannot read '${values.end ?? ''}' as a date`);
  mkdirSync(dirname(values.out), { recursive: true });
  await writeLines(
    values.out,
    generateLines({
      format,
      lines: Number(values.lines),
      days: Number(values.days),
      seed: Number(values.seed),
      domains: Number(values.domains),
      endMs,
    }),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`gen-demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
