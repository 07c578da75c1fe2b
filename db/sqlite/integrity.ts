/** Whether a database file is damaged: SQLite's own checks, and the error codes that mean damage. */

import type { Db } from './open.js';

/** SQLite's answers that mean the file itself is damaged or is no database (not a busy or full disk). */
const DAMAGE_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_NOTADB',
]);

export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DAMAGE_CODES.has(code);
}

/**
 * The problems `PRAGMA quick_check` (or the slower `integrity_check`, which also compares every index with its
 * table) finds, at most `limit`; an empty list when the file is sound. A file too damaged to be checked answers
 * with the error's message.
 */
export function checkIntegrity(db: Db, options: { full?: boolean; limit?: number } = {}): string[] {
  const pragma = options.full ? 'integrity_check' : 'quick_check';
  try {
    const rows = db.pragma(`${pragma}(${options.limit ?? 20})`) as Record<string, string>[];
    const problems = rows.map((r) => Object.values(r)[0] ?? '').filter((p) => p !== 'ok');
    return problems;
  } catch (err) {
    if (isDamage(err)) return [err instanceof Error ? err.message : String(err)];
    throw err;
  }
}

/** Files up to this size are checked before a writer starts; larger ones would hold it up for minutes. */
export const CHECK_AT_START_BYTES = 256 * 1024 * 1024;
