/** Numbers, percentages, changes and times the way the dashboard shows them. */

const int = new Intl.NumberFormat('en-US');

export const fmtInt = (n: number): string => int.format(n);

export function fmtPct(r: number | null, digits = 1): string {
  if (r === null) return '–';
  const p = r * 100;
  // A share that is there never reads as 0.00% (one unparsed line in 20,126 read).
  if (p > 0 && p < 0.01) return '<0.01%';
  return `${p.toFixed(p !== 0 && Math.abs(p) < 0.1 ? 2 : digits)}%`;
}

/**
 * "+25%" for relative count changes, "12×" from ten times the previous count on (a range whose previous one
 * saw little traffic); null (nothing before) shows as "new" or a dash.
 */
export function fmtChange(c: number | null, current: number): string {
  if (c === null) return current > 0 ? 'new' : '–';
  const p = c * 100;
  if (Math.abs(p) < 0.5) return '±0%';
  if (c >= 9) return `${fmtInt(Math.floor(1 + c))}×`;
  return `${p > 0 ? '+' : '−'}${Math.round(Math.abs(p))}%`;
}

/** "+1.2 pt" for rate changes (percentage points). */
export function fmtPoints(c: number | null): string {
  if (c === null) return '–';
  const p = c * 100;
  if (Math.abs(p) < 0.05) return '±0 pt';
  return `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(1)} pt`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function fmtTime(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A calendar day in local time: 2026-11-29. */
export function fmtDay(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Chart axis labels: time of day for short ranges, date for long ones; the year is written when the chart
 * crosses one (`withYear`), so December and January of different years never read as neighbours.
 */
export function fmtBucket(ts: number, step: number, withYear = false): string {
  const d = new Date(ts);
  const date = withYear ? fmtDay(ts) : `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (step >= 86_400_000) return date;
  if (step >= 3_600_000) return `${date} ${pad(d.getHours())}:00`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withYear ? `${date} ${time}` : time;
}

/** Whether the buckets of a chart lie in more than one calendar year. */
export function crossesYear(buckets: readonly number[]): boolean {
  const first = buckets[0];
  const last = buckets.at(-1);
  return (
    first !== undefined &&
    last !== undefined &&
    new Date(first).getFullYear() !== new Date(last).getFullYear()
  );
}

export function fmtRelative(ts: number, now: number): string {
  const s = Math.round((now - ts) / 1000);
  if (s < 60) return `${Math.max(s, 0)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** For <input type="datetime-local">: local time without seconds. */
export function toLocalInput(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `512 B`, `1.4 MiB`: binary units, as mail sizes are usually read. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${fmtInt(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}
