/**
 * Memo of rollup aggregates over closed time segments. Whole past days and hours are most of a long range and do
 * not change while mail flows (new events carry the current time), so the dashboard reads them once. Entries
 * die when a stored batch reaches back into them (late or re-imported lines) and after a TTL, which also covers
 * a database written by another process.
 */

import type { Db } from '../open.js';

const ROLLUP_CACHE_TTL_MS = 15 * 60_000;
const MAX_ENTRIES = 2000;
/** Bounds memory too: at most this many memoised rows in all (oldest entries go first). */
const MAX_ROWS = 400_000;

interface Entry {
  value: unknown;
  rows: number;
  /** Exclusive end of the time the value covers: a write at or after it cannot change it. */
  to: number;
  at: number;
}

interface Memo {
  entries: Map<string, Entry>;
  rows: number;
}

const caches = new WeakMap<Db, Memo>();

function memo(db: Db): Memo {
  let m = caches.get(db);
  if (!m) {
    m = { entries: new Map(), rows: 0 };
    caches.set(db, m);
  }
  return m;
}

function drop(m: Memo, key: string): void {
  const e = m.entries.get(key);
  if (!e) return;
  m.rows -= e.rows;
  m.entries.delete(key);
}

/**
 * The cached value for `key` when it covers only time before `now`; otherwise computes it (and keeps it when
 * closed). `to` is the exclusive end of the covered time.
 */
export function memoClosed<T>(db: Db, key: string, to: number, now: number, compute: () => T): T {
  if (to > now) return compute();
  const m = memo(db);
  const hit = m.entries.get(key);
  if (hit && now - hit.at < ROLLUP_CACHE_TTL_MS) {
    // Refresh the LRU position.
    m.entries.delete(key);
    m.entries.set(key, hit);
    return hit.value as T;
  }
  drop(m, key);
  const value = compute();
  const rows = Array.isArray(value) ? value.length : 1;
  if (rows > MAX_ROWS) return value;
  m.entries.set(key, { value, rows, to, at: now });
  m.rows += rows;
  while (m.entries.size > MAX_ENTRIES || m.rows > MAX_ROWS) {
    const oldest = m.entries.keys().next();
    if (oldest.done) break;
    drop(m, oldest.value);
  }
  return value;
}

/** Forgets every memo that covers time at or after `fromTs` (a batch with events that old was just stored). */
export function invalidateRollupCache(db: Db, fromTs: number): void {
  const m = caches.get(db);
  if (!m) return;
  for (const [key, e] of m.entries) if (e.to > fromTs) drop(m, key);
}
