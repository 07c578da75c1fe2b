/**
 * A year of a small fleet's Postfix log in one file, for the history bench (issue 19): several servers' generated
 * traffic (server/demo/generate.ts) merged in time order, as a central syslog host writes it.
 */

import { generateTimedLines, type GeneratedLine } from '../../server/demo/generate.js';

export interface HistoryLogOptions {
  /** About this many lines in all (the generator keeps a rate, not a count: the log ends at `endMs`). */
  lines: number;
  days: number;
  endMs: number;
  hosts: readonly string[];
  /** Recipient domains all the servers send to. */
  domains: number;
}

/** Lines of every host, oldest first; each host's generator keeps only its own pending lines. */
export function* historyLines(opts: HistoryLogOptions): Generator<GeneratedLine> {
  const streams = opts.hosts.map((host, i) =>
    generateTimedLines({
      format: 'postfix',
      lines: Number.MAX_SAFE_INTEGER,
      linesPerDay: opts.lines / opts.days / opts.hosts.length,
      days: opts.days,
      endMs: opts.endMs,
      domains: opts.domains,
      host,
      seed: 1901 + i,
      // Business mail: Saturdays and Sundays carry about a third of a weekday's.
      weekend: 0.35,
    }),
  );
  const take = (stream: Generator<GeneratedLine>): GeneratedLine | undefined => {
    const next = stream.next();
    return next.done ? undefined : next.value;
  };
  const heads = streams.map(take);
  for (;;) {
    let at = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (at < 0 || h.t < heads[at]!.t)) at = i;
    }
    if (at < 0) return;
    yield heads[at]!;
    heads[at] = take(streams[at]!);
  }
}
