/** What the Unparsed page answers: how much of what was read was not understood, per program, with samples. */

import type { StoreReader } from '../../db/store/reader.js';
import type { UnparsedResponse } from '../http/contract/unparsed.js';

interface UnparsedQuery {
  program: string | null;
  limit: number;
  offset: number;
}

export interface UnparsedService {
  unparsed(q: UnparsedQuery): Promise<UnparsedResponse>;
}

export function createUnparsedService(deps: { reader: StoreReader }): UnparsedService {
  const { reader } = deps;
  return {
    async unparsed(q) {
      const [{ total, samples }, counts, stats] = await Promise.all([
        reader.unparsedSamples(q),
        reader.unparsedCounts(),
        reader.lineStats(),
      ]);
      return {
        linesRead: stats['read'] ?? 0,
        unparsed: counts.reduce((n, c) => n + c.count, 0),
        counts,
        total,
        samples: samples.map(({ program, shape, reason, line, ts, count }) => ({
          program,
          shape,
          reason,
          line,
          ts,
          count,
        })),
      };
    },
  };
}
