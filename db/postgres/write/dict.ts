/**
 * The dictionary of low-cardinality texts (hosts, domains, providers, causes, codes, ...): each text once, named
 * by an integer id. A writer learns the ids of a batch's texts before its transaction (a new text is added with
 * ON CONFLICT DO NOTHING, so concurrent agents agree on one id) and keeps them.
 */

import type pg from 'pg';

export interface Dict {
  /** Makes sure every text has an id (the empty text is 0). */
  learn(client: pg.ClientBase, values: Iterable<string>): Promise<void>;
  /** The id of a text learnt before; null for null. */
  id(value: string | null | undefined): number | null;
  /** The id of a text learnt before, 0 for null or ''. */
  key(value: string | null | undefined): number;
}

/** Ids kept at most, so that a long-running agent's memory stays flat. */
const MAX_KEPT = 200_000;

export function createDict(maxKept = MAX_KEPT): Dict {
  const ids = new Map<string, number>([['', 0]]);
  const id = (value: string | null | undefined): number | null => {
    if (value === null || value === undefined) return null;
    const found = ids.get(value);
    if (found === undefined) throw new Error(`dictionary id of '${value}' not learnt`);
    return found;
  };
  return {
    async learn(client, values) {
      const unique = [...new Set(values)];
      let missing = unique.filter((v) => !ids.has(v));
      if (missing.length === 0) return;
      // Forgetting makes room; the batch's own texts are then all looked up again.
      if (ids.size + missing.length > maxKept) {
        ids.clear();
        ids.set('', 0);
        missing = unique.filter((v) => v !== '');
      }
      await client.query(
        'INSERT INTO dict (value) SELECT unnest($1::text[]) ON CONFLICT (value) DO NOTHING',
        [missing],
      );
      const { rows } = await client.query<{ id: number; value: string }>(
        'SELECT id, value FROM dict WHERE value = ANY($1::text[])',
        [missing],
      );
      for (const r of rows) ids.set(r.value, r.id);
    },
    id,
    key: (value) => (value ? (id(value) ?? 0) : 0),
  };
}
