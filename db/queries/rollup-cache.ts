/**
 * Memo of rollup aggregates over closed time segments. Whole past days and hours are most of a long range and do
 * not change while mail flows (new events carry the current time), so the dashboard reads them once. Entries
 * die when a stored batch reaches back into them (late or re-imported lines) and after a TTL, which also covers
 * a database written by another process.
 */

import type { Db } from '../open.js';

export const ROLLUP_CACHE_TTL_MS = 15 * 60_000;
const MAX_ENTRIES = 2000;

interface Entry {
  value: unknown;
  /** Exclusive end of the time the value covers: a write at or after it cannot change it. */
  to: number;
  at: number;
}

const caches = new WeakMap<Db, Map<string, Entry>>();

function entries(db: Db): Map<string, Entry> {
  let m = caches.get(db);
  if (!m) {
    m = new Map();
    caches.set(db, m);
  }
  return m;
}

/**
 * The cached value for `key` when it covers only time before `now`; otherwise computes it (and keeps it when
 * closed). `to` is the exclusive end of the covered time.
 */
export function memoClosed<T>(db: Db, key: string, to: number, now: number, compute: () => T): T {
  if (to > now) return compute();
  const m = entries(db);
  const hit = m.get(key);
  if (hit && now - hit.at < ROLLUP_CACHE_TTL_MS) {
    // Refresh the LRU position.
    m.delete(key);
    m.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  m.set(key, { value, to, at: now });
  if (m.size > MAX_ENTRIES) {
    const oldest = m.keys().next();
    if (!oldest.done) m.delete(oldest.value);
  }
  return value;
}

/** Forgets every memo that covers time at or after `fromTs` (a batch with events that old was just stored). */
export function invalidateRollupCache(db: Db, fromTs: number): void {
  const m = caches.get(db);
  if (!m) return;
  for (const [key, e] of m) if (e.to > fromTs) m.delete(key);
}
