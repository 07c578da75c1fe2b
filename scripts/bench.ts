/** `npm run bench`: every speed and memory figure of the product, measured side by side in one run. */

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchApi } from './bench/api.js';
import { benchClassify } from './bench/classify.js';
import { benchFollow } from './bench/follow.js';
import { benchHistory } from './bench/history.js';
import { benchHostile } from './bench/hostile.js';
import { benchIngest } from './bench/ingest.js';
import { benchSection, describeMachine, TABLE_HEAD, tableRow, writeBenchMarkdown } from './bench/markdown.js';
import { benchParse } from './bench/parse.js';
import { benchPostgres } from './bench/postgres.js';
import type { BenchRow } from './bench/types.js';

const USAGE = `Usage: npm run bench -- [flags]

  --quick            small sizes (a smoke run; figures are not the targets' sizes)
  --only a,b         run only these sections (parse, classify, ingest, follow, api, hostile, postgres, history)
  --lines N          log lines for parse and ingest (default 1,000,000)
  --attempts N       attempts for the API bench (default 10,000,000)
  --api-db FILE      time the API section on this database instead of filling one (migrated if older; ingest and
                     follow write into it); a FILE that does not exist is filled with --attempts and kept
  --history-lines N  Postfix lines of the 1-year history (section history, not run by default; 50,000,000)
  --history-db FILE  keep the history's database here (replaced if it exists) instead of removing it
  --pg-attempts N    attempts for the PostgreSQL section's API calls (default 1,000,000: filling 10M through the
                     agent's writer takes the better part of an hour on two cores)
  --json FILE        also write the rows as JSON
  --markdown         also write the run, dated and with its machine, into docs/benchmarks.md
  --help             print this text`;

const SECTIONS = ['parse', 'classify', 'ingest', 'follow', 'api', 'hostile', 'postgres', 'history'];

/** A bad flag is told in one line with the usage (exit 2), never as a stack trace. */
function usageError(message: string): never {
  process.stderr.write(`bench: ${message} (npm run bench -- --help lists the flags)\n`);
  process.exit(2);
}

function parseBenchArgs() {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        lines: { type: 'string' },
        attempts: { type: 'string' },
        'api-db': { type: 'string' },
        'history-lines': { type: 'string' },
        'history-db': { type: 'string' },
        'pg-attempts': { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
}

const values = parseBenchArgs();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
/** A count flag: a positive whole number, else a usage error. */
function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    usageError(`--${flag} takes a positive whole number, not '${value}'`);
  return n;
}

const quick = values.quick;
const lines = count('lines', values.lines, quick ? 100_000 : 1_000_000);
const attempts = count('attempts', values.attempts, quick ? 200_000 : 10_000_000);
const historyLines = count('history-lines', values['history-lines'], quick ? 300_000 : 50_000_000);
const pgAttempts = count('pg-attempts', values['pg-attempts'], quick ? 100_000 : 1_000_000);
const only = new Set((values.only ?? 'parse,classify,ingest,follow,api,hostile,postgres').split(','));
for (const name of only) {
  if (!SECTIONS.includes(name))
    usageError(`--only takes sections among ${SECTIONS.join(', ')}, not '${name}'`);
}

const sections: [string, () => Promise<BenchRow[]>][] = [
  ['parse', () => benchParse({ lines })],
  ['classify', () => benchClassify({ replies: lines })],
  ['ingest', () => benchIngest({ lines })],
  // A busy server: 1,000 lines a second is 86M lines a day.
  ['follow', () => benchFollow(quick ? { rate: 200, seconds: 5 } : { rate: 1000, seconds: 20 })],
  ['api', () => benchApi({ attempts, ...(values['api-db'] ? { dbFile: values['api-db'] } : {}) })],
  // Replies written to freeze the report: each report and export must stay under a second.
  ['hostile', () => benchHostile()],
  // The fleet's store beside SQLite, same run: imports, four agents at once, API p95 (needs PostgreSQL's binaries).
  ['postgres', () => benchPostgres({ lines, attempts: pgAttempts })],
  // A year of a small fleet's history (issue 19): the log generated, imported by one `bouncewatch ingest`, and the
  // dashboard over 30 days and over the year. Long (about 50M lines): run it with --only history.
  [
    'history',
    () =>
      benchHistory({
        lines: historyLines,
        ...(values['history-db'] ? { dbFile: values['history-db'] } : {}),
      }),
  ],
];

const rows: BenchRow[] = [];
process.stdout.write(`bouncewatch bench (node ${process.version}, ${quick ? 'quick' : 'full'} run)\n\n`);
process.stdout.write(TABLE_HEAD);
for (const [name, run] of sections) {
  if (!only.has(name)) continue;
  const started = Date.now();
  const result = await run();
  for (const r of result) {
    rows.push(r);
    process.stdout.write(tableRow(r));
  }
  process.stderr.write(`bench: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2) + '\n');
if (values.markdown) {
  const file = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
  const date = new Date().toISOString().slice(0, 10);
  const kind = `${quick ? 'quick' : 'full'} run${values.only ? ` of ${[...only].join(', ')}` : ''}`;
  await writeBenchMarkdown(file, benchSection({ date, kind, machine: describeMachine(), rows }));
  process.stderr.write(`bench: wrote the ${date} ${kind} into ${file}\n`);
}
