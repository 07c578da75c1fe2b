/**
 * Bulk import without secondary indexes: dropping them before a large import and building them once at the
 * end costs a sort per index instead of a random B-tree insert per row and index (several times faster).
 * The definitions are saved first, so a crash mid-import is repaired at the next start.
 */

import type { Db } from '../open.js';

/** SQLite's default page cache (2000 KiB), used while indexes are built. */
const SORT_CACHE_SIZE = -2000;

/** Tables whose secondary indexes a bulk import sets aside. */
const BULK_TABLES = ['attempt_rows', 'reject_rows', 'message_rows'] as const;

export interface IndexDeferral {
  /** Rows now in the attempts table (to judge whether a rebuild pays off). */
  attemptRows(): number;
  /** Drops the secondary indexes of the bulk tables, saving their definitions. Returns how many. */
  defer(): number;
  /** Recreates every saved index (after a bulk import, or after a crash during one). Returns how many. */
  restore(): number;
}

export function createIndexDeferral(db: Db): IndexDeferral {
  const rows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM attempt_rows');
  // Partial indexes (failures only) are set aside too. Building one scans the table, but a bulk import at
  // most doubles it, and the four failure indexes of attempts keyed by cause, domain, provider and code are
  // random inserts while kept up, which costs more than the scan.
  const list = db.prepare<[string], { name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
  );
  const save = db.prepare('INSERT OR REPLACE INTO ingest_deferred_indexes (name, sql) VALUES (?, ?)');
  const saved = db.prepare<[], { name: string; sql: string }>(
    'SELECT name, sql FROM ingest_deferred_indexes',
  );
  const forget = db.prepare('DELETE FROM ingest_deferred_indexes WHERE name = ?');
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

  const defer = db.transaction((): number => {
    let n = 0;
    for (const table of BULK_TABLES) {
      for (const ix of list.all(table)) {
        save.run(ix.name, ix.sql);
        db.exec(`DROP INDEX ${quote(ix.name)}`);
        n++;
      }
    }
    return n;
  });
  const rebuild = db.transaction((): number => {
    const all = saved.all();
    for (const ix of all) {
      db.exec(ix.sql.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX IF NOT EXISTS '));
      forget.run(ix.name);
    }
    return all.length;
  });
  const restore = (): number => {
    // Index builds are sorts: let SQLite sort with helper threads while the rebuild runs. Each sorter
    // buffers up to the page cache size, so the writer's large cache goes back to SQLite's default for
    // the build, which keeps the sorters' memory small at no cost in speed.
    const threads = db.pragma('threads', { simple: true }) as number;
    const cache = db.pragma('cache_size', { simple: true }) as number;
    db.pragma('threads = 2');
    db.pragma(`cache_size = ${SORT_CACHE_SIZE}`);
    try {
      return rebuild();
    } finally {
      db.pragma(`threads = ${threads}`);
      db.pragma(`cache_size = ${cache}`);
    }
  };
  return { attemptRows: () => rows.get()?.n ?? 0, defer: () => defer(), restore };
}
