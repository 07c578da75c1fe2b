/** Turning the date parts of a log line into unix milliseconds: year inference and zone handling. */

import type { ParseContext } from './types.js';

const DAY_MS = 86_400_000;

/** Month abbreviations in syslog order. */
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** 0-based month of a syslog month abbreviation at `pos` of `s`, or -1 (no string is made). */
export function monthAt(s: string, pos: number): number {
  const a = s.charCodeAt(pos);
  const b = s.charCodeAt(pos + 1);
  const c = s.charCodeAt(pos + 2);
  for (let m = 0; m < 12; m++) {
    const k = m * 3;
    if (MONTHS.charCodeAt(k) === a && MONTHS.charCodeAt(k + 1) === b && MONTHS.charCodeAt(k + 2) === c)
      return m;
  }
  return -1;
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
    return zonedToMs(year, month, day, hour, minute, second, ms, ctx.utcOffsetMinutes);
  }
  // One Date per local hour: consecutive lines share their hour, and within an hour whose offset does not
  // change (checked at its last second) the time is its start plus minutes and seconds.
  const inRange = hour <= 23 && minute <= 59 && second <= 59 && ms >= 0 && ms < 1000;
  if (!inRange) return processZoneMs(year, month, day, hour, minute, second, ms);
  const hourKey = ((year * 12 + month) * 32 + day) * 24 + hour;
  if (hourKey !== localHourKey) {
    localHourKey = hourKey;
    const start = processZoneMs(year, month, day, hour, 0, 0, 0);
    const last = processZoneMs(year, month, day, hour, 59, 59, 0);
    localHourMs = last - start === HOUR_MS - 1000 ? start : Number.NaN;
  }
  if (Number.isNaN(localHourMs)) return processZoneMs(year, month, day, hour, minute, second, ms);
  return localHourMs + (minute * 60 + second) * 1000 + ms;
}

const HOUR_MS = 3_600_000;
/** The local hour `localToMs` saw last (year, month, day, hour) and its start, or NaN for an hour with a shift. */
let localHourKey = Number.NaN;
let localHourMs = 0;

/** Milliseconds of a wall-clock time in the process zone, from Date. */
function processZoneMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  // new Date(y, ...) maps years 0-99 to 1900-1999; setFullYear keeps the year we mean.
  const d = new Date(2000, month, day, hour, minute, second, ms);
  d.setFullYear(year, month, day);
  return d.getTime();
}

/** The day `zonedToMs` saw last and its midnight (UTC). */
let zonedDayKey = Number.NaN;
let zonedDayMs = 0;

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
  // Date.UTC once per day: consecutive lines share their date.
  const dayKey = (year * 12 + month) * 32 + day;
  if (dayKey !== zonedDayKey) {
    zonedDayKey = dayKey;
    // Date.UTC reads years 0-99 as 1900-1999.
    zonedDayMs =
      year >= 100 ? Date.UTC(year, month, day) : new Date(Date.UTC(2000, month, day)).setUTCFullYear(year);
  }
  const inRange = hour <= 23 && minute <= 59 && second <= 60 && ms < 1000 && ms >= 0;
  if (!inRange) return Date.UTC(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return zonedDayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + ms;
}

let seenCtx: ParseContext | null = null;
let seenRef = Number.NaN;
let seenYear: number | undefined;
let seenOffset: number | undefined;
let seenGeneration = 0;

/**
 * A number that changes whenever the context does (another object, or the same object with other
 * values: a caller may update its context in place). Time caches are keyed on it.
 */
export function contextGeneration(ctx: ParseContext): number {
  if (
    ctx !== seenCtx ||
    ctx.referenceMs !== seenRef ||
    ctx.year !== seenYear ||
    ctx.utcOffsetMinutes !== seenOffset
  ) {
    seenCtx = ctx;
    seenRef = ctx.referenceMs;
    seenYear = ctx.year;
    seenOffset = ctx.utcOffsetMinutes;
    seenGeneration++;
  }
  return seenGeneration;
}

/** The candidate midnights of one month/day (next, this, previous year), cached per context. */
let dayMonth = -1;
let dayDay = -1;
let dayGeneration = -1;
let dayStarts: number[] = [];
/** False when a candidate day has a zone change (DST): then every line takes the slow path. */
let dayUniform = false;

function candidateYears(ctx: ParseContext): number[] {
  if (ctx.year !== undefined) return [ctx.year];
  const ref = ctx.referenceMs;
  const refYear = Number.isFinite(ref) && Math.abs(ref) < 8.64e15 ? new Date(ref).getUTCFullYear() : 1970;
  return [refYear + 1, refYear, refYear - 1];
}

/**
 * A yearless syslog time: the year is ctx.year when forced, else the one that puts the line at or
 * before the reference, allowing one day ahead (clock skew, a reference taken just before midnight).
 * Next year is tried first (a line just after New Year, a reference just before it), then this
 * year, then the previous one; the first that does not lie beyond the limit wins.
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
  const generation = contextGeneration(ctx);
  if (month !== dayMonth || day !== dayDay || generation !== dayGeneration) {
    dayMonth = month;
    dayDay = day;
    dayGeneration = generation;
    dayStarts = [];
    dayUniform = true;
    for (const y of candidateYears(ctx)) {
      const start = localToMs(ctx, y, month, day, 0, 0, 0, 0);
      dayStarts.push(start);
      if (localToMs(ctx, y, month, day, 23, 59, 59, 0) - start !== DAY_MS - 1000) dayUniform = false;
    }
  }
  const limit = ctx.referenceMs + DAY_MS;
  if (dayUniform) {
    const tod = ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    let t = 0;
    for (const start of dayStarts) {
      t = start + tod;
      if (t <= limit) return t;
    }
    return t;
  }
  let t = 0;
  for (const y of candidateYears(ctx)) {
    t = localToMs(ctx, y, month, day, hour, minute, second, ms);
    if (t <= limit) return t;
  }
  return t;
}

const TWO: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** 0000-01-01 and 10000-01-01 in ms: the years a four-digit ISO date can show. */
const MIN_ISO_MS = -62_167_219_200_000;
const MAX_ISO_MS = 253_402_300_800_000;

let lastIsoMs = Number.NaN;
let lastIso = '';
let isoDay = Number.NaN;
let isoDayPrefix = '';

/** ISO 8601 (UTC) for a time in ms, or null when the time is not a real date. Day prefixes are cached. */
export function toIso(ms: number): string | null {
  if (ms === lastIsoMs) return lastIso;
  if (!Number.isInteger(ms) || ms < MIN_ISO_MS || ms >= MAX_ISO_MS) {
    return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
  }
  const dayIndex = Math.floor(ms / DAY_MS);
  if (dayIndex !== isoDay) {
    isoDay = dayIndex;
    isoDayPrefix = new Date(dayIndex * DAY_MS).toISOString().slice(0, 11);
  }
  let rem = ms - dayIndex * DAY_MS;
  const milli = rem % 1000;
  rem = (rem - milli) / 1000;
  const sec = rem % 60;
  rem = (rem - sec) / 60;
  const min = rem % 60;
  const hr = (rem - min) / 60;
  lastIsoMs = ms;
  lastIso = `${isoDayPrefix}${TWO[hr]!}:${TWO[min]!}:${TWO[sec]!}.${THREE[milli]!}Z`;
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
