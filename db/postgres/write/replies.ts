/**
 * Reply texts, each stored once (real logs repeat the same reply thousands of times): a writer learns the id of
 * each text of a batch before its transaction, by the text's SHA-1, and keeps the most recent ones.
 */

import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface Replies {
  learn(client: pg.ClientBase, texts: Iterable<string>): Promise<void>;
  /** The id of a text learnt before. */
  id(text: string): number;
}

const MAX_KEPT = 100_000;

const digest = (text: string): Buffer => createHash('sha1').update(text).digest();

export function createReplies(maxKept = MAX_KEPT): Replies {
  const ids = new Map<string, number>();
  return {
    async learn(client, texts) {
      const unique = [...new Set(texts)];
      let missing = unique.filter((t) => !ids.has(t));
      if (missing.length === 0) return;
      // Forgetting makes room; the batch's own texts are then all looked up again.
      if (ids.size + missing.length > maxKept) {
        ids.clear();
        missing = unique;
      }
      const hashes = missing.map(digest);
      await client.query(
        `INSERT INTO replies (hash, text) SELECT * FROM unnest($1::bytea[], $2::text[])
         ON CONFLICT (hash) DO NOTHING`,
        [hashes, missing],
      );
      const { rows } = await client.query<{ id: number; hash: Buffer }>(
        'SELECT id, hash FROM replies WHERE hash = ANY($1::bytea[])',
        [hashes],
      );
      const byHash = new Map(rows.map((r) => [r.hash.toString('hex'), r.id]));
      missing.forEach((text, i) => {
        const found = byHash.get(hashes[i]!.toString('hex'));
        if (found === undefined) throw new Error('a reply text was not stored');
        ids.set(text, found);
      });
    },
    id(text) {
      const found = ids.get(text);
      if (found === undefined) throw new Error('reply id not learnt');
      return found;
    },
  };
}
