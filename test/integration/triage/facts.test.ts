// Triage facts through the real ingest and store: warnings by shape, session counts and submitters, equal to the raw lines.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { createRetention } from '../../../db/sqlite/write/retention.js';
import { setup, type Env } from '../ingest/helpers.js';

const LOG = readFileSync(new URL('../../fixtures/mta/triage.log', import.meta.url), 'utf8');
const ALL = { from: Date.UTC(2026, 10, 23), to: Date.UTC(2026, 10, 24) };

describe('triage facts in the store', () => {
  let env: Env;
  beforeEach(async () => {
    env = setup('bw-triage-');
    const file = join(env.dir, 'mail.log');
    writeFileSync(file, LOG);
    await env.ingest.ingestFiles([file], { year: 2026 });
  });
  afterEach(() => env.cleanup());
  const reader = () => createSqliteReader(env.db, { now: () => ALL.to });

  it('groups warnings by shape with counts, first and last seen, across hours', async () => {
    const groups = await reader().warningGroups(ALL, 10);
    const dns = groups.find((g) => g.topic === 'dns');
    expect(dns).toMatchObject({
      severity: 'warning',
      count: 2,
      first: Date.UTC(2026, 10, 23, 10, 5),
      last: Date.UTC(2026, 10, 23, 11, 5),
    });
    expect(dns?.example).toContain('b.example.org');
    expect(groups.find((g) => g.topic === 'disk')).toMatchObject({ count: 2 });
    expect(groups.find((g) => g.severity === 'fatal')).toMatchObject({ count: 1 });
    expect(groups).toHaveLength(3);
  });

  it('counts SASL failures by IP and login, postscreen verdicts, and TLS both ways', async () => {
    const r = reader();
    expect(await r.sessionTop(ALL, 'auth-ip', 5)).toEqual([
      { event: 'auth-ip', key: '203.0.113.50', count: 2 },
      { event: 'auth-ip', key: '203.0.113.51', count: 1 },
    ]);
    expect(await r.sessionTop(ALL, 'auth-user', 5)).toEqual([{ event: 'auth-user', key: 'admin', count: 2 }]);
    const totals = await r.sessionTotals(ALL);
    expect(totals).toMatchObject({ pregreet: 1, 'dnsbl-rank': 1, hangup: 1, 'tls-in': 2, 'tls-out': 3 });
    expect(await r.sessionTop(ALL, 'tls-in', 5)).toEqual([
      { event: 'tls-in', key: '', count: 1 },
      { event: 'tls-in', key: 'TLSv1.3', count: 1 },
    ]);
    expect(await r.sessionTop(ALL, 'tls-domain', 5)).toEqual([
      { event: 'tls-domain', key: 'example.com', count: 1 },
    ]);
    expect((await r.sessionTop(ALL, 'plain-domain', 5)).map((x) => x.key)).toEqual([
      'example.net',
      'plain.example',
    ]);
  });

  it('counts each submitter once per message, with its outcomes and refusals', async () => {
    const senders = await reader().senderTotals(ALL, 'submitter', 10);
    expect(senders).toEqual([
      {
        saslUser: 'shop@example.org',
        sender: 'shop@example.org',
        clientIps: ['198.51.100.20'],
        messages: 1,
        recipients: 2,
        bytes: 2000,
        sent: 1,
        deferred: 0,
        bounced: 1,
        reputation: 0,
        spam: 0,
        unknown: 1,
      },
      {
        saslUser: null,
        sender: 'news@example.org',
        clientIps: ['203.0.113.30'],
        messages: 1,
        recipients: 1,
        bytes: 500,
        sent: 0,
        deferred: 0,
        bounced: 1,
        reputation: 1,
        spam: 0,
        unknown: 0,
      },
    ]);
    expect((await reader().senderTotals(ALL, 'domain', 10)).map((s) => [s.sender, s.messages])).toEqual([
      ['example.org', 2],
    ]);
  });

  it('forgets logins, IPs and warning examples with the raw rows (--retain-days)', async () => {
    createRetention(env.db).prune(Date.UTC(2026, 11, 30), 7);
    const r = reader();
    expect(await r.senderTotals(ALL, 'submitter', 10)).toEqual([]);
    expect(await r.warningGroups(ALL, 10)).toEqual([]);
    const names = env.db.prepare('SELECT name FROM triage_names').all();
    expect(names).toEqual([{ name: '' }]);
  });
});
