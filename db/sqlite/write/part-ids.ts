/**
 * Columns that repeat together stored once as a row of their own, named by one id in each row (migrations 13 and
 * 14): an attempt's route (the host and MTA that logged it, the program, the relay's name, address and port, the
 * transport and the stage where it ended) and a life's origin (its host and MTA, and the client it came from). A
 * server has a few hundred routes and as many origins as clients; every column folded saves a row's header byte.
 */

import type { Db } from '../open.js';
import type { Stored, Value } from './pack-batch.js';

/** A table of parts: its name, the id column that names a row of it, and its parts in their stored order. */
export interface PartTable {
  table: string;
  column: string;
  parts: readonly string[];
}

export const ROUTES: PartTable = {
  table: 'attempt_routes',
  column: 'route',
  parts: ['host', 'mta', 'program', 'relay_host', 'relay_ip', 'port', 'transport', 'stage'],
};

export const ORIGINS: PartTable = {
  table: 'life_origins',
  column: 'origin',
  parts: ['host', 'mta', 'client_host', 'client_ip'],
};

/** The cache starts over past this many: a flood of distinct relays or clients costs lookups, not memory. */
const CACHE_SIZE = 20_000;

export interface PartIds {
  /** The id of the row with these stored parts (names ids and numbers), added when new. */
  id(parts: readonly Value[]): number;
  /** Forgets cached ids: the transaction that may have added them was rolled back. */
  forget(): void;
}

export function createPartIds(db: Db, { table, parts: columns }: PartTable): PartIds {
  const find = db
    .prepare<Value[], number>(
      `SELECT id FROM ${table} WHERE ${columns.map((c) => `${c} IS ?`).join(' AND ')}`,
    )
    .pluck();
  const add = db.prepare<Value[]>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
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

/** Where a table's parts are among `columns`, and where the rest are. */
function partPlaces(columns: readonly string[], t: PartTable): { partAt: number[]; restAt: number[] } {
  const partAt = t.parts.map((c) => columns.indexOf(c));
  if (partAt.includes(-1)) throw new Error(`${t.table}: a part is missing from the columns`);
  return { partAt, restAt: columns.map((_, i) => i).filter((i) => !partAt.includes(i)) };
}

/** The columns of rows whose parts are folded into their id, which comes first. */
export function foldedColumns(columns: readonly string[], t: PartTable): string[] {
  const { restAt } = partPlaces(columns, t);
  return [t.column, ...restAt.map((i) => columns[i]!)];
}

/** Rows of `columns` with their parts folded into one id (foldedColumns' order). */
export function foldParts(
  values: readonly Stored[],
  columns: readonly string[],
  t: PartTable,
  ids: PartIds,
): Stored[] {
  const { partAt, restAt } = partPlaces(columns, t);
  const out: Stored[] = [];
  for (let o = 0; o < values.length; o += columns.length) {
    // An origin's parts are name ids, never a packed text.
    out.push(ids.id(partAt.map((i) => (values[o + i] ?? null) as Value)));
    for (const i of restAt) out.push(values[o + i] ?? null);
  }
  return out;
}
