/** Expired in the design's units: messages in the totals, undelivered recipients per domain and in the rates. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { classifierKnowledge } from '../../../server/services/knowledge.js';
import { createOverviewService } from '../../../server/services/overview.js';
import { buildReport } from '../../../server/services/report-model.js';
import { setup, type Env } from '../ingest/helpers.js';

let env: Env;
beforeEach(() => {
  env = setup('bw-expired-');
});
afterEach(() => env.cleanup());

const H = 'Nov 28 10:00:00 relay9';
const LOG = [
  `${H} postfix/qmgr[1]: 1A2B3C4D5E: from=<news@example.com>, size=900, nrcpt=3 (queue active)`,
  ...['ann', 'bob', 'cy'].map(
    (u) =>
      `${H} postfix/smtp[2]: 1A2B3C4D5E: to=<${u}@slow.example>, relay=mx.slow.example[192.0.2.8]:25, delay=5, delays=0/0/5/0, dsn=4.4.2, status=deferred (conversation with mx.slow.example[192.0.2.8] timed out while receiving the initial server greeting)`,
  ),
  `Nov 28 11:00:00 relay9 postfix/qmgr[1]: 1A2B3C4D5E: from=<news@example.com>, status=expired, returned to sender`,
  `Nov 28 11:00:00 relay9 postfix/qmgr[1]: 1A2B3C4D5E: removed`,
  `${H} postfix/qmgr[1]: 2B3C4D5E6F: from=<news@example.com>, size=900, nrcpt=1 (queue active)`,
  `${H} postfix/smtp[2]: 2B3C4D5E6F: to=<dee@fast.example>, relay=mx.fast.example[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9Z8Y7X6W5V)`,
  `${H} postfix/qmgr[1]: 2B3C4D5E6F: removed`,
  '',
].join('\n');

describe('expired', () => {
  it('counts one message in the totals, its three recipients per domain, and recipients in every rate', async () => {
    const log = join(env.dir, 'mail.log');
    writeFileSync(log, LOG);
    await env.ingest.ingestFiles([log], { year: 2026 });
    const reader = createSqliteReader(env.db, { now: () => Date.now() });
    const r = await buildReport(
      reader,
      { kind: 'all', label: 'all', from: 0, to: Date.UTC(2100, 0, 1) },
      {
        now: Date.now(),
        timeZone: 'UTC',
        knowledge: classifierKnowledge(),
        triage: reader,
      },
    );
    expect(r.totals.expired).toBe(1);
    expect(r.expiredMessages).toHaveLength(1);
    expect(r.domains.find((d) => d.domain === 'slow.example')?.expired).toBe(3);
    expect(r.flows.outbound.expired).toBe(3);
    // One sent, three recipients that never arrived: 3 / (1 + 3), the same rate the dashboard shows.
    expect(r.rates.bounceRate).toBe(0.75);
    const overview = createOverviewService({ reader, knowledge: classifierKnowledge() });
    const summary = await overview.summary({ from: 0, to: Date.UTC(2100, 0, 1), host: null });
    expect(summary.rates.bounceRate).toBe(r.rates.bounceRate);
  });
});
