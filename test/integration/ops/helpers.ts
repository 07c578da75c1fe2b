/** The server (operations started) on a temp database behind a real HTTP listener on 127.0.0.1, plus a Prometheus text reader. */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import type { Config } from '../../../server/config.js';
import { createEventBus, type EventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { createServer } from '../../../server/compose.js';
import type { Operations } from '../../../server/operations.js';
import { fakeClock, testConfig, type FakeClock } from '../../unit/ops/helpers.js';

export interface Stack {
  dir: string;
  db: Db;
  bus: EventBus;
  clock: FakeClock;
  config: Config;
  ops: Operations;
  base: string;
  fetchCalls: { url: string; body: string }[];
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startStack(
  options: {
    config?: Record<string, unknown>;
    following?: boolean;
    clock?: FakeClock;
    db?: (dir: string) => Db;
  } = {},
): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-ops-'));
  const db = options.db ? options.db(dir) : openDatabase({ file: join(dir, 'test.db') });
  const bus = createEventBus();
  const clock = options.clock ?? fakeClock();
  const config = testConfig(options.config ?? {});
  const fetchCalls: { url: string; body: string }[] = [];
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bouncewatch</title>');
  const backend = createServer({
    config,
    db,
    bus,
    log: silentLogger(),
    webRoot: dir,
    now: clock.now,
    following: options.following ?? false,
    fetch: (url, init) => {
      fetchCalls.push({ url, body: init.body as string });
      return Promise.resolve(new Response('ok'));
    },
  });
  await backend.start();
  const ops = backend.operations;
  const server = backend.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    dir,
    db,
    bus,
    clock,
    config,
    ops,
    base,
    fetchCalls,
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers }),
    async close() {
      backend.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Samples of a Prometheus text exposition, keyed `name{a="x",b="y"}` with labels sorted. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = m[2]
      ? [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort()
      : [];
    out.set(labels.length > 0 ? `${m[1]}{${labels.join(',')}}` : m[1]!, Number(m[3]));
  }
  return out;
}

/** Label values present for one metric name and label. */
export function labelValues(samples: Map<string, number>, name: string, label: string): string[] {
  const values = new Set<string>();
  for (const key of samples.keys()) {
    if (!key.startsWith(`${name}{`)) continue;
    const m = new RegExp(`${label}="([^"]*)"`).exec(key);
    if (m) values.add(m[1]!);
  }
  return [...values].sort();
}
