/**
 * Minute rollups cover the last two days; minute-precision questions further back are answered from the raw
 * rows. Every answer must equal a count made here from the events themselves, wherever the range falls.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBatch } from '../../../db/store/batch.js';
import { rollupCode } from '../../../db/store/stored-rows.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import {
  groupRollups,
  seriesRollups,
  type GroupColumn,
  type RollupFilter,
} from '../../../db/sqlite/read/rollups.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../../../db/sqlite/rollup-horizon.js';
import type { AttemptRow, RejectRow } from '../../../db/store/stored-rows.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { attempt, DAY, HOUR, MINUTE, reject } from '../http/helpers.js';

const NOW = Date.UTC(2026, 10, 28, 9, 41, 17);

/** A deterministic mix of outcomes, domains, causes and codes over five days, and some rejects. */
function events(): { attempts: AttemptRow[]; rejects: RejectRow[] } {
  const attempts: AttemptRow[] = [];
  const rejects: RejectRow[] = [];
  let x = 7;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  for (let ts = NOW - 5 * DAY; ts < NOW; ts += 40_000 + (next() % 50_000)) {
    const k = next() % 10;
    const recipientDomain = ['gmail.com', 'outlook.com', 'example.net'][next() % 3]!;
    if (k === 0) {
      rejects.push(reject({ ts, recipientDomain, recipient: `u@${recipientDomain}` }));
    } else if (k < 3) {
      const temp = k === 1;
      attempts.push(
        attempt({
          ts,
          recipientDomain,
          outcome: temp ? 'deferred' : 'bounced',
          class: temp ? 'temporary' : 'permanent',
          cause: temp ? 'rate-limited' : 'recipient-unknown',
          replyCode: temp ? 421 : 550,
          enhancedStatus: temp ? (next() % 2 ? '4.7.0' : null) : '5.1.1',
          dsn: temp ? '4.7.0' : '5.1.1',
          provider: recipientDomain === 'example.net' ? null : 'google',
        }),
      );
    } else {
      attempts.push(attempt({ ts, recipientDomain }));
    }
  }
  return { attempts, rejects };
}

/** The rollup key of one event, as ingest counts it. */
const keyOf = (e: AttemptRow | RejectRow, isReject: boolean): Record<GroupColumn, string> => ({
  outcome: isReject ? 'rejected' : (e as AttemptRow).outcome,
  class: e.class,
  domain: e.recipientDomain ?? '',
  provider: isReject ? '' : (e.provider ?? ''),
  cause: e.cause ?? '',
  code: isReject
    ? rollupCode(e.enhancedStatus, e.replyCode)
    : rollupCode(e.enhancedStatus ?? (e as AttemptRow).dsn, e.replyCode),
  host: e.host,
});

const floorTo = (t: number, size: number) => t - (t % size);

function expectedGroups(
  all: { attempts: AttemptRow[]; rejects: RejectRow[] },
  range: { from: number; to: number },
  columns: readonly GroupColumn[],
  filter: RollupFilter,
): Map<string, number> {
  // Ranges are counted at minute precision: from floored, to ceiled to the minute.
  const from = floorTo(range.from, MINUTE);
  const to = floorTo(range.to + MINUTE - 1, MINUTE);
  const out = new Map<string, number>();
  const add = (e: AttemptRow | RejectRow, isReject: boolean) => {
    if (e.ts < from || e.ts >= to) return;
    const k = keyOf(e, isReject);
    for (const [f, v] of Object.entries(filter)) if (v != null && k[f as GroupColumn] !== v) return;
    const id = columns.map((c) => k[c]).join('|');
    out.set(id, (out.get(id) ?? 0) + 1);
  };
  for (const a of all.attempts) add(a, false);
  for (const r of all.rejects) add(r, true);
  return out;
}

let db: Db;
const all = events();
beforeEach(() => {
  db = openDatabase({ file: ':memory:' });
  const writer = createBatchWriter(db);
  // As ingest writes them: in batches, minute rows only within the horizon.
  const minuteFrom = NOW - MINUTE_ROLLUPS_KEPT_MS;
  for (let i = 0; i < all.attempts.length; i += 500) {
    writer.write({ ...emptyBatch(), attempts: all.attempts.slice(i, i + 500), minuteFrom });
  }
  writer.write({ ...emptyBatch(), rejects: all.rejects, minuteFrom });
});
afterEach(() => db.close());

describe('minute rollups within two days, raw rows before', () => {
  it('writes minute rows only for the last two days, hours and days for everything', () => {
    const q = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(q(`SELECT MIN(bucket) AS n FROM rollups_minute`)).toBeGreaterThanOrEqual(
      NOW - MINUTE_ROLLUPS_KEPT_MS - MINUTE,
    );
    expect(q(`SELECT count(*) AS n FROM rollups_minute`)).toBeGreaterThan(100);
    expect(q(`SELECT SUM(count) AS n FROM rollups_hour`)).toBe(all.attempts.length + all.rejects.length);
    expect(q(`SELECT SUM(count) AS n FROM rollups_day`)).toBe(all.attempts.length + all.rejects.length);
  });

  const ranges: [string, number, number][] = [
    ['short, four days back', NOW - 4 * DAY - 17 * MINUTE - 5000, NOW - 4 * DAY + 2 * HOUR - 3 * MINUTE],
    ['inside one hour, three days back', NOW - 3 * DAY - 50 * MINUTE, NOW - 3 * DAY - 20 * MINUTE],
    ['across the horizon', NOW - 3 * DAY - 7 * MINUTE, NOW - DAY + 13 * MINUTE],
    ['recent', NOW - 5 * HOUR + MINUTE, NOW],
    ['everything', NOW - 6 * DAY, NOW + MINUTE],
  ];
  const groupings: [readonly GroupColumn[], RollupFilter][] = [
    [['outcome', 'class'], {}],
    [['domain', 'cause', 'code'], {}],
    [['outcome'], { domain: 'example.net' }],
    [['domain'], { cause: 'rate-limited', provider: 'google' }],
    [['outcome', 'domain'], { code: '421' }],
  ];

  for (const [name, from, to] of ranges) {
    it(`groups the same as the events, ${name}`, () => {
      for (const [columns, filter] of groupings) {
        const got = new Map(
          groupRollups(db, { from, to }, columns, filter, NOW).map((r) => [
            columns.map((c) => r.keys[c]).join('|'),
            r.count,
          ]),
        );
        expect(got).toEqual(expectedGroups(all, { from, to }, columns, filter));
      }
    });

    it(`draws the same chart as the events, ${name}`, () => {
      const { plan, rows } = seriesRollups(db, { from, to }, {}, NOW);
      const want = new Map<string, number>();
      const add = (ts: number, k: Record<GroupColumn, string>) => {
        if (ts < plan.from || ts >= plan.to) return;
        const id = `${floorTo(ts, plan.step)}|${k.outcome}|${k.class}`;
        want.set(id, (want.get(id) ?? 0) + 1);
      };
      for (const a of all.attempts) add(a.ts, keyOf(a, false));
      for (const r of all.rejects) add(r.ts, keyOf(r, true));
      const got = new Map<string, number>();
      for (const r of rows) {
        const id = `${r.bucket}|${r.outcome}|${r.class}`;
        got.set(id, (got.get(id) ?? 0) + r.count);
      }
      expect(got).toEqual(want);
      if (to - from <= 12 * HOUR) expect(plan.step).toBeLessThan(HOUR);
    });
  }
});
