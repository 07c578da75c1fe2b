/** Lines the parsers did not understand: counts per program and the stored sample of each shape. */

import type { Db } from '../open.js';
import { statementCache } from './statements.js';

export interface UnparsedCount {
  program: string;
  count: number;
}

export interface UnparsedSampleRow {
  id: number;
  program: string;
  shape: string;
  reason: string;
  line: string;
  ts: number | null;
  count: number;
}

const cache = statementCache();

export function unparsedCounts(db: Db): UnparsedCount[] {
  return cache(
    db,
    'unparsed:counts',
    'SELECT program, count FROM unparsed_counts ORDER BY count DESC, program LIMIT 500',
  ).all() as UnparsedCount[];
}

/** Samples, most frequent shape first; `program` narrows to one program. */
export function unparsedSamples(
  db: Db,
  q: { program: string | null; limit: number; offset: number },
): { total: number; samples: UnparsedSampleRow[] } {
  const where = '(@program IS NULL OR program = @program)';
  const total = (
    cache(db, 'unparsed:total', `SELECT COUNT(*) AS n FROM unparsed_samples WHERE ${where}`).get({
      program: q.program,
    }) as {
      n: number;
    }
  ).n;
  const samples = cache(
    db,
    'unparsed:samples',
    `SELECT id, program, shape, reason, line, ts, count FROM unparsed_samples WHERE ${where}
     ORDER BY count DESC, id LIMIT @limit OFFSET @offset`,
  ).all(q) as UnparsedSampleRow[];
  return { total, samples };
}
