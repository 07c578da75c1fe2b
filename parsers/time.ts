/** Turning the date parts of a log line into unix milliseconds: year inference and zone handling. */

import type { ParseContext } from './types.js';

const DAY_MS = 86_400_000;

/** Month abbreviation (as syslog writes it) to 0-based month, keyed by the three characters. */
const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

export function monthIndex(abbrev: string): number {
  return MONTHS[abbrev] ?? -1;
}

/** Milliseconds of a wall-clock time that carries no zone: ctx.utcOffsetMinutes, else the process zone. */
export function localToMs(
  ctx: ParseContext,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  if (ctx.utcOffsetMinutes !== undefined) {
    return Date.UTC(year, month, day, hour, minute, second, ms) - ctx.utcOffsetMinutes * 60_000;
  }
  // new Date(y, ...) maps years 0-99 to 1900-1999; setFullYear keeps the year we mean.
  const d = new Date(2000, month, day, hour, minute, second, ms);
  d.setFullYear(year, month, day);
  return d.getTime();
}

/** Milliseconds of a wall-clock time with an explicit offset (minutes east of UTC). */
export function zonedToMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): number {
  return Date.UTC(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/**
 * A yearless syslog time: the year is ctx.year when forced, else the one that puts the line at or
 * before the reference, allowing one day ahead (clock skew, a reference taken just before midnight).
 */
export function yearlessToMs(
  ctx: ParseContext,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  if (ctx.year !== undefined) {
    return localToMs(ctx, ctx.year, month, day, hour, minute, second, ms);
  }
  const ref = ctx.referenceMs;
  const refYear = Number.isFinite(ref) ? new Date(ref).getUTCFullYear() : 1970;
  const limit = ref + DAY_MS;
  // Try the next year first (a line just after New Year with a reference just before it), then
  // this year, then the previous one; the first that does not lie beyond the limit wins.
  for (let y = refYear + 1; y >= refYear - 1; y--) {
    const t = localToMs(ctx, y, month, day, hour, minute, second, ms);
    if (t <= limit) return t;
  }
  return localToMs(ctx, refYear - 1, month, day, hour, minute, second, ms);
}

let lastIsoMs = Number.NaN;
let lastIso = '';

/** ISO 8601 (UTC) for a time in ms, or null when the time is not a real date. Cached: logs repeat seconds. */
export function toIso(ms: number): string | null {
  if (ms === lastIsoMs) return lastIso;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  lastIsoMs = ms;
  lastIso = new Date(ms).toISOString();
  return lastIso;
}

/** Parses `n` decimal digits at `pos`; -1 when any is not a digit. */
export function digitsAt(s: string, pos: number, n: number): number {
  let v = 0;
  for (let i = pos; i < pos + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Valid calendar parts (the day is checked against 31 only; Date rolls over the rest). */
export function validParts(
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean {
  return (
    month >= 0 &&
    month <= 11 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 60
  );
}
