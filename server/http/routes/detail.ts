/** Drill-down endpoints: one domain, provider, cause or code, with its chart, breakdowns, reply texts and addresses. */

import { Router } from 'express';
import { z } from 'zod';
import { CAUSES } from '../../../classify/types.js';
import type { Db } from '../../../db/sqlite/open.js';
import { recentFailures, type DetailKind } from '../../../db/queries/failures.js';
import { groupRollups, seriesRollups } from '../../../db/queries/rollups.js';
import type { DetailResponse } from '../contract.js';
import { affectedAddresses, groupDiagnostics } from '../diagnostics.js';
import type { Knowledge } from '../knowledge.js';
import { limitSchema, parseInput, rangeShape, resolveRange } from '../params.js';
import { addCounts, emptyCounts, rates, toBreakdown, toSeries } from '../stats.js';
import { rangeInfo } from './overview.js';

export interface DetailDeps {
  db: Db;
  knowledge: Knowledge;
  now: () => number;
}

/** How many of the newest failures feed the reply groups and the address list (bounds the work per request). */
const SAMPLE_ROWS = 1000;

/** Keys as they may appear in a URL; anything else is a 400 before SQL sees it. */
export const KEY_SCHEMAS: Record<DetailKind, z.ZodType<string>> = {
  domain: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\s\p{Cc}]+$/u, 'expected a domain name')
    .transform((d) => d.toLowerCase()),
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a provider id (lower-case letters, digits, -)'),
  cause: z.enum(CAUSES, { error: `expected one of: ${CAUSES.join(', ')}` }),
  code: z
    .string()
    .regex(/^(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})$/, 'expected a reply code such as 550 or 5.7.1'),
};

const PATHS: Record<DetailKind, string> = {
  domain: 'domains',
  provider: 'providers',
  cause: 'causes',
  code: 'codes',
};

const detailQuery = z.strictObject({
  ...rangeShape,
  samples: limitSchema(100, 20),
  addresses: limitSchema(500, 50),
});

export function createDetailRouter(deps: DetailDeps): Router {
  const { db, knowledge } = deps;
  const router = Router();
  for (const kind of ['domain', 'provider', 'cause', 'code'] as const) {
    router.get(`/${PATHS[kind]}/:key`, (req, res) => {
      const key = parseInput(z.strictObject({ key: KEY_SCHEMAS[kind] }), req.params).key;
      const q = parseInput(detailQuery, req.query);
      const r = resolveRange(q, deps.now());
      const filter = { host: r.host, [kind]: key };
      const grouped = groupRollups(
        db,
        r,
        ['domain', 'cause', 'code', 'class', 'outcome'],
        filter,
        deps.now(),
      );
      const counts = addCounts(emptyCounts(), grouped);
      const failures = recentFailures(db, {
        kind,
        key,
        from: r.from,
        to: r.to,
        host: r.host,
        limit: SAMPLE_ROWS,
      });
      const code = kind === 'code' ? knowledge.explain(key) : null;
      const body: DetailResponse = {
        kind,
        key,
        range: rangeInfo(r),
        cause: kind === 'cause' ? knowledge.cause(key) : null,
        code,
        provider: kind === 'provider' ? knowledge.provider(key) : null,
        counts,
        rates: rates(counts),
        series: toSeries(seriesRollups(db, r, filter, deps.now()), rangeInfo(r)),
        causes: toBreakdown(grouped, 'cause', 25, (k) => knowledge.cause(k)?.title ?? null),
        codes: toBreakdown(grouped, 'code', 25, (k) => knowledge.explain(k)?.title ?? null),
        domains: toBreakdown(grouped, 'domain', 25),
        sampled: failures.length,
        samples: groupDiagnostics(failures, q.samples),
        addresses: affectedAddresses(failures, q.addresses),
      };
      res.json(body);
    });
  }
  return router;
}
