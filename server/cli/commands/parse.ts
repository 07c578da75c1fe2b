/** `bouncewatch parse`: parse log lines on stdin into one JSON record per line. */

import { createInterface } from 'node:readline';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext, ParsedRecord } from '../../../parsers/types.js';
import { CliError, intFlag, parseFlags, UsageError } from '../args.js';
import type { Command } from '../command.js';

const HELP = `Usage: bouncewatch parse [--year YYYY]

Reads mail log lines (Postfix or Exim; classic syslog, RFC 3339, journalctl -o json or
short-iso, Exim mainlog) on standard input and writes one JSON object per line on standard
output, with "kind" one of: delivery (outcome sent, deferred, bounced, discarded or wait; flow
"hop" for a hand-over to a local filter), reject, note (reject_warning, hold), message,
notification, probe (address verification), debug (verbose output), warning, ignored,
unparsed, foreign.

Options:
  --year YYYY   year of syslog timestamps that carry none (default: the year that puts each
                line at or before now)
`;

/**
 * The CLI contract lists the same keys for delivery and reject records; a reject has no relay,
 * dsn or delivery outcome, so those are written as null and `"rejected"`.
 */
function toJson(record: ParsedRecord): string {
  if (record.kind !== 'reject') return JSON.stringify(record);
  return JSON.stringify({ ...record, outcome: 'rejected', relayHost: null, relayIp: null, dsn: null });
}

/** Output is written in chunks of about this many characters. */
const CHUNK = 65_536;

export const parseCommand: Command = {
  name: 'parse',
  summary: 'parse log lines on stdin into one JSON record per line',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { year: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    const year = intFlag(values.year, 'year', 1970, 9999);
    const now = Date.now();
    const ctx: ParseContext = year === undefined ? { referenceMs: now } : { referenceMs: now, year };
    const out = io.stdout;
    // A reader that went away (`bouncewatch parse | head`) ends the run quietly; other write
    // errors end it with their message.
    const state: { failure: (Error & { code?: string }) | null; wake: (() => void) | null } = {
      failure: null,
      wake: null,
    };
    const onError = (err: Error) => {
      state.failure = err;
      state.wake?.();
    };
    const onDrain = () => state.wake?.();
    out.on('error', onError);
    out.on('drain', onDrain);
    const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
    try {
      let buffer = '';
      for await (const line of rl) {
        buffer += `${toJson(parseLine(line, ctx))}\n`;
        if (buffer.length < CHUNK) continue;
        const ok = out.write(buffer);
        buffer = '';
        // Respect backpressure: wait for the pipe to drain before reading more.
        if (!ok && state.failure === null) await new Promise<void>((resolve) => (state.wake = resolve));
        if (state.failure !== null) break;
      }
      if (buffer !== '' && state.failure === null && !out.write(buffer)) {
        await new Promise<void>((resolve) => (state.wake = resolve));
      }
    } finally {
      rl.close();
      out.off('drain', onDrain);
    }
    const err = state.failure;
    if (err !== null && err.code !== 'EPIPE') throw new CliError(`cannot write the output: ${err.message}`);
    return 0;
  },
};
