/** Rollup counting in memory: one cell per (bucket, host, domain, provider, outcome, class, cause, code) per batch. */

import type { RollupOutcome } from './rows.js';

const MINUTE = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Minute rollups cover the last two days only (they serve the live views): ingest writes none for older
 * minutes, and retention deletes them as they age. Queries at minute precision further back count the raw
 * attempts and rejects instead (db/queries/raw-cells.ts).
 */
export const MINUTE_ROLLUPS_KEPT_MS = 2 * DAY_MS;

/** One rollup cell being counted: the key parts and the running count. */
export interface Cell {
  bucket: number;
  host: string;
  domain: string;
  provider: string;
  outcome: RollupOutcome;
  cls: string;
  cause: string;
  code: string;
  /** The key without its bucket: folding into coarser buckets reuses it instead of joining seven parts again. */
  dims: string;
  count: number;
}

const SEP = '\u0001';

/** Adds one event to the minute cells of a batch: one string key and one map lookup per event. */
export function addCell(
  cells: Map<string, Cell>,
  ts: number,
  host: string,
  domain: string,
  provider: string,
  outcome: RollupOutcome,
  cls: string,
  cause: string,
  code: string,
): void {
  const bucket = ts - (((ts % MINUTE) + MINUTE) % MINUTE);
  const dims = host + SEP + domain + SEP + provider + SEP + outcome + SEP + cls + SEP + cause + SEP + code;
  const key = String(bucket) + SEP + dims;
  const cell = cells.get(key);
  if (cell) cell.count++;
  else cells.set(key, { bucket, host, domain, provider, outcome, cls, cause, code, dims, count: 1 });
}

/** Folds minute cells into coarser buckets (far fewer keys than events). */
export function foldCells(cells: Iterable<Cell>, size: number): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const c of cells) {
    const bucket = c.bucket - (((c.bucket % size) + size) % size);
    const key = String(bucket) + SEP + c.dims;
    const cell = out.get(key);
    if (cell) cell.count += c.count;
    else
      out.set(key, {
        bucket,
        host: c.host,
        domain: c.domain,
        provider: c.provider,
        outcome: c.outcome,
        cls: c.cls,
        cause: c.cause,
        code: c.code,
        dims: c.dims,
        count: c.count,
      });
  }
  return out;
}
