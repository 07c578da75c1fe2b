import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { createServer, type Server } from '../../../server/compose.js';
import { T0, attempt, batchOf, fakeClock, testConfig } from '../../unit/ops/helpers.js';

// The one app as `run` and `serve` compose it: probes, metrics, alerts and the dashboard behind one set of credentials.
const token = 'wiring-test-token-0123456789';
let dir: string;
let db: Db;
let backend: Server;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-wiring-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bouncewatch</title>');
  db = openDatabase({ file: join(dir, 'test.db') });
  const bus = createEventBus();
  const clock = fakeClock();
  const log = silentLogger();
  const config = testConfig({ bind: '0.0.0.0', auth: { token } });

  backend = createServer({ db, log, config, bus, webRoot: dir, now: clock.now });
  await backend.start();

  bus.emitBatch(batchOf([attempt({ ts: T0 - 1_000, outcome: 'bounced', cause: 'recipient-unknown' })]));
  const server = backend.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
});

afterAll(async () => {
  backend.stop();
  await close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, auth = true) =>
  fetch(`${base}${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });

describe('one app: operations and the dashboard', () => {
  it('serves /healthz without credentials and /metrics with them', async () => {
    expect((await get('/healthz', false)).status).toBe(200);
    expect((await get('/metrics', false)).status).toBe(401);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(
      /^bouncewatch_delivery_attempts_total\{outcome="bounced",class="permanent",cause="recipient-unknown"\} 1$/m,
    );
  });

  it('serves /api/v1/alerts and leaves the rest of /api/v1 to the dashboard', async () => {
    expect((await get('/api/v1/alerts', false)).status).toBe(401);
    const alerts = await get('/api/v1/alerts');
    expect(alerts.status).toBe(200);
    expect(await alerts.json()).toMatchObject({ open: [], recent: [] });
    expect((await get('/api/v1/health')).status).toBe(200);
    const missing = await get('/api/v1/no-such-thing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not-found' } });
    expect((await get('/')).status).toBe(200);
  });
});
