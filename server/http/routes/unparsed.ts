/** Lines read but not understood: per-program counts and the sample of each distinct shape. */

import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../db/sqlite/open.js';
import { lineStats } from '../../../db/queries/report.js';
import { unparsedCounts, unparsedSamples } from '../../../db/queries/unparsed.js';
import type { UnparsedResponse } from '../contract.js';
import { limitSchema, offsetSchema, parseInput } from '../params.js';

const unparsedQuery = z.strictObject({
  program: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w./-]+$/, 'expected a program name such as postfix/smtp')
    .optional(),
  limit: limitSchema(500, 50),
  offset: offsetSchema,
});

export function createUnparsedRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/unparsed', (req, res) => {
    const q = parseInput(unparsedQuery, req.query);
    const { total, samples } = unparsedSamples(deps.db, {
      program: q.program ?? null,
      limit: q.limit,
      offset: q.offset,
    });
    const counts = unparsedCounts(deps.db);
    const body: UnparsedResponse = {
      linesRead: lineStats(deps.db)['read'] ?? 0,
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
    res.json(body);
  });
  return router;
}
