// The dashboard's API over PostgreSQL answers what it answers over SQLite: the same fixture logs imported into
// both stores, the same calls to both apps, the answers compared row for row (store-assigned ids aside).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgAlertWriter } from '../../../db/postgres/alert-writer.js';
import { createPgPool } from '../../../db/postgres/connect.js';
import { createPgReader } from '../../../db/postgres/reader.js';
import { openPgWriter } from '../../../db/postgres/write/pg-writer.js';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import type { StoreWriter } from '../../../db/store/writer.js';
import { createServer, type ServerDeps } from '../../../server/compose.js';
import { parseConfig } from '../../../server/config.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { withHostId } from '../../../server/ingest/host-id.js';
import { parseLine } from '../../../parsers/index.js';
import { silentLogger } from '../../../server/log.js';
import { createFleetTriageGauges } from '../../../server/metrics-fleet-triage.js';
import { parseMetrics } from '../ops/helpers.js';
import { Registry } from 'prom-client';
import { describePg } from '../../helpers/pg-context.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/logs');
/** Each fixture is one host's log: imported by that host's writer, as its agent would. */
const HOSTS = [
  { host: 'mx1.example.org', log: 'mx-refuses-spam/mail.log' },
  { host: 'relay1.example.org', log: 'outbound-relay/mail.log' },
  { host: 'exim1.example.org', log: 'exim-host/mainlog' },
  { host: 'gw1.example.org', log: 'gateway-content-filter/mail.log' },
  { host: 'mail1.example.org', log: 'local-faults/mail.log' },
];
const NOW = Date.UTC(2026, 10, 29, 6, 0);
const FROM = new Date(Date.UTC(2026, 10, 27, 0, 0)).toISOString();
const TO = new Date(NOW).toISOString();
const RANGE = `from=${FROM}&to=${TO}`;

/** Ids the stores number on their own; everything else must match. */
const STORE_IDS = new Set(['id', 'messageRowid', 'generatedAt']);
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !STORE_IDS.has(k))
        .map(([k, v]) => [k, withoutIds(v)]),
    );
  }
  return value;
}

describePg('the API over PostgreSQL and over SQLite', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-pg-api-'));
  let db: Db;
  let pool: pg.Pool;
  const servers: Server[] = [];
  const bases: string[] = [];

  /** Imports each host's log with the host id on every record, as `--host-id` does. */
  const importAll = async (
    writerFor: (host: string) => Promise<StoreWriter & { close?: () => Promise<void> }>,
  ) => {
    for (const { host, log } of HOSTS) {
      const store = await writerFor(host);
      const ingest = createIngest({
        store,
        log: silentLogger(),
        bus: createEventBus(),
        parse: withHostId(parseLine, host),
      });
      await ingest.ingestFiles([join(FIXTURES, log)], { year: 2026 });
      await store.close?.();
    }
  };

  const serve = async (deps: Pick<ServerDeps, 'db' | 'store'>) => {
    const webRoot = join(dir, 'web');
    writeFileSync(join(dir, 'index.html'), '');
    const { app } = createServer({
      ...deps,
      bus: createEventBus(),
      config: parseConfig({ alerts: { enabled: false } }),
      log: silentLogger(),
      webRoot,
      now: () => NOW,
      timeZone: 'UTC',
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    servers.push(server);
    bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  };

  beforeAll(async () => {
    db = openDatabase({ file: join(dir, 'same.db') });
    await importAll(() => Promise.resolve(createSqliteWriter(db)));
    await importAll((host) => openPgWriter({ url: url(), host, persistent: false }));
    pool = createPgPool(url());
    await serve({ db });
    const reader = createPgReader(pool, { now: () => NOW });
    await serve({ store: { reader, triageReader: reader, alertWriter: createPgAlertWriter(pool) } });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await pool.end();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const both = async (path: string): Promise<[unknown, unknown]> => {
    const answers = await Promise.all(
      bases.map(async (base) => {
        const res = await fetch(base + path);
        expect(res.status, path).toBe(200);
        return withoutIds(await res.json());
      }),
    );
    return [answers[0], answers[1]];
  };
  const same = async (path: string) => {
    const [sqlite, postgres] = await both(path);
    expect(postgres, path).toEqual(sqlite);
    return sqlite;
  };

  it('gives the same overview: totals, series, causes, domains, providers, codes and hosts', async () => {
    const summary = (await same(`/api/v1/summary?${RANGE}`)) as { counts: Record<string, number> };
    expect(summary.counts['sent']).toBeGreaterThan(0);
    expect(summary.counts['rejected']).toBeGreaterThan(0);
    for (const path of ['series', 'causes', 'domains', 'providers', 'codes', 'hosts', 'host-table']) {
      await same(`/api/v1/${path}?${RANGE}`);
    }
    const hosts = (await same(`/api/v1/hosts?${RANGE}`)) as { hosts: string[] };
    expect(hosts.hosts).toEqual(HOSTS.map((h) => h.host).sort());
    for (const host of hosts.hosts) await same(`/api/v1/summary?${RANGE}&host=${host}`);
    // Delivery delay: the same buckets, from SQLite's hourly histograms and from PostgreSQL's attempt rows.
    const delays = (await same(`/api/v1/delays?${RANGE}&by=domain`)) as { rows: { key: string }[] };
    expect(delays.rows.length).toBeGreaterThan(0);
    await same(`/api/v1/delays?${RANGE}&by=provider&host=${hosts.hosts[0]!}`);
    await same(`/api/v1/delays?${RANGE}&by=domain&key=${encodeURIComponent(delays.rows[0]!.key)}`);
  });

  it('gives the same minute-precise figures over a few hours (raw rows beyond the minute rollups)', async () => {
    const from = new Date(Date.UTC(2026, 10, 28, 7, 13)).toISOString();
    const to = new Date(Date.UTC(2026, 10, 28, 11, 47)).toISOString();
    for (const path of ['summary', 'series', 'domains', 'codes'])
      await same(`/api/v1/${path}?from=${from}&to=${to}`);
  });

  it('gives the same drill-downs for every domain, provider, cause and code', async () => {
    const keys = async (list: string, rows: string, field: string) =>
      (((await same(`/api/v1/${list}?${RANGE}`)) as Record<string, Record<string, string>[]>)[rows] ?? [])
        .map((r) => r[field]!)
        .filter((k) => k !== '')
        .slice(0, 8);
    const drills = [
      ...(await keys('domains', 'rows', 'key')).map((k) => `domains/${k}`),
      ...(await keys('providers', 'rows', 'key')).map((k) => `providers/${k}`),
      ...(await keys('causes', 'causes', 'cause')).map((k) => `causes/${k}`),
      ...(await keys('codes', 'codes', 'code')).map((k) => `codes/${k}`),
    ];
    expect(drills.length).toBeGreaterThan(10);
    for (const d of drills) await same(`/api/v1/${d}?${RANGE}`);
  });

  it('gives the same traces, unparsed lines and weekly report', async () => {
    const causes = (await same(`/api/v1/causes?${RANGE}`)) as { causes: { cause: string }[] };
    let traced = 0;
    for (const { cause } of causes.causes.slice(0, 4)) {
      const drill = (await same(`/api/v1/causes/${cause}?${RANGE}`)) as { addresses: { address: string }[] };
      for (const a of drill.addresses.slice(0, 3)) {
        const trace = (await same(`/api/v1/trace?q=${encodeURIComponent(a.address)}`)) as {
          messages: { queueId: string; messageId: string | null; sender: string | null }[];
        };
        traced += trace.messages.length;
        for (const m of trace.messages.slice(0, 2)) {
          await same(`/api/v1/trace?q=${encodeURIComponent(m.queueId)}&by=queue-id`);
          if (m.messageId) await same(`/api/v1/trace?q=${encodeURIComponent(m.messageId)}&by=message-id`);
          if (m.sender) await same(`/api/v1/trace?q=${encodeURIComponent(m.sender)}&by=sender&limit=1`);
        }
      }
    }
    expect(traced).toBeGreaterThan(0);
    await same('/api/v1/unparsed');
    await same('/api/v1/reports/weeks');
    // The report's Senders and Server sections too: each host's triage facts, summed over the fleet.
    const report = (await same('/api/v1/reports?week=2026-W48')) as {
      totals: Record<string, number>;
      hosts: { host: string; sent: number; rejected: number }[];
    };
    // The weekly report names each host's share, and the shares add up to the fleet's totals.
    expect(report.hosts.map((h) => h.host).sort()).toEqual(HOSTS.map((h) => h.host).sort());
    expect(report.hosts.reduce((n, h) => n + h.sent, 0)).toBe(report.totals['sent']);
    expect(report.hosts.reduce((n, h) => n + h.rejected, 0)).toBe(report.totals['rejected']);
    const md = await (await fetch(`${bases[1]!}/api/v1/reports?week=2026-W48&format=md`)).text();
    expect(md).toContain('## Hosts: 5');
    expect(md).toContain('## Senders');
    expect(md).not.toContain('not kept');
  });

  it("shows each host's triage figures in /metrics, read from the store", async () => {
    const registry = new Registry();
    const reader = createPgReader(pool, { now: () => NOW });
    const hosts = HOSTS.map((h) => h.host);
    createFleetTriageGauges(registry, {
      hosts: () => Promise.resolve(hosts),
      triage: reader,
      now: () => NOW,
    });
    const samples = parseMetrics(await registry.metrics());
    const day = { from: NOW - 86_400_000, to: NOW };
    let warnings = 0;
    for (const host of hosts) {
      const totals = await reader.sessionTotals({ ...day, host });
      expect(samples.get(`bouncewatch_fleet_received_messages_24h{host="${host}"}`), host).toBe(
        totals.received ?? 0,
      );
      for (const severity of ['warning', 'fatal', 'panic'])
        warnings += samples.get(`bouncewatch_fleet_mta_warnings_24h{host="${host}",severity="${severity}"}`)!;
    }
    const fleet = await reader.warningGroups(day, 10_000);
    expect(warnings).toBe(fleet.reduce((n, w) => n + w.count, 0));
    expect(warnings).toBeGreaterThan(0);
  });

  it('gives the same Senders and Server views, for the fleet and for each host', async () => {
    const server = (await same(`/api/v1/server?${RANGE}`)) as {
      warnings: unknown[];
      tls: { outbound: { sessions: number } };
    };
    expect(server.warnings.length).toBeGreaterThan(0);
    expect(server.tls.outbound.sessions).toBeGreaterThan(0);
    for (const by of ['submitter', 'domain', 'ip']) {
      const senders = (await same(`/api/v1/senders?${RANGE}&by=${by}`)) as { senders: unknown[] };
      expect(senders.senders.length, by).toBeGreaterThan(0);
    }
  });

  it("keeps each host's triage facts apart: the host filter answers that host's own", async () => {
    // Both stores keep triage facts per host: each host's views are the same, and they add up to the fleet's.
    const fleet = (await same(`/api/v1/senders?${RANGE}&limit=500`)) as { senders: { messages: number }[] };
    let messages = 0;
    let warnings = 0;
    for (const { host } of HOSTS) {
      const one = (await same(`/api/v1/senders?${RANGE}&limit=500&host=${host}`)) as {
        senders: { messages: number }[];
      };
      messages += one.senders.reduce((n, s) => n + s.messages, 0);
      const srv = (await same(`/api/v1/server?${RANGE}&host=${host}`)) as { warnings: { count: number }[] };
      warnings += srv.warnings.reduce((n, w) => n + w.count, 0);
    }
    const all = (await same(`/api/v1/server?${RANGE}`)) as { warnings: { count: number }[] };
    expect(messages).toBe(fleet.senders.reduce((n, s) => n + s.messages, 0));
    expect(warnings).toBe(all.warnings.reduce((n, w) => n + w.count, 0));
    expect(messages).toBeGreaterThan(0);
  });
});
