/**
 * Runs the `duplicates` tool over the repository and fails on a pair of repeated code that
 * lint/duplicates-allowed.txt does not give a reason for, or on an entry there that no pair needs any more.
 * `npm run duplicates`; where the tool is not installed (CI), it says so and checks nothing.
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, parseAllowList, parseReport } from './duplicates/allowed.js';

const root = join(import.meta.dirname, '../..');
const LIST = 'lint/duplicates-allowed.txt';

const run = spawnSync('duplicates', ['--repo', root, '--most', '200', '--seconds', '120'], {
  encoding: 'utf8',
});
if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
  console.log('duplicates: the duplicates command is not installed here, so repeated code was not checked');
  process.exit(0);
}
if (run.error) throw run.error;

const { pairs, gaps } = parseReport(run.stdout);
const { allowances, errors } = parseAllowList(readFileSync(join(root, LIST), 'utf8'));
const { unexplained, unused } = compare(pairs, allowances);

const problems: string[] = [
  ...errors.map((e) => `${LIST} ${e}`),
  ...gaps.map((g) => `the tool did not see the whole tree: ${g}`),
  ...unexplained.map((p) => `repeated code without a reason in ${LIST}: ${p.row}`),
  // Only a whole run can tell that an entry is no longer needed.
  ...(gaps.length === 0 ? unused.map((al) => `${LIST}:${al.line} allows no pair any more: ${al.text}`) : []),
];
for (const p of problems) console.error(p);
console.log(
  `duplicates: ${pairs.length} pairs, ${pairs.length - unexplained.length} with a reason, ${unexplained.length} without`,
);
process.exit(problems.length > 0 ? 1 : 0);
