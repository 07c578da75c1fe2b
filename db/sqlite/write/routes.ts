/**
 * An attempt's route (migration 0013): the host and MTA that logged it, the program, the relay's name, address and
 * port, the transport and the stage where it ended, stored once in attempt_routes and named by one id in each row.
 * A server has a few hundred; the cache starts over past CACHE_SIZE, so a flood of distinct relays costs lookups,
 * not memory.
 */

import type { Db } from '../open.js';
import type { Value } from './pack-batch.js';

/** The parts of a route, in the order of attempt_routes' columns and of the values route() is given. */
export const ROUTE_COLUMNS = [
  'host',
  'mta',
  'program',
  'relay_host',
  'relay_ip',
  'port',
  'transport',
  'stage',
] as const;

const CACHE_SIZE = 20_000;

export interface RouteDictionary {
  /** The id of the route with these stored parts (names ids and the port), added when new. */
  id(parts: readonly Value[]): number;
  /** Forgets cached ids: the transaction that may have added them was rolled back. */
  forget(): void;
}

export function createRouteDictionary(db: Db): RouteDictionary {
  const find = db
    .prepare<Value[], number>(
      `SELECT id FROM attempt_routes WHERE ${ROUTE_COLUMNS.map((c) => `${c} IS ?`).join(' AND ')}`,
    )
    .pluck();
  const add = db.prepare<Value[]>(
    `INSERT INTO attempt_routes (${ROUTE_COLUMNS.join(', ')}) VALUES (${ROUTE_COLUMNS.map(() => '?').join(', ')})`,
  );
  let cache = new Map<string, number>();
  return {
    id(parts) {
      const key = parts.join('\u0001');
      let id = cache.get(key);
      if (id !== undefined) return id;
      id = find.get(...parts) ?? Number(add.run(...parts).lastInsertRowid);
      if (cache.size >= CACHE_SIZE) cache = new Map();
      cache.set(key, id);
      return id;
    },
    forget() {
      cache = new Map();
    },
  };
}
