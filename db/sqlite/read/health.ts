/** What the health endpoint reports about the store: schema version, newest data, line counters, sources. */

import type { Db } from '../open.js';
import { statementCache } from './statements.js';

interface SourceRow {
  path: string;
  offset: number;
  size: number | null;
  lines: number;
  complete: boolean;
  updatedAt: number;
}

export interface StoreHealth {
  schemaVersion: number;
  newestAttemptTs: number | null;
  newestRejectTs: number | null;
  lineStats: Record<string, number>;
  sources: SourceRow[];
  /** Indexes an interrupted bulk import set aside and nobody has built yet (0 on a healthy database). */
  indexesMissing: number;
}

const cache = statementCache();

export function storeHealth(db: Db): StoreHealth {
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  const indexesMissing = (
    cache(db, 'health:deferred', 'SELECT count(*) AS n FROM ingest_deferred_indexes').get() as { n: number }
  ).n;
  // Without their time indexes the raw tables would be scanned whole: the minute rollups say it to the minute.
  const newest = (table: string, raw: string) =>
    (
      cache(
        db,
        `health:${table}:${indexesMissing > 0 ? 'rollup' : 'raw'}`,
        indexesMissing > 0 ? 'SELECT MAX(bucket) AS t FROM rollup_minute_rows' : raw,
      ).get() as { t: number | null }
    ).t;
  // Attempts have no time index: their time blocks hold each run's latest time (time-blocks.ts).
  const newestAttemptTs = newest('attempts', 'SELECT MAX(max_ts) AS t FROM attempt_blocks');
  const newestRejectTs = newest('rejects', 'SELECT MAX(ts) AS t FROM reject_rows');
  const lineStats: Record<string, number> = {};
  for (const r of cache(
    db,
    'health:lines',
    'SELECT name, count FROM line_stats ORDER BY name LIMIT 200',
  ).all() as {
    name: string;
    count: number;
  }[]) {
    lineStats[r.name] = r.count;
  }
  const sources = (
    cache(
      db,
      'health:sources',
      'SELECT path, offset, size, lines, complete, updated_at FROM sources ORDER BY updated_at DESC LIMIT 50',
    ).all() as {
      path: string;
      offset: number;
      size: number | null;
      lines: number;
      complete: number;
      updated_at: number;
    }[]
  ).map((r) => ({
    path: r.path,
    offset: r.offset,
    size: r.size,
    lines: r.lines,
    complete: r.complete !== 0,
    updatedAt: r.updated_at,
  }));
  return { schemaVersion, newestAttemptTs, newestRejectTs, lineStats, sources, indexesMissing };
}
