/** `bouncewatch parse`: parse log lines on stdin into one JSON record per line. */

import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';
import { intFlag, parseFlags, UsageError } from '../args.js';
import type { Command } from '../command.js';

const HELP = `Usage: bouncewatch parse [--year YYYY]

Reads mail log lines (Postfix or Exim; classic syslog, RFC 3339, journalctl -o json or
short-iso, Exim mainlog) on standard input and writes one JSON object per line on standard
output, with "kind" one of: delivery, reject, message, notification, ignored, unparsed, foreign.

Options:
  --year YYYY   year of syslog timestamps that carry none (default: the year that puts each
                line at or before now)
`;

export const parseCommand: Command = {
  name: 'parse',
  summary: 'parse log lines on stdin into one JSON record per line',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { year: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    const year = intFlag(values.year, 'year', 1970, 9999);
    const ctx: ParseContext =
      year === undefined ? { referenceMs: Date.now() } : { referenceMs: Date.now(), year };
    const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
    const out = io.stdout;
    let buffer = '';
    for await (const line of rl) {
      buffer += `${JSON.stringify(parseLine(line, ctx))}\n`;
      if (buffer.length >= 65_536) {
        // Respect backpressure: wait for the pipe to drain before reading more.
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
    if (buffer !== '' && !out.write(buffer)) await once(out, 'drain');
    return 0;
  },
};
