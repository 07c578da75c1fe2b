/** Prepares each SQL statement once per connection and hands the same statement back on later calls. */

import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.js';

export type StatementCache = (db: Db, key: string, sql: string) => Statement;

/** A per-module cache: statements live as long as their connection (WeakMap keyed by the Db). */
export function statementCache(): StatementCache {
  const byDb = new WeakMap<Db, Map<string, Statement>>();
  return (db, key, sql) => {
    let map = byDb.get(db);
    if (!map) {
      map = new Map();
      byDb.set(db, map);
    }
    let stmt = map.get(key);
    if (!stmt) {
      stmt = db.prepare(sql);
      map.set(key, stmt);
    }
    return stmt;
  };
}
