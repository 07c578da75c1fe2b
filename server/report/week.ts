/** ISO weeks, calendar days and report ranges in a named time zone (the server's by default). */

const DAY_MS = 86_400_000;

/** A report period: [from, to) in unix ms, with the label people read. */
export interface ReportRange {
  from: number;
  to: number;
  /** `2026-W47`, `2026-11-16 to 2026-11-22`, `all data`. */
  label: string;
  kind: 'week' | 'custom' | 'all';
}

/** A calendar date without a zone. */
export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

/** The zone the process runs in (TZ, else the system's), as an IANA name. */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when Intl does not know it. */
export function checkTimeZone(timeZone: string): void {
  partsFormatter(timeZone);
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallClock(ms: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

/** Minutes east of UTC in `timeZone` at instant `ms`. */
export function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - (ms - (ms % 1000))) / 60_000);
}

/** The instant a wall-clock time happens in `timeZone`; a time inside a DST gap moves to the end of the gap. */
export function zonedToUtc(
  date: CivilDate,
  timeZone: string,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second, millisecond);
  const first = naive - offsetMinutes(naive, timeZone) * 60_000;
  const second_ = naive - offsetMinutes(first, timeZone) * 60_000;
  // The guesses disagree only in a gap; the later one is the first instant after it (a day that starts at 01:00).
  return Math.max(first, second_);
}

export function addDays(d: CivilDate, n: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** ISO weekday, Monday 1 to Sunday 7. */
function isoWeekday(d: CivilDate): number {
  const wd = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

export function civilDateOf(ms: number, timeZone: string): CivilDate {
  const w = wallClock(ms, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

export function formatCivil(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Monday of ISO week `week` of ISO year `year`. */
export function isoWeekMonday(year: number, week: number): CivilDate {
  const jan4: CivilDate = { year, month: 1, day: 4 };
  const week1Monday = addDays(jan4, 1 - isoWeekday(jan4));
  return addDays(week1Monday, (week - 1) * 7);
}

/** Number of ISO weeks (52 or 53) in ISO year `year`. */
export function isoWeeksInYear(year: number): number {
  const dec28: CivilDate = { year, month: 12, day: 28 };
  return isoWeekOf(dec28).week;
}

/** The ISO week a calendar date belongs to. */
export function isoWeekOf(d: CivilDate): { year: number; week: number } {
  const thursday = addDays(d, 4 - isoWeekday(d));
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const ordinal = Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / DAY_MS);
  return { year: thursday.year, week: Math.floor(ordinal / 7) + 1 };
}

export function formatIsoWeek(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const WEEK_RE = /^(\d{4})-?W(\d{2})$/i;

/** Parses `2026-W47` (or `2026W47`); returns null for anything else, including week 53 of a 52-week year. */
export function parseIsoWeek(text: string): { year: number; week: number } | null {
  const m = WEEK_RE.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // Mail logs start in the 1970s; year 0000 and its like are typing mistakes, not weeks (they came out as 1900).
  if (year < 1970) return null;
  if (week < 1 || week > isoWeeksInYear(year)) return null;
  return { year, week };
}

/** The range of an ISO week, midnight Monday to midnight the next Monday in `timeZone`. */
export function weekRange(year: number, week: number, timeZone: string): ReportRange {
  const monday = isoWeekMonday(year, week);
  return {
    from: zonedToUtc(monday, timeZone),
    to: zonedToUtc(addDays(monday, 7), timeZone),
    label: formatIsoWeek(year, week),
    kind: 'week',
  };
}

/** The last ISO week that has fully ended at `now` in `timeZone`. */
export function lastFullWeek(now: number, timeZone: string): ReportRange {
  const today = civilDateOf(now, timeZone);
  const previousMonday = addDays(today, 1 - isoWeekday(today) - 7);
  const w = isoWeekOf(previousMonday);
  return weekRange(w.year, w.week, timeZone);
}

/** The period of equal length just before `range`; for an ISO week, the ISO week before it. */
export function previousRange(range: ReportRange, timeZone: string): ReportRange {
  if (range.kind === 'week') {
    const parsed = parseIsoWeek(range.label);
    if (parsed) {
      const monday = addDays(isoWeekMonday(parsed.year, parsed.week), -7);
      const w = isoWeekOf(monday);
      return weekRange(w.year, w.week, timeZone);
    }
  }
  const length = range.to - range.from;
  return customRange(range.from - length, range.from, timeZone);
}

/** A custom range labelled by its local dates (the end shown inclusive when it falls on midnight). */
export function customRange(from: number, to: number, timeZone: string): ReportRange {
  return { from, to, label: rangeLabel(from, to, timeZone), kind: 'custom' };
}

/** Local dates of [from, to): `2026-11-16 to 2026-11-22`, with times when the ends are not midnight. */
export function rangeLabel(from: number, to: number, timeZone: string): string {
  const start = wallClock(from, timeZone);
  const end = wallClock(to, timeZone);
  const atMidnight = (w: typeof start) => w.hour === 0 && w.minute === 0 && w.second === 0;
  if (atMidnight(start) && atMidnight(end)) {
    const last = addDays({ year: end.year, month: end.month, day: end.day }, -1);
    const first = formatCivil(start);
    const lastText = formatCivil(last);
    return first === lastText ? first : `${first} to ${lastText}`;
  }
  return `${formatLocal(from, timeZone)} to ${formatLocal(to, timeZone)}`;
}

/** `2026-11-16 14:05` in `timeZone`. */
function formatLocal(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${formatCivil(w)} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

/**
 * Offsets by zone and minute (a zone's offset changes only on a minute boundary). A report formats tens of
 * thousands of instants (every hard-bounced address's last bounce), and each took two Intl calls: 0.4 s of a
 * 3.7 s weekly report over 2.3M attempts.
 */
const minuteOffsets = new Map<string, Map<number, number>>();
const MINUTE_OFFSETS_KEPT = 100_000;

function offsetAtMinute(ms: number, timeZone: string): number {
  let byMinute = minuteOffsets.get(timeZone);
  if (!byMinute) minuteOffsets.set(timeZone, (byMinute = new Map<number, number>()));
  const minute = Math.floor(ms / 60_000);
  let off = byMinute.get(minute);
  if (off === undefined) {
    if (byMinute.size >= MINUTE_OFFSETS_KEPT) byMinute.clear();
    off = offsetMinutes(minute * 60_000, timeZone);
    byMinute.set(minute, off);
  }
  return off;
}

/** ISO 8601 with the zone's offset at that instant: `2026-11-16T00:00:00+01:00`. */
export function isoInZone(ms: number, timeZone: string): string {
  const off = offsetAtMinute(ms, timeZone);
  // The wall clock is the UTC reading of the instant moved by the offset.
  const w = new Date(ms + off * 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const date = formatCivil({ year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate() });
  return `${date}T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}${zone}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a --from/--to value: a date (local midnight; as an end, the midnight after it so the day is
 * included) or a date-time (local unless it carries Z or an offset). Returns null when it is neither.
 */
export function parseTimeArg(text: string, timeZone: string, end: boolean): number | null {
  const value = text.trim();
  const d = DATE_RE.exec(value);
  if (d) {
    const date = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]) };
    if (!validCivil(date)) return null;
    return zonedToUtc(end ? addDays(date, 1) : date, timeZone);
  }
  const t = DATETIME_RE.exec(value);
  if (!t) return null;
  const date = { year: Number(t[1]), month: Number(t[2]), day: Number(t[3]) };
  const hour = Number(t[4]);
  const minute = Number(t[5]);
  const second = Number(t[6] ?? 0);
  if (!validCivil(date) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = t[7];
  if (zone === undefined) return zonedToUtc(date, timeZone, hour, minute, second);
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second);
  if (zone.toUpperCase() === 'Z') return naive;
  const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!zm) return null;
  const offset = (Number(zm[2]) * 60 + Number(zm[3])) * (zm[1] === '-' ? -1 : 1);
  return naive - offset * 60_000;
}

function validCivil(d: CivilDate): boolean {
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day;
}

/** Local calendar days overlapping [from, to), each as its own [from, to) range. */
export function daysOf(
  from: number,
  to: number,
  timeZone: string,
): { date: string; from: number; to: number }[] {
  const days: { date: string; from: number; to: number }[] = [];
  let date = civilDateOf(from, timeZone);
  let start = from;
  while (start < to) {
    const next = addDays(date, 1);
    const end = Math.min(zonedToUtc(next, timeZone), to);
    days.push({ date: formatCivil(date), from: start, to: end });
    start = end;
    date = next;
  }
  return days;
}
