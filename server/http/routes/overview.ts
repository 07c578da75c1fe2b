/** The overview's endpoints: summary, series, top causes, top domains and providers, top codes, hosts. */

import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../db/sqlite/open.js';
import { groupRollups, listHosts, seriesRollups } from '../../../db/queries/rollups.js';
import type {
  CausesResponse,
  CodesResponse,
  HostsResponse,
  RangeInfo,
  SeriesResponse,
  SummaryResponse,
  TargetsResponse,
} from '../contract.js';
import type { Knowledge } from '../knowledge.js';
import { limitSchema, parseInput, rangeShape, resolveRange, type ResolvedRange } from '../params.js';
import {
  addCounts,
  change,
  emptyCounts,
  rates,
  toSeries,
  toTargets,
  topCauseByKey,
  TARGET_SORTS,
} from '../stats.js';

export interface OverviewDeps {
  db: Db;
  knowledge: Knowledge;
  now: () => number;
}

const rangeQuery = z.strictObject(rangeShape);
const listQuery = z.strictObject({ ...rangeShape, limit: limitSchema(100, 10) });
const targetQuery = z.strictObject({
  ...rangeShape,
  limit: limitSchema(200, 10),
  sort: z.enum(TARGET_SORTS).optional().default('failures'),
});

export function summarize(
  db: Db,
  range: ResolvedRange,
  filter: { domain?: string; provider?: string; cause?: string; code?: string } = {},
  now: number = Date.now(),
): SummaryResponse {
  const span = range.to - range.from;
  const previous = { from: range.from - span, to: range.from };
  const f = { host: range.host, ...filter };
  const cur = groupRollups(db, range, ['outcome', 'class'], f, now);
  const prev = groupRollups(db, previous, ['outcome', 'class'], f, now);
  const counts = addCounts(emptyCounts(), cur);
  const previousCounts = addCounts(emptyCounts(), prev);
  const curRates = rates(counts);
  const prevRates = rates(previousCounts);
  let temporary = 0;
  let permanent = 0;
  for (const r of cur) {
    if (r.keys.outcome === 'rejected') continue;
    if (r.keys.class === 'temporary') temporary += r.count;
    if (r.keys.class === 'permanent') permanent += r.count;
  }
  return {
    range: rangeInfo(range),
    previous,
    counts,
    previousCounts,
    rates: curRates,
    previousRates: prevRates,
    change: change(counts, previousCounts, curRates, prevRates),
    temporary,
    permanent,
  };
}

export const rangeInfo = (r: ResolvedRange): RangeInfo => ({ from: r.from, to: r.to, host: r.host });

export function createOverviewRouter(deps: OverviewDeps): Router {
  const { db, knowledge } = deps;
  const router = Router();
  const range = (query: unknown) => resolveRange(parseInput(rangeQuery, query), deps.now());

  router.get('/summary', (req, res) => {
    res.json(summarize(db, range(req.query), {}, deps.now()));
  });

  router.get('/series', (req, res) => {
    const r = range(req.query);
    const body: SeriesResponse = toSeries(seriesRollups(db, r, { host: r.host }, deps.now()), rangeInfo(r));
    res.json(body);
  });

  router.get('/causes', (req, res) => {
    const q = parseInput(listQuery, req.query);
    const r = resolveRange(q, deps.now());
    const rows = groupRollups(db, r, ['cause', 'outcome', 'class', 'code'], { host: r.host }, deps.now());
    const byCause = new Map<string, CausesResponse['causes'][number]>();
    const codes = new Map<string, Map<string, number>>();
    for (const row of rows) {
      const { cause, outcome, class: cls, code } = row.keys;
      if (cause === '' || cls === 'success') continue;
      let c = byCause.get(cause);
      if (!c) {
        const info = knowledge.cause(cause);
        c = {
          cause,
          title: info?.title ?? cause,
          action: info?.action ?? '',
          temporary: 0,
          permanent: 0,
          rejected: 0,
          total: 0,
          codes: [],
        };
        byCause.set(cause, c);
      }
      c.total += row.count;
      if (outcome === 'rejected') c.rejected += row.count;
      else if (cls === 'temporary') c.temporary += row.count;
      else if (cls === 'permanent') c.permanent += row.count;
      if (code !== '') {
        let m = codes.get(cause);
        if (!m) codes.set(cause, (m = new Map<string, number>()));
        m.set(code, (m.get(code) ?? 0) + row.count);
      }
    }
    for (const [cause, m] of codes) {
      byCause.get(cause)!.codes = [...m]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
        .slice(0, 5);
    }
    const causes = [...byCause.values()]
      .sort((a, b) => b.total - a.total || a.cause.localeCompare(b.cause))
      .slice(0, q.limit);
    const body: CausesResponse = { range: rangeInfo(r), causes };
    res.json(body);
  });

  for (const column of ['domain', 'provider'] as const) {
    router.get(column === 'domain' ? '/domains' : '/providers', (req, res) => {
      const q = parseInput(targetQuery, req.query);
      const r = resolveRange(q, deps.now());
      const rows = groupRollups(db, r, [column, 'outcome', 'cause'], { host: r.host }, deps.now());
      const failureRows = rows.filter((row) => row.keys.outcome !== 'sent');
      const nameOf = column === 'provider' ? (k: string) => knowledge.provider(k)?.name ?? null : () => null;
      const body: TargetsResponse = {
        range: rangeInfo(r),
        sort: q.sort,
        rows: toTargets(rows, column, topCauseByKey(failureRows, column), q.sort, q.limit, nameOf),
      };
      res.json(body);
    });
  }

  router.get('/codes', (req, res) => {
    const q = parseInput(listQuery, req.query);
    const r = resolveRange(q, deps.now());
    const rows = groupRollups(db, r, ['code', 'class'], { host: r.host }, deps.now());
    const byCode = new Map<string, CodesResponse['codes'][number]>();
    for (const row of rows) {
      const { code, class: cls } = row.keys;
      if (code === '' || cls === 'success') continue;
      let c = byCode.get(code);
      if (!c)
        byCode.set(
          code,
          (c = {
            code,
            count: 0,
            temporary: 0,
            permanent: 0,
            meaning: knowledge.explain(code)?.title ?? null,
          }),
        );
      c.count += row.count;
      if (cls === 'temporary') c.temporary += row.count;
      else c.permanent += row.count;
    }
    const body: CodesResponse = {
      range: rangeInfo(r),
      codes: [...byCode.values()]
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
        .slice(0, q.limit),
    };
    res.json(body);
  });

  router.get('/hosts', (req, res) => {
    const body: HostsResponse = { hosts: listHosts(db, range(req.query), deps.now()) };
    res.json(body);
  });

  return router;
}
