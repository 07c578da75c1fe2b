/**
 * Memo of rollup aggregates over closed time segments, per store connection (a SQLite database, a PostgreSQL
 * pool). Whole past days and hours are most of a long range and do not change while mail flows (new events carry
 * the current time), so the dashboard reads them once. Entries
 * die when a stored batch reaches back into them (late or re-imported lines) and after a TTL, which also covers
 * a database written by another process.
 */

const ROLLUP_CACHE_TTL_MS = 15 * 60_000;
const MAX_ENTRIES = 2000;
/**
 * Bounds the memo's memory (oldest entries go first): rows differ in size by the columns they are keyed on, so
 * a count of rows bounded nothing at 10M attempts, where a domain x cause x code grouping of a month is wide.
 */
export const ROLLUP_CACHE_MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  value: unknown;
  /** Estimated heap bytes of the value. */
  bytes: number;
  /** Exclusive end of the time the value covers: a write at or after it cannot change it. */
  to: number;
  at: number;
}

interface Memo {
  entries: Map<string, Entry>;
  bytes: number;
}

const caches = new WeakMap<object, Memo>();

function memo(owner: object): Memo {
  let m = caches.get(owner);
  if (!m) {
    m = { entries: new Map(), bytes: 0 };
    caches.set(owner, m);
  }
  return m;
}

function drop(m: Memo, key: string): void {
  const e = m.entries.get(key);
  if (!e) return;
  m.bytes -= e.bytes;
  m.entries.delete(key);
}

/** Rows of a memoised array whose sizes are added up; the rest are taken to be as large as these on average. */
const SAMPLED_ROWS = 32;

/**
 * The heap a value holds, roughly as V8 lays it out (an object's header and a slot per property, a string's
 * header and two bytes a character at most): a memo bound need not be exact, only grow with what it keeps.
 */
export function estimateBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 16 + value.length * 2;
  if (value === null || typeof value !== 'object' || depth > 4) return 8;
  if (Array.isArray(value)) {
    const n = Math.min(value.length, SAMPLED_ROWS);
    let sampled = 0;
    for (let i = 0; i < n; i++) sampled += estimateBytes(value[i], depth + 1);
    return 16 + value.length * 8 + (n === 0 ? 0 : (sampled / n) * value.length);
  }
  let bytes = 24;
  for (const v of Object.values(value)) bytes += 8 + estimateBytes(v, depth + 1);
  return bytes;
}

/** The memoised entry for `key` while it is fresh (its LRU position refreshed), else none. */
function fresh(m: Memo, key: string, now: number): Entry | null {
  const hit = m.entries.get(key);
  if (hit && now - hit.at < ROLLUP_CACHE_TTL_MS) {
    m.entries.delete(key);
    m.entries.set(key, hit);
    return hit;
  }
  drop(m, key);
  return null;
}

function keep(m: Memo, key: string, to: number, now: number, value: unknown): void {
  const bytes = estimateBytes(value) + key.length * 2;
  if (bytes > ROLLUP_CACHE_MAX_BYTES / 2) return;
  m.entries.set(key, { value, bytes, to, at: now });
  m.bytes += bytes;
  while (m.entries.size > MAX_ENTRIES || m.bytes > ROLLUP_CACHE_MAX_BYTES) {
    const oldest = m.entries.keys().next();
    if (oldest.done) break;
    drop(m, oldest.value);
  }
}

/**
 * The cached value for `key` when it covers only time before `now`; otherwise computes it (and keeps it when
 * closed). `to` is the exclusive end of the covered time.
 */
export function memoClosed<T>(owner: object, key: string, to: number, now: number, compute: () => T): T {
  if (to > now) return compute();
  const m = memo(owner);
  const hit = fresh(m, key, now);
  if (hit) return hit.value as T;
  const value = compute();
  keep(m, key, to, now, value);
  return value;
}

/** memoClosed for a store that answers asynchronously (PostgreSQL): kept once the value has arrived. */
export async function memoClosedAsync<T>(
  owner: object,
  key: string,
  to: number,
  now: number,
  compute: () => Promise<T>,
): Promise<T> {
  if (to > now) return compute();
  const m = memo(owner);
  const hit = fresh(m, key, now);
  if (hit) return hit.value as T;
  const value = await compute();
  keep(m, key, to, now, value);
  return value;
}

/** Estimated bytes the memo of this connection holds (for tests and the bench). */
export function rollupCacheBytes(owner: object): number {
  return caches.get(owner)?.bytes ?? 0;
}

/** Forgets every memo that covers time at or after `fromTs` (a batch with events that old was just stored). */
export function invalidateRollupCache(owner: object, fromTs: number): void {
  const m = caches.get(owner);
  if (!m) return;
  for (const [key, e] of m.entries) if (e.to > fromTs) drop(m, key);
}
