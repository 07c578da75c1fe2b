// From a known Postfix log to the weekly report: the report agrees with the raw lines counted by the design's rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createEventBus } from '../../../server/events.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { buildReport } from '../../../server/services/report-model.js';
import { classifierKnowledge } from '../../../server/services/knowledge.js';
import type { Report } from '../../../server/http/contract/report.js';
import { weekRange } from '../../../server/report/week.js';

const logFile = join(import.meta.dirname, '../../fixtures/report/mail.log');
const TZ = 'Europe/Berlin';
const NOW = Date.parse('2026-11-28T09:00:00+01:00');

interface Expected {
  totals: Record<'sent' | 'deferred' | 'bounced' | 'expired' | 'rejected', number>;
  domains: Map<string, Record<'sent' | 'deferred' | 'bounced' | 'expired' | 'rejected', number>>;
}

/**
 * The counting rules applied to the raw lines, independently of the parsers: one per status= line,
 * expired once per message and per domain for each recipient deferred and never delivered in that
 * message, one per reject line.
 */
function countLines(text: string, from: number, to: number): Expected {
  const zero = () => ({ sent: 0, deferred: 0, bounced: 0, expired: 0, rejected: 0 });
  const totals = zero();
  const domains = new Map<string, ReturnType<typeof zero>>();
  const domain = (d: string) => {
    let c = domains.get(d);
    if (!c) domains.set(d, (c = zero()));
    return c;
  };
  const pending = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) \S+ (postfix\/[\w-]+)\[\d+\]: (.*)$/.exec(line);
    if (!m) continue;
    const ts = Date.parse(m[1]!);
    const msg = m[3]!;
    const status = /^(\w+): to=<([^>]*)>.*, status=(sent|deferred|bounced) /.exec(msg);
    if (status) {
      const [, queue, rcpt, outcome] = status as unknown as [
        string,
        string,
        string,
        'sent' | 'deferred' | 'bounced',
      ];
      const left = pending.get(queue) ?? new Set<string>();
      if (outcome === 'deferred') left.add(rcpt);
      else left.delete(rcpt);
      pending.set(queue, left);
      if (ts < from || ts >= to) continue;
      totals[outcome] += 1;
      domain(rcpt.slice(rcpt.lastIndexOf('@') + 1).toLowerCase())[outcome] += 1;
      continue;
    }
    const expired = /^(\w+): from=<[^>]*>, status=(?:force-)?expired/.exec(msg);
    if (expired) {
      if (ts < from || ts >= to) continue;
      totals.expired += 1;
      for (const rcpt of pending.get(expired[1]!) ?? [])
        domain(rcpt.slice(rcpt.lastIndexOf('@') + 1).toLowerCase()).expired += 1;
      continue;
    }
    const reject = /: reject: \w+ from .* to=<([^>]*)>/.exec(msg);
    if (reject && ts >= from && ts < to) {
      totals.rejected += 1;
      domain(reject[1]!.slice(reject[1]!.lastIndexOf('@') + 1).toLowerCase()).rejected += 1;
    }
  }
  return { totals, domains };
}

let db: Db;
let report: Report;
let previous: Report;
const text = readFileSync(logFile, 'utf8');

beforeAll(async () => {
  db = openDatabase({ file: ':memory:' });
  const ingest = createIngest({
    store: createSqliteWriter(db, { now: () => NOW }),
    log: silentLogger(),
    bus: createEventBus(),
    now: () => NOW,
  });
  await ingest.ingestFiles([logFile]);
  const reader = createSqliteReader(db, { now: () => NOW });
  const options = { now: NOW, timeZone: TZ, knowledge: classifierKnowledge(), triage: reader };
  report = await buildReport(reader, weekRange(2026, 47, TZ), options);
  previous = await buildReport(reader, weekRange(2026, 46, TZ), options);
});
afterAll(() => db.close());

describe('report of a week generated from a known log', () => {
  const w47 = weekRange(2026, 47, TZ);
  const w46 = weekRange(2026, 46, TZ);

  it('agrees with the raw lines by the counting rules', () => {
    const expected = countLines(text, w47.from, w47.to);
    expect(report.totals).toEqual(expected.totals);
    expect(report.totals.expired).toBe(1);
    expect(previous.totals).toEqual(countLines(text, w46.from, w46.to).totals);
    expect(report.previousTotals).toEqual(previous.totals);
  });

  it('agrees per domain, expired counted per undelivered recipient', () => {
    const expected = countLines(text, w47.from, w47.to).domains;
    const actual = new Map(
      report.domains.map((d) => [
        d.domain,
        { sent: d.sent, deferred: d.deferred, bounced: d.bounced, expired: d.expired, rejected: d.rejected },
      ]),
    );
    expect(actual).toEqual(expected);
    expect(actual.get('yahoo.com')?.expired).toBe(2);
  });

  it('cuts the week at local midnight', () => {
    const day = report.days[0]!;
    expect(day.date).toBe('2026-11-16');
    // The greylisting at 00:01 local on Monday belongs to W47; the delivery at 23:59 on Sunday to W46.
    expect(report.domains.find((d) => d.domain === 'example.net')?.deferred).toBe(8);
    expect(previous.domains.find((d) => d.domain === 'gmail.com')?.sent).toBe(71);
  });

  it('finds the causes, dead addresses and the expired message', () => {
    const causes = Object.fromEntries(report.causes.map((c) => [c.cause, c]));
    expect(causes['reputation-blocklist']).toMatchObject({ temporary: 19, permanent: 5 });
    expect(causes['recipient-unknown']).toMatchObject({ permanent: 5, temporary: 0 });
    expect(causes['greylisted']?.temporary).toBe(8);
    // Eight replies that differ only in the recipient address are one example.
    expect(causes['greylisted']?.examples.map((e) => e.count)).toEqual([8]);
    expect(report.hardBounces.map((h) => h.address).sort()).toEqual([
      'anna@gmial.com',
      'gone47-0@gmail.com',
      'gone47-2@gmail.com',
      'gone47-4@gmail.com',
      'gone47-6@gmail.com',
    ]);
    expect(report.expiredMessages).toHaveLength(1);
    expect(report.expiredMessages[0]).toMatchObject({
      queueId: '9C1E22A0B3',
      sender: 'news@shop.example.org',
    });
    expect(report.expiredMessages[0]?.recipients.map((r) => r.recipient).sort()).toEqual([
      'old1@yahoo.com',
      'old2@yahoo.com',
    ]);
    expect(report.newProblems.map((p) => `${p.kind}:${p.id}`)).toEqual(
      expect.arrayContaining(['cause:reputation-blocklist', 'domain:tiny.example']),
    );
  });

  it('counts the lines it could not read', () => {
    expect(report.completeness.linesRead).toBe(text.trimEnd().split('\n').length);
    expect(report.completeness.unparsed).toBeGreaterThanOrEqual(1);
  });
});
