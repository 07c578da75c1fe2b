/**
 * Unparsed rate of Postfix and Exim lines in every log under the shared corpus, with each unparsed
 * shape. Run outside the test suite: `node dist/scripts/check-unparsed.js [DIR]`.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseEnvelope, parseLine } from '../parsers/index.js';
import type { ParseContext } from '../parsers/types.js';

const DEFAULT_DIR = '/work/shared/corpus/logs';
/** Issue 17: fewer than 0.1% of the Postfix and Exim lines may come out unparsed. */
const TARGET = 0.001;

function listLogs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...listLogs(path));
    else if (!name.endsWith('SOURCE.txt') && !name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** A shape: the reason and the message with numbers, ids and addresses folded. */
function shapeOf(line: string, ctx: ParseContext, reason: string): string {
  const msg = parseEnvelope(line, ctx).message;
  const folded = msg
    .replace(/<[^>]*>/g, '<A>')
    .replace(/\[[^\]]*\]/g, '[IP]')
    .replace(/\b[0-9A-F]{6,}\b/g, 'QID')
    .replace(/\b[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}\b/g, 'MSGID')
    .replace(/\d+/g, 'N');
  return `${reason} | ${folded.slice(0, 90)}`;
}

function main(): number {
  const dir = process.argv[2] ?? DEFAULT_DIR;
  let allLines = 0;
  let allMta = 0;
  let allUnparsed = 0;
  let worst = 0;
  for (const file of listLogs(dir)) {
    const ctx: ParseContext = { referenceMs: statSync(file).mtimeMs };
    const lines = readFileSync(file, 'latin1').split('\n');
    if (lines.at(-1) === '') lines.pop();
    let mta = 0;
    let unparsed = 0;
    const kinds = new Map<string, number>();
    const shapes = new Map<string, { count: number; sample: string }>();
    for (const line of lines) {
      const r = parseLine(line, ctx);
      kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      if (r.kind === 'foreign') continue;
      mta++;
      if (r.kind === 'unparsed') {
        unparsed++;
        const shape = shapeOf(line, ctx, r.reason);
        const s = shapes.get(shape);
        if (s) s.count++;
        else shapes.set(shape, { count: 1, sample: line.slice(0, 200) });
      }
    }
    allLines += lines.length;
    allMta += mta;
    allUnparsed += unparsed;
    const rate = mta === 0 ? 0 : unparsed / mta;
    worst = Math.max(worst, rate);
    const kindText = [...kinds].map(([k, v]) => `${k}=${v}`).join(' ');
    process.stdout.write(
      `${(rate * 100).toFixed(2).padStart(6)}%  ${String(unparsed).padStart(5)}/${String(mta).padEnd(6)} ${relative(dir, file)}  (${kindText})\n`,
    );
    for (const [shape, s] of [...shapes].sort((a, b) => b[1].count - a[1].count)) {
      process.stdout.write(`          ${String(s.count).padStart(4)}  ${shape}\n`);
      if (process.env['SAMPLES']) process.stdout.write(`                e.g. ${s.sample}\n`);
    }
  }
  const total = allMta === 0 ? 0 : allUnparsed / allMta;
  process.stdout.write(
    `\ntotal: ${allUnparsed} unparsed of ${allMta} Postfix/Exim lines (${(total * 100).toFixed(3)}%), ${allLines} lines read; worst log ${(worst * 100).toFixed(2)}%; target < ${TARGET * 100}%\n`,
  );
  return total < TARGET ? 0 : 1;
}

process.exitCode = main();
