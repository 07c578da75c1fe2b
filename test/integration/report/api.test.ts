// GET /api/v1/reports and /api/v1/reports/weeks of the real app over the fixture database.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../server/compose.js';
import { parseConfig } from '../../../server/config.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { FIXTURE_NOW, fixtureDatabase } from './fixture-db.js';

const { db } = fixtureDatabase();
let server: Server;
let base: string;
const webRoot = mkdtempSync(join(tmpdir(), 'bw-reports-'));

beforeAll(async () => {
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>bouncewatch</title>');
  const { app } = createServer({
    db,
    bus: createEventBus(),
    config: parseConfig({}),
    log: silentLogger(),
    webRoot,
    now: () => FIXTURE_NOW,
    timeZone: 'UTC',
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  db.close();
  rmSync(webRoot, { recursive: true, force: true });
});

interface JsonReport {
  label: string;
  totals: Record<string, number>;
  domains: { domain: string }[];
}

describe('reports API', () => {
  it('answers json for a week, and the last full week by default', async () => {
    const res = await fetch(`${base}/reports?week=2026-W46`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as JsonReport;
    expect(body.label).toBe('2026-W46');
    expect(body.totals).toEqual({ sent: 190, deferred: 7, bounced: 4, expired: 0, rejected: 7 });
    const fallback = (await (await fetch(`${base}/reports`)).json()) as JsonReport;
    expect(fallback.label).toBe('2026-W47');
    expect(fallback.totals.expired).toBe(2);
  });

  it('serves the html page locked down, with log text escaped', async () => {
    const res = await fetch(`${base}/reports?week=2026-W47&format=html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it.each([
    ['week=2026-W54', 'invalid-parameter', /week/],
    ['week=2026-47', 'invalid-parameter', /week: expected an ISO week/],
    ['format=pdf', 'invalid-parameter', /format/],
    ['week=2026-W47&limit=3', 'unknown-parameter', /limit/],
  ])('rejects %s with a 400 envelope', async (query, code, message) => {
    const res = await fetch(`${base}/reports?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
  });

  it('lists the weeks that hold data, newest first', async () => {
    const res = await fetch(`${base}/reports/weeks`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      timeZone: 'UTC',
      defaultWeek: '2026-W47',
      weeks: [
        { week: '2026-W47', from: '2026-11-16T00:00:00+00:00', to: '2026-11-23T00:00:00+00:00' },
        { week: '2026-W46', from: '2026-11-09T00:00:00+00:00', to: '2026-11-16T00:00:00+00:00' },
      ],
    });
  });
});
