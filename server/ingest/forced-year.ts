/**
 * `--year` across New Year: the forced year is that of the first lines, and it advances by one where the times go
 * back from late in a year to early in it (Dec 31 to Jan 1), as syslog's yearless times do at New Year. A step back
 * that one more year does not turn into a short step forward (files named out of order, lines shuffled by minutes)
 * keeps the year.
 */

import type { ParsedRecord, ParseContext } from '../../parsers/types.js';
import type { ParseFn } from './pipeline.js';

const DAY_MS = 86_400_000;
/** Lines out of order by up to this much are not a new year. */
const BACK_TOLERANCE_MS = DAY_MS;
/** The longest quiet gap around New Year still read as one: the first line after it, at most this after the last. */
const NEW_YEAR_GAP_MS = 62 * DAY_MS;

export interface ForcedYear {
  /** The context for the next lines: a forced year as advanced so far (kept while the same --year goes on). */
  context(next: ParseContext): ParseContext;
  /** Parses a line, advancing the forced year where the line steps back over New Year. */
  parse(parse: ParseFn, text: string, ctx: ParseContext): { record: ParsedRecord; ctx: ParseContext };
}

const msOf = (rec: ParsedRecord): number | null => {
  const ts = (rec as { ts?: unknown }).ts;
  return typeof ts === 'string' ? Date.parse(ts) : null;
};

export function createForcedYear(): ForcedYear {
  /** The --year given, the year reached, and the newest time read under it. */
  let state: { given: number; year: number; newest: number } | null = null;
  return {
    context(next) {
      if (next.year === undefined) {
        state = null;
        return next;
      }
      if (state?.given !== next.year) state = { given: next.year, year: next.year, newest: -Infinity };
      return { ...next, year: state.year };
    },
    parse(parse, text, ctx) {
      const record = parse(text, ctx);
      if (state === null || ctx.year === undefined) return { record, ctx };
      const t = msOf(record);
      if (t === null || Number.isNaN(t)) return { record, ctx };
      if (t < state.newest - BACK_TOLERANCE_MS) {
        const nextCtx = { ...ctx, year: ctx.year + 1 };
        const again = parse(text, nextCtx);
        const t2 = msOf(again);
        if (t2 !== null && t2 >= state.newest - BACK_TOLERANCE_MS && t2 - state.newest <= NEW_YEAR_GAP_MS) {
          state.year = ctx.year + 1;
          state.newest = t2;
          return { record: again, ctx: nextCtx };
        }
        return { record, ctx };
      }
      if (t > state.newest) state.newest = t;
      return { record, ctx };
    },
  };
}
