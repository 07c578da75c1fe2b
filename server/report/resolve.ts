/** Turns --week / --from --to / --all (or the API's week) into a report range. */

import type { StoreReader } from '../../db/store/reader.js';
import {
  addDays,
  civilDateOf,
  customRange,
  lastFullWeek,
  parseIsoWeek,
  parseTimeArg,
  weekRange,
  zonedToUtc,
  type ReportRange,
} from './week.js';

/** The period flags were used wrongly (a UsageError on the command line, a 400 over HTTP). */
export class PeriodError extends Error {
  override readonly name = 'ReportRangeError';
}

/** The database holds nothing to report on. */
export class EmptyDatabaseError extends Error {
  override readonly name = 'EmptyDatabaseError';
}

export interface PeriodRequest {
  week?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  all?: boolean | undefined;
}

export async function resolveRange(
  reader: StoreReader,
  request: PeriodRequest,
  now: number,
  timeZone: string,
): Promise<ReportRange> {
  const chosen = [
    request.week !== undefined,
    request.from !== undefined || request.to !== undefined,
    request.all === true,
  ];
  if (chosen.filter(Boolean).length > 1) {
    throw new PeriodError('choose one of --week, --from/--to and --all');
  }
  if (request.all) {
    const span = await reader.dataSpan();
    if (!span) throw new EmptyDatabaseError('the database holds no mail events yet');
    // Whole local days around the data, so the per-day figures start and end cleanly.
    const from = zonedToUtc(civilDateOf(span.from, timeZone), timeZone);
    const to = zonedToUtc(addDays(civilDateOf(span.to - 1, timeZone), 1), timeZone);
    return { ...customRange(from, to, timeZone), label: 'all data', kind: 'all' };
  }
  if (request.from !== undefined || request.to !== undefined) {
    if (request.from === undefined || request.to === undefined) {
      throw new PeriodError('--from and --to go together');
    }
    const from = parseTimeArg(request.from, timeZone, false);
    if (from === null)
      throw new PeriodError(
        `--from takes a date or date-time like 2026-11-16 or 2026-11-16T08:00, not '${request.from}'`,
      );
    const to = parseTimeArg(request.to, timeZone, true);
    if (to === null)
      throw new PeriodError(
        `--to takes a date or date-time like 2026-11-22 or 2026-11-22T18:00, not '${request.to}'`,
      );
    if (to <= from) throw new PeriodError('--to must be after --from');
    return customRange(from, to, timeZone);
  }
  if (request.week !== undefined) {
    const week = parseIsoWeek(request.week);
    if (!week) throw new PeriodError(`--week takes an ISO week like 2026-W47, not '${request.week}'`);
    return weekRange(week.year, week.week, timeZone);
  }
  return lastFullWeek(now, timeZone);
}
