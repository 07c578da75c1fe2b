// The report's figures agree with the fixture's rows counted by the design's counting rules.
import { afterAll, describe, expect, it } from 'vitest';
import type { AttemptRow } from '../../../db/store/stored-rows.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { resolveRange } from '../../../server/report/resolve.js';
import { weekRange } from '../../../server/report/week.js';
import { FIXTURE_NOW, fixtureDatabase, reportOf, W46_START, W47_START, W48_START } from './fixture-db.js';

const { db, fixture } = fixtureDatabase();
afterAll(() => db.close());

const reader = createSqliteReader(db, { now: () => FIXTURE_NOW });
const report = await reportOf(db, weekRange(2026, 47, 'UTC'));

function inRange(from: number, to: number) {
  return (a: { ts: number }) => a.ts >= from && a.ts < to;
}

/** Counting rules, straight from the rows: one per attempt line; expired once per message; one per reject. */
function expectedTotals(from: number, to: number) {
  const a = fixture.attempts.filter(inRange(from, to));
  const count = (o: AttemptRow['outcome']) => a.filter((x) => x.outcome === o).length;
  const expiredMessages = new Set(
    a.filter((x) => x.outcome === 'expired').map((x) => `${x.host}/${x.queueId}/${x.ts}`),
  );
  return {
    sent: count('sent'),
    deferred: count('deferred'),
    bounced: count('bounced'),
    expired: expiredMessages.size,
    rejected: fixture.rejects.filter(inRange(from, to)).length,
  };
}

describe('report counts', () => {
  it('totals follow the counting rules, for the week and the week before', () => {
    expect(report.totals).toEqual(expectedTotals(W47_START, W48_START));
    expect(report.previousTotals).toEqual(expectedTotals(W46_START, W47_START));
    expect(report.totals.expired).toBe(2);
    expect(report.totals.bounced).toBeGreaterThan(0);
  });

  it('counts every domain, expired per undelivered recipient', () => {
    const rows = fixture.attempts.filter(inRange(W47_START, W48_START));
    const domains = new Set(rows.map((r) => r.recipientDomain));
    domains.add('shop.example.org'); // rejects
    expect(new Set(report.domains.map((d) => d.domain))).toEqual(domains);
    for (const d of report.domains) {
      const mine = rows.filter((r) => r.recipientDomain === d.domain);
      expect(d.sent).toBe(mine.filter((r) => r.outcome === 'sent').length);
      expect(d.deferred).toBe(mine.filter((r) => r.outcome === 'deferred').length);
      expect(d.bounced).toBe(mine.filter((r) => r.outcome === 'bounced').length);
      expect(d.expired).toBe(mine.filter((r) => r.outcome === 'expired').length);
    }
    expect(report.domains.find((d) => d.domain === 'yahoo.com')?.expired).toBe(2);
    expect(report.domains.find((d) => d.domain === 'shop.example.org')?.rejected).toBe(7);
  });

  it('splits causes by class and lists every cause and code', () => {
    const failures = fixture.attempts.filter((r) => inRange(W47_START, W48_START)(r) && r.outcome !== 'sent');
    const causes = new Set(failures.map((r) => r.cause ?? 'unclassified'));
    // Rejects are inbound: never among these causes, but in the report's inbound causes.
    expect(new Set(report.causes.map((c) => c.cause))).toEqual(causes);
    for (const c of report.causes) {
      const mine = failures.filter((r) => (r.cause ?? 'unclassified') === c.cause);
      expect(c.temporary).toBe(mine.filter((r) => r.class === 'temporary').length);
      expect(c.permanent).toBe(mine.filter((r) => r.class === 'permanent').length);
      expect(c.total).toBe(mine.length);
    }
    const blocklist = report.inbound.causes.find((c) => c.cause === 'client-blocklisted');
    expect(blocklist?.count).toBe(7);
    expect(blocklist?.action).not.toMatch(/delist/i);
    const codeSum = report.codes.reduce((n, c) => n + c.count, 0);
    expect(codeSum).toBe(failures.length);
  });

  it('per-day figures add up to the totals', () => {
    expect(report.days.map((d) => d.date)).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    for (const k of ['sent', 'deferred', 'bounced', 'expired', 'rejected'] as const) {
      expect(report.days.reduce((n, d) => n + d[k], 0)).toBe(report.totals[k]);
    }
    const failing = report.days.reduce((n, d) => n + d.temporary + d.permanent, 0);
    expect(failing).toBe(report.causes.reduce((n, c) => n + c.total, 0));
  });

  it('lists dead addresses once, lower-cased, without those delivered later', () => {
    const addresses = report.hardBounces.map((h) => h.address);
    expect(addresses).toContain('anna@gmial.com');
    expect(addresses).toContain('gone47-0@gmail.com');
    expect(addresses).not.toContain('back@gmail.com');
    expect(addresses).not.toContain('gone46-0@gmail.com');
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('lists expired messages with their undelivered recipients', () => {
    expect(report.expiredMessages.map((m) => [m.queueId, m.recipients.map((r) => r.recipient)])).toEqual([
      ['9C1E22A0B3', ['old1@yahoo.com', 'old2@yahoo.com']],
      ['7D2F11B0C9', []],
    ]);
  });

  it('names causes and domains that were quiet the week before', () => {
    const fresh = report.newProblems.map((p) => `${p.kind}:${p.id}`);
    expect(fresh).toEqual(
      expect.arrayContaining(['cause:reputation-blocklist', 'cause:rate-limited', 'domain:tiny.example']),
    );
    expect(fresh).not.toContain('cause:recipient-unknown');
    expect(fresh).not.toContain('domain:example.net');
  });

  it('says how complete the data is', () => {
    expect(report.completeness.linesRead).toBe(2400);
    expect(report.completeness.unparsed).toBe(4);
    expect(report.completeness.unparsedShapes).toEqual([
      { program: 'postfix/smtp', reason: 'no recipient', count: 1 },
    ]);
  });

  it('defaults to the last full ISO week and compares an --all report with nothing', async () => {
    const range = await resolveRange(reader, {}, FIXTURE_NOW, 'UTC');
    expect(range.label).toBe('2026-W47');
    const all = await reportOf(db, await resolveRange(reader, { all: true }, FIXTURE_NOW, 'UTC'));
    expect(all.previous).toBeNull();
    expect(all.totals).toEqual(expectedTotals(W46_START, W48_START));
  });

  it('cuts weeks at local midnight in the report time zone', async () => {
    const berlin = await reportOf(db, weekRange(2026, 47, 'Europe/Berlin'), { timeZone: 'Europe/Berlin' });
    const from = Date.parse('2026-11-15T23:00:00Z');
    const to = Date.parse('2026-11-22T23:00:00Z');
    expect(berlin.from).toBe('2026-11-16T00:00:00+01:00');
    expect(berlin.totals).toEqual(expectedTotals(from, to));
    expect(berlin.days.reduce((n, d) => n + d.sent, 0)).toBe(berlin.totals.sent);
  });
});
