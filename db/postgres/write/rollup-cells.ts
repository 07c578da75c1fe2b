/** Rollup cells of a batch, counted on integer keys: minute, hour and day rows, upserted once per cell. */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const floorTo = (ms: number, size: number) => ms - (((ms % size) + size) % size);

/** Column arrays of one rollup table (the order of the table's columns). */
export interface RollupColumns {
  host: number[];
  bucket: number[];
  domain: number[];
  provider: number[];
  outcome: number[];
  class: number[];
  cause: number[];
  code: number[];
  count: number[];
}

const emptyColumns = (): RollupColumns => ({
  host: [],
  bucket: [],
  domain: [],
  provider: [],
  outcome: [],
  class: [],
  cause: [],
  code: [],
  count: [],
});

export interface RollupCells {
  add(ts: number, key: readonly [number, number, number, number, number, number, number]): void;
  /** Minute rows from `minuteFrom` on, and every hour and day row. */
  columns(minuteFrom: number): { minute: RollupColumns; hour: RollupColumns; day: RollupColumns };
}

export function createRollupCells(): RollupCells {
  const minutes = new Map<string, number>();
  return {
    add(ts, key) {
      const cell = `${floorTo(ts, MINUTE)},${key.join(',')}`;
      minutes.set(cell, (minutes.get(cell) ?? 0) + 1);
    },
    columns(minuteFrom) {
      const out = { minute: emptyColumns(), hour: emptyColumns(), day: emptyColumns() };
      const hours = new Map<string, number>();
      const days = new Map<string, number>();
      const push = (cols: RollupColumns, bucket: number, key: number[], count: number) => {
        const [host, domain, provider, outcome, cls, cause, code] = key as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        cols.host.push(host);
        cols.bucket.push(bucket);
        cols.domain.push(domain);
        cols.provider.push(provider);
        cols.outcome.push(outcome);
        cols.class.push(cls);
        cols.cause.push(cause);
        cols.code.push(code);
        cols.count.push(count);
      };
      for (const [cell, count] of minutes) {
        const [minute, ...key] = cell.split(',').map(Number) as [number, ...number[]];
        if (minute >= minuteFrom) push(out.minute, minute, key, count);
        const hour = `${floorTo(minute, HOUR)},${key.join(',')}`;
        hours.set(hour, (hours.get(hour) ?? 0) + count);
        const day = `${floorTo(minute, DAY)},${key.join(',')}`;
        days.set(day, (days.get(day) ?? 0) + count);
      }
      for (const [cell, count] of hours) {
        const [bucket, ...key] = cell.split(',').map(Number) as [number, ...number[]];
        push(out.hour, bucket, key, count);
      }
      for (const [cell, count] of days) {
        const [bucket, ...key] = cell.split(',').map(Number) as [number, ...number[]];
        push(out.day, bucket, key, count);
      }
      return out;
    },
  };
}
