/**
 * The dashboard's reads as prepared statements: each statement text is planned once per connection (a generic
 * plan, see createPgPool), because planning a query over a month of daily partitions costs far more than running
 * it. A generic plan still skips the partitions outside a query's range, when it starts.
 */

import { createHash } from 'node:crypto';
import type pg from 'pg';

/** What the readers ask of the store: a statement and its values. */
export interface PgReads {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** PostgreSQL's refusal of a prepared statement whose columns a migration changed (a view replaced). */
const RESULT_TYPE_CHANGED = '0A000';

/**
 * Reads through `pool`, each statement text under a name of its own (the texts are a fixed set of templates). When
 * a migration changed what a statement returns, it is prepared again under a new name, on every connection.
 */
export function preparedReads(pool: pg.Pool): PgReads {
  const names = new Map<string, string>();
  let generation = 0;
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `bw${generation}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
  const run = <R extends pg.QueryResultRow>(text: string, values: readonly unknown[]) =>
    pool.query<R>({ name: nameOf(text), text, values: [...values] });
  return {
    query: async <R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []) => {
      try {
        return await run<R>(text, values);
      } catch (err) {
        if ((err as { code?: string }).code !== RESULT_TYPE_CHANGED) throw err;
        generation++;
        names.clear();
        return run<R>(text, values);
      }
    },
  };
}
