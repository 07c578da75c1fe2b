/** Rollup counting in memory: one cell per (bucket, host, domain, provider, outcome, class, cause, code) per batch. */

import type { RollupOutcome } from '../../store/stored-rows.js';

const MINUTE = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The key of a rollup row without its bucket, and the events counted under it per bucket start. */
interface Dims {
  host: string;
  domain: string;
  provider: string;
  outcome: RollupOutcome;
  cls: string;
  cause: string;
  code: string;
  minutes: Map<number, number>;
}

/** Rollup rows of one batch, in ROLLUP_COLUMNS order (bucket, host, domain, provider, outcome, class, cause, code, count). */
export interface RollupRows {
  minute: (string | number)[];
  hour: (string | number)[];
  day: (string | number)[];
}

/** Counts one batch's events into rollup cells. */
export interface RollupCounter {
  add(
    ts: number,
    host: string,
    domain: string,
    provider: string,
    outcome: RollupOutcome,
    cls: string,
    cause: string,
    code: string,
  ): void;
  /** The rows of every cell counted: minutes from `minuteFrom` on, and every hour and day. */
  rows(minuteFrom: number): RollupRows;
}

const SEP = '\u0001';

const floorTo = (ms: number, size: number) => ms - (((ms % size) + size) % size);

const pushRow = (rows: (string | number)[], bucket: number, d: Dims, count: number) =>
  rows.push(bucket, d.host, d.domain, d.provider, d.outcome, d.cls, d.cause, d.code, count);

/**
 * Cells are grouped by their key without the bucket: one string key and two map lookups per event, and
 * folding minutes into hours and days only adds numbers (no key is joined again).
 */
export function createRollupCounter(): RollupCounter {
  const byDims = new Map<string, Dims>();
  return {
    add(ts, host, domain, provider, outcome, cls, cause, code) {
      const key = host + SEP + domain + SEP + provider + SEP + outcome + SEP + cls + SEP + cause + SEP + code;
      let d = byDims.get(key);
      if (!d) {
        d = { host, domain, provider, outcome, cls, cause, code, minutes: new Map() };
        byDims.set(key, d);
      }
      const minute = floorTo(ts, MINUTE);
      d.minutes.set(minute, (d.minutes.get(minute) ?? 0) + 1);
    },
    rows(minuteFrom) {
      const out: RollupRows = { minute: [], hour: [], day: [] };
      const hours = new Map<number, number>();
      const days = new Map<number, number>();
      for (const d of byDims.values()) {
        hours.clear();
        for (const [minute, count] of d.minutes) {
          if (minute >= minuteFrom) pushRow(out.minute, minute, d, count);
          const hour = floorTo(minute, HOUR_MS);
          hours.set(hour, (hours.get(hour) ?? 0) + count);
        }
        days.clear();
        for (const [hour, count] of hours) {
          pushRow(out.hour, hour, d, count);
          const day = floorTo(hour, DAY_MS);
          days.set(day, (days.get(day) ?? 0) + count);
        }
        for (const [day, count] of days) pushRow(out.day, day, d, count);
      }
      return out;
    },
  };
}
