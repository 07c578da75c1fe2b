/** `bouncewatch explain`: explain a reply code or enhanced status (550, 4.7.1, 5.7.26). */

import { causeInfo, explain } from '../../../classify/index.js';
import type { Explanation } from '../../../classify/types.js';
import { CliError, UsageError, parseFlags } from '../args.js';
import type { CliIo, Command } from '../command.js';

const HELP = `Usage: bouncewatch explain [--json] CODE

Explain an SMTP reply code or enhanced status code: what it means, whether the MTA retries, the
likely causes and what to do.

CODE is a basic reply code (550), an enhanced status (4.7.1, 5.7.26, X.7.26, also provider codes
such as 5.7.606), both together ("550 5.7.1"), or a provider code found in reply texts
(Microsoft S3150, Yahoo TSS04, TS03, BL21).

Options:
  --json       print the explanation as one JSON object
  -h, --help   show this help

Exit status: 0 when explained, 1 for a code we do not know, 2 for an argument that is not a code.`;

const shapeRe =
  /^(?:S\d{3,5}|TSS?\d\d|BL\d\d|[2-5]\d\d|[245xX]\.\d{1,3}\.\d{1,3}|[2-5]\d\d[ -]+#?[245xX]\.\d{1,3}\.\d{1,3})$/i;

const CLASS_NOTE: Readonly<Record<string, string>> = {
  success: 'success',
  temporary: 'temporary (the MTA retries)',
  permanent: 'permanent (the MTA does not retry; fix something first)',
};

function formatExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(`${e.code}: ${e.title}`);
  out.push('');
  out.push(
    `class:    ${e.class === null ? '4 = temporary, 5 = permanent (X stands for either)' : (CLASS_NOTE[e.class] ?? e.class)}`,
  );
  out.push(`meaning:  ${e.meaning}`);
  if (e.causes.length > 0) {
    out.push(`causes:   ${e.causes.map((c) => `${c} (${causeInfo(c).title})`).join(', ')}`);
  }
  out.push(`source:   ${e.source}`);
  out.push('');
  out.push('What to do:');
  for (const a of e.actions) out.push(`  - ${a}`);
  if (e.providerNotes.length > 0) {
    out.push('');
    out.push('How large providers use it:');
    for (const n of e.providerNotes) {
      out.push(`  - ${n.provider}, ${n.label}: ${n.meaning}${n.cause !== null ? ` (${n.cause})` : ''}`);
      out.push(`    ${n.action}`);
      out.push(`    source: ${n.source}`);
    }
  }
  if (e.notes.length > 0) {
    out.push('');
    out.push('Notes:');
    for (const n of e.notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

function runExplain(argv: string[], io: CliIo): number {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' } });
  if (positionals.length === 0) throw new UsageError('give a code to explain, e.g. 550, 4.7.1 or 5.7.26');
  const code = positionals.join(' ').trim();
  if (!shapeRe.test(code)) {
    throw new UsageError(`'${code}' is not a reply code (550) or an enhanced status (5.7.26)`);
  }
  const e = explain(code);
  if (!e) throw new CliError(`unknown code '${code}': not a reply code or enhanced status we know`);
  io.stdout.write(values.json === true ? `${JSON.stringify(e, null, 2)}\n` : formatExplanation(e));
  return 0;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain a reply code or enhanced status (550, 4.7.1, 5.7.26)',
  help: HELP,
  run(argv, io) {
    // Errors become a rejected promise, as for the asynchronous commands.
    return Promise.resolve().then(() => runExplain(argv, io));
  },
};
