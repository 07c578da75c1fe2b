import { afterEach, describe, expect, it } from 'vitest';
import { createAlertStore } from '../../../db/sqlite/read/alerts.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { createSqliteAlertWriter } from '../../../db/sqlite/alert-writer.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { createAlertEngine } from '../../../server/alerts/engine.js';
import {
  HOUR,
  MINUTE,
  T0,
  attempt,
  batchOf,
  fakeClock,
  recordingNotify,
  spread,
} from '../../unit/ops/helpers.js';
import { startStack, type Stack } from './helpers.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

interface HealthBody {
  status: string;
  checks: {
    ingest: { ok: boolean; ageSeconds: number; following: boolean };
    database: { ok: boolean; error?: string };
  };
}

describe('GET /healthz', () => {
  it('fails when a following process has seen no batch or heartbeat for too long, and recovers', async () => {
    stack = await startStack({ following: true, config: { health: { ingestStaleSeconds: 60 } } });
    let res = await stack.get('/healthz');
    expect(res.status).toBe(200);
    expect(((await res.json()) as HealthBody).checks.ingest).toMatchObject({ ok: true, following: true });

    stack.clock.advance(61_000);
    res = await stack.get('/healthz');
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body.status).toBe('fail');
    expect(body.checks.ingest).toMatchObject({ ok: false, ageSeconds: 61 });
    expect(body.checks.database.ok).toBe(true);

    stack.bus.emitBatch(batchOf([])); // an empty batch is a heartbeat
    expect((await stack.get('/healthz')).status).toBe(200);
    stack.clock.advance(30_000);
    stack.ops.health.heartbeat();
    stack.clock.advance(45_000);
    expect((await stack.get('/healthz')).status).toBe(200);
  });

  it('counts heartbeats from the bus: a quiet log is not a dead follower', async () => {
    stack = await startStack({ following: true, config: { health: { ingestStaleSeconds: 60 } } });
    stack.clock.advance(59_000);
    stack.bus.emitHeartbeat();
    stack.clock.advance(59_000);
    expect((await stack.get('/healthz')).status).toBe(200);
    stack.clock.advance(2_000);
    expect((await stack.get('/healthz')).status).toBe(503);
    stack.bus.emitHeartbeat();
    expect((await stack.get('/healthz')).status).toBe(200);
  });

  it('does not watch ingest in a serve-only process', async () => {
    stack = await startStack({ following: false });
    stack.clock.advance(24 * HOUR);
    const res = await stack.get('/healthz');
    expect(res.status).toBe(200);
    expect(((await res.json()) as HealthBody).checks.ingest).toMatchObject({ ok: true, following: false });
  });

  it('fails when the database does not take writes, from the next check of the store on', async () => {
    stack = await startStack();
    stack.db.close();
    // /healthz says what the last check found; the store is checked every two seconds.
    let res = await stack.get('/healthz');
    for (let i = 0; i < 100 && res.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res = await stack.get('/healthz');
    }
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body.checks.database.ok).toBe(false);
    expect(body.checks.database.error).toMatch(/not open/);
  });
});

const spamhaus = {
  outcome: 'bounced' as const,
  cause: 'reputation-blocklist',
  provider: 'united-internet',
  recipientDomain: 'web.de',
  diagnostic: '554 5.7.1 Service unavailable; Client host [198.51.100.4] blocked using zen.spamhaus.org',
  blocklist: 'zen.spamhaus.org',
};

interface AlertsBody {
  open: { rule: string; state: string; evidence: { blocklists?: string[] } }[];
  recent: { rule: string; state: string; resolvedAt: number }[];
}

describe('GET /api/v1/alerts', () => {
  it('lists open alerts, then the same one as recently resolved, and notifies the webhook', async () => {
    stack = await startStack({ config: { notify: { webhooks: [{ url: 'http://127.0.0.1:9/hook' }] } } });
    stack.bus.emitBatch(batchOf([attempt({ ts: T0 - MINUTE, ...spamhaus })]));
    await stack.ops.alerts.flush();
    let body = (await (await stack.get('/api/v1/alerts')).json()) as AlertsBody;
    expect(body.open.map((a) => [a.rule, a.state])).toEqual([['reputation-blocklist', 'open']]);
    expect(body.open[0]!.evidence.blocklists).toEqual(['zen.spamhaus.org']);
    expect(body.recent).toEqual([]);
    expect(stack.fetchCalls.map((c) => c.url)).toEqual(['http://127.0.0.1:9/hook']);
    expect(JSON.parse(stack.fetchCalls[0]!.body)).toMatchObject({ status: 'firing' });

    stack.clock.advance(2 * HOUR);
    stack.ops.alerts.evaluate();
    await stack.ops.alerts.flush();
    body = (await (await stack.get('/api/v1/alerts')).json()) as AlertsBody;
    expect(body.open).toEqual([]);
    expect(body.recent.map((a) => [a.rule, a.state, a.resolvedAt])).toEqual([
      ['reputation-blocklist', 'resolved', stack.clock.now()],
    ]);
    expect(stack.fetchCalls).toHaveLength(2);

    expect(((await (await stack.get('/api/v1/alerts?state=open')).json()) as AlertsBody).recent).toEqual([]);
    stack.clock.advance(2 * HOUR);
    expect(((await (await stack.get('/api/v1/alerts?hours=1')).json()) as AlertsBody).recent).toEqual([]);
    expect(((await (await stack.get('/api/v1/alerts?hours=3')).json()) as AlertsBody).recent).toHaveLength(1);
  });

  it('answers bad queries with the error envelope', async () => {
    stack = await startStack();
    let res = await stack.get('/api/v1/alerts?limit=0');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid-parameter', message: expect.stringMatching(/^limit: /) as string },
    });
    res = await stack.get('/api/v1/alerts?state=closed');
    expect(res.status).toBe(400);
    res = await stack.get('/api/v1/alerts?colour=red');
    expect(await res.json()).toEqual({
      error: { code: 'unknown-parameter', message: 'unknown parameter: colour' },
    });
  });

  it('asks for the dashboard credentials on /metrics and alerts, never on /healthz', async () => {
    const token = 'a-long-enough-secret-token';
    stack = await startStack({ config: { auth: { token } } });
    expect((await stack.get('/api/v1/alerts')).status).toBe(401);
    expect((await stack.get('/metrics')).status).toBe(401);
    expect((await stack.get('/healthz')).status).toBe(200);
    const auth = { authorization: `Bearer ${token}` };
    expect((await stack.get('/api/v1/alerts', auth)).status).toBe(200);
    expect((await stack.get('/metrics', auth)).status).toBe(200);
  });
});

describe('alert state across a restart', () => {
  it('restores open alerts without notifying again, and rebuilds baselines from the rollups', async () => {
    stack = await startStack();
    const db = stack.db;
    // a day of heavy bounces to lossy.example, stored as ingest would store it
    createBatchWriter(db).write({
      ...emptyBatch(),
      attempts: [
        ...spread(600, T0 - 25 * HOUR, T0 - HOUR, { recipientDomain: 'lossy.example' }),
        ...spread(400, T0 - 25 * HOUR, T0 - HOUR, { recipientDomain: 'lossy.example', outcome: 'bounced' }),
      ],
    });
    const spike = batchOf([
      ...spread(30, T0 - 10 * MINUTE, T0, { recipientDomain: 'lossy.example' }),
      ...spread(20, T0 - 10 * MINUTE, T0, { recipientDomain: 'lossy.example', outcome: 'bounced' }),
    ]);
    const clock = fakeClock();
    const make = async (withDb: boolean) => {
      const rec = recordingNotify();
      const store = {
        reader: createSqliteReader(db, { now: clock.now }),
        writer: createSqliteAlertWriter(db),
      };
      const engine = createAlertEngine({
        config: stack!.config,
        bus: createEventBus(),
        ...(withDb ? { store } : {}),
        now: clock.now,
        log: silentLogger(),
        notify: rec.notify,
      });
      await engine.start();
      return { engine, sent: rec.sent };
    };

    // Without the stored history, 40% looks like a spike; with it, 40% is what this domain always does.
    const blind = await make(false);
    blind.engine.ingest(spike);
    expect(blind.engine.evaluate().opened.map((a) => a.key)).toContain('bounce-spike:domain:lossy.example');
    blind.engine.stop();
    const seeded = await make(true);
    seeded.engine.ingest(spike);
    expect(seeded.engine.evaluate().opened.map((a) => a.key)).not.toContain(
      'bounce-spike:domain:lossy.example',
    );
    seeded.engine.stop();

    // An alert open in the database comes back open, silently.
    const first = await make(true);
    first.engine.ingest(batchOf([attempt({ ts: T0 - MINUTE, ...spamhaus })]));
    expect(first.engine.evaluate().opened.map((a) => a.rule)).toContain('reputation-blocklist');
    await first.engine.flush();
    first.engine.stop();
    const again = await make(true);
    expect(again.engine.openAlerts().map((a) => a.rule)).toContain('reputation-blocklist');
    again.engine.ingest(batchOf([attempt({ ts: T0 - MINUTE, ...spamhaus })]));
    again.engine.evaluate();
    expect(again.sent.filter((n) => n.alert.rule === 'reputation-blocklist')).toEqual([]);
    const stored = createAlertStore(db).listOpenAlerts(10);
    expect(stored.filter((a) => a.rule === 'reputation-blocklist')).toHaveLength(1);
    again.engine.stop();
  });
});
