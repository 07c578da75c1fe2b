/**
 * Hostile replies: what a remote server can write into our log must not slow a report. Stores one reply of
 * 128,000 characters, 300 of 16,000, and one of 4 MiB (long runs without spaces, the shape that made the old
 * patterns backtrack), then times the report in every format and the drill-down over HTTP, probing /healthz
 * all the while.
 */

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../db/sqlite/open.js';
import { createBatchWriter } from '../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../db/store/batch.js';
import type { AttemptRow } from '../../db/store/stored-rows.js';
import { parseConfig } from '../../server/config.js';
import { createEventBus } from '../../server/events.js';
import { createServer } from '../../server/compose.js';
import { silentLogger } from '../../server/log.js';
import { lastFullWeek } from '../../server/report/week.js';
import type { BenchRow } from './types.js';

/** A reply of `length` characters: a normal start, then one long word of letters, digits, dots, colons and @s. */
function hostileReply(length: number, seed: number): string {
  const head = `550 5.7.1 <u${seed}@example.org>: rejected `;
  const unit = 'a1.b2:c3@d4-';
  return head + unit.repeat(Math.ceil((length - head.length) / unit.length)).slice(0, length - head.length);
}

function bounce(ts: number, i: number, diagnostic: string): AttemptRow {
  return {
    ts,
    host: 'mx1.example.net',
    mta: 'postfix',
    program: 'postfix/smtp',
    queueId: `Q${i}`,
    recipient: `user${i}@example.org`,
    origRecipient: null,
    recipientDomain: 'example.org',
    sender: 'news@example.net',
    senderDomain: 'example.net',
    outcome: 'bounced',
    relayHost: 'mx.example.org',
    relayIp: '192.0.2.1',
    port: 25,
    stage: 'rcpt',
    replyCode: 550,
    enhancedStatus: '5.7.1',
    dsn: '5.7.1',
    diagnostic,
    delay: 1,
    transport: 'smtp',
    class: 'permanent',
    cause: 'reputation-blocklist',
    provider: null,
    blocklist: null,
    hardBounce: false,
    classConflict: null,
    messageId: null,
  };
}

const CASES: { name: string; replies: (i: number) => string; count: number }[] = [
  { name: 'one 128,000-character reply', replies: (i) => hostileReply(128_000, i), count: 1 },
  { name: '300 replies of 16,000 characters', replies: (i) => hostileReply(16_000, i), count: 300 },
  { name: 'one 4 MiB reply', replies: (i) => hostileReply(4 * 1024 * 1024, i), count: 1 },
];

export async function benchHostile(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'bw-bench-hostile-'));
    const webRoot = join(dir, 'web');
    mkdirSync(webRoot);
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>bouncewatch</title>');
    const db = openDatabase({ file: join(dir, 'bench.db') });
    const now = Date.now();
    const week = lastFullWeek(now, 'UTC');
    const writer = createBatchWriter(db);
    const attempts = Array.from({ length: c.count }, (_, i) => bounce(week.from + i * 1000, i, c.replies(i)));
    writer.write({ ...emptyBatch(), attempts });
    const backend = createServer({
      db,
      bus: createEventBus(),
      log: silentLogger(),
      config: parseConfig({}),
      webRoot,
      timeZone: 'UTC',
      rateLimit: { windowMs: 60_000, limit: 1_000_000 },
    });
    const server: Server = await new Promise((resolve) => {
      const s = backend.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // /healthz probed every 20 ms while the reports run: the slowest answer is what a probe would see.
    let slowestProbe = 0;
    let probing = true;
    const probes = (async () => {
      while (probing) {
        const t = performance.now();
        await (await fetch(`${base}/healthz`)).arrayBuffer();
        slowestProbe = Math.max(slowestProbe, performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      const paths: [string, string][] = [
        ...(['json', 'html', 'md', 'csv'] as const).map((f): [string, string] => [
          `report ${f}`,
          `/api/v1/reports?week=${week.label}&format=${f}`,
        ]),
        [
          'drill-down',
          `/api/v1/causes/reputation-blocklist?from=${new Date(week.from).toISOString()}&to=${new Date(week.to).toISOString()}`,
        ],
      ];
      for (const [name, path] of paths) {
        const t = performance.now();
        const res = await fetch(base + path);
        await res.arrayBuffer();
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        rows.push({ section: 'hostile', name: `${name}, ${c.name}`, value: Math.round(ms), unit: 'ms' });
      }
    } finally {
      probing = false;
      await probes;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      backend.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
    rows.push({
      section: 'hostile',
      name: `slowest /healthz while reporting, ${c.name}`,
      value: Math.round(slowestProbe),
      unit: 'ms',
    });
  }
  return rows;
}
