/** Connections to the PostgreSQL store: bigint columns read as numbers (times in ms and counts fit a double). */

import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

const parseNumber = (text: string): number => Number(text);

/** Type parsers of our own, so that no process-wide pg setting changes. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return parseNumber;
    const builtIn = pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown;
    return builtIn(oid, format);
  },
};

/** A URL with its password masked, for messages and logs. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/**
 * The dashboard's connections: its reads are small and many, so no query waits for parallel workers to start, and
 * its prepared statements keep one generic plan (read/prepared.ts); the agents' writes prepare nothing.
 */
const POOL_SETTINGS = '-c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_generic_plan';

export function createPgPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    application_name: 'bouncewatch',
    options: POOL_SETTINGS,
  });
  // An idle connection dropped by the server is replaced on next use; without a listener it would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export function createPgClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: 'bouncewatch' });
}
