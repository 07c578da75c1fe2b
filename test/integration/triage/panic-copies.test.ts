// A panic Exim wrote to both its mainlog and its paniclog counts once, as a panic: in the Server view, the report's
// Server section, the fatal and disk alerts and /metrics, on a recorded pair of logs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { createAlertEngine } from '../../../server/alerts/engine.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { createTriageMetrics } from '../../../server/metrics-triage.js';
import { parsePaniclog, type PaniclogState } from '../../../server/mta/paniclog.js';
import { reportTriage } from '../../../server/services/report-triage.js';
import { createTriageService } from '../../../server/services/triage.js';
import { paniclogMonitor } from '../../helpers/paniclog-monitor.js';
import { recordingNotify, testConfig } from '../../unit/ops/helpers.js';
import { parseMetrics } from '../ops/helpers.js';
import { setup, type Env } from '../ingest/helpers.js';

const dir = new URL('../../fixtures/mta/panic-pair/', import.meta.url);
const MAINLOG = readFileSync(new URL('mainlog', dir), 'utf8');
const PANICS = parsePaniclog(readFileSync(new URL('paniclog', dir), 'utf8'));
const at = (hhmmss: string) => new Date(`2026-11-20T${hhmmss}`).getTime();
const RANGE = { from: at('09:00:00'), to: at('11:00:00'), host: null };
const READ: PaniclogState = {
  status: 'ok',
  path: 'paniclog',
  readAt: at('10:50:00'),
  message: null,
  lines: PANICS,
};

/** Warning groups as [severity, count, the start of the text]. */
const summary = (ws: readonly { severity: string; count: number; example: string }[]) =>
  ws
    .map((w) => [w.severity, w.count, w.example.slice(0, 24)])
    .sort((a, b) => String(a).localeCompare(String(b)));

// Each event once: the four panics with a copy and the one without are panics; the main log's own lines stay warnings.
const ONCE = [
  ['panic', 1, 'Cannot open main log fil'],
  ['panic', 1, 'Failed to write spool da'],
  ['panic', 1, 'failed to expand conditi'],
  ['panic', 2, 'Failed to get write lock'],
  ['warning', 1, 'Failed to get write lock'],
  ['warning', 1, 'Failed to get write lock'],
  ['warning', 1, 'Warning: ACL "warn" stat'],
].sort((a, b) => String(a).localeCompare(String(b)));

describe('a panic in both the mainlog and the paniclog', () => {
  let env: Env;
  beforeEach(async () => {
    env = setup('bw-panic-pair-');
    const file = join(env.dir, 'mainlog');
    writeFileSync(file, MAINLOG);
    await env.ingest.ingestFiles([file], { year: 2026 });
  });
  afterEach(() => env.cleanup());
  const reader = () => createSqliteReader(env.db, { now: () => RANGE.to });

  it('the main log alone grades the copies as it reads them', async () => {
    const stored = await reader().warningGroups(RANGE, 50);
    expect(stored.reduce((n, w) => n + w.count, 0)).toBe(7);
    expect(stored.every((w) => w.severity === 'warning')).toBe(true);
  });

  it('counts once, as a panic, in the Server view and the report', async () => {
    const service = createTriageService({ reader: reader(), monitor: paniclogMonitor(() => READ) });
    const view = await service.server(RANGE, 50);
    expect(summary(view.warnings)).toEqual(ONCE);
    const first = view.warnings.find((w) => w.severity === 'panic' && w.count === 2);
    expect([first?.first, first?.last]).toEqual([at('10:00:00'), at('10:20:07')]);
    const report = await reportTriage(reader(), RANGE, (ms) => new Date(ms).toISOString(), PANICS);
    expect(summary(report.server.warnings)).toEqual(ONCE);
  });

  it('counts once in the fatal and disk-space alerts', () => {
    const engine = createAlertEngine({
      config: testConfig(),
      bus: createEventBus(),
      now: () => at('10:50:00'),
      log: silentLogger(),
      notify: recordingNotify().notify,
      monitor: paniclogMonitor(() => READ),
    });
    for (const b of env.batches) engine.ingest(b);
    const opened = engine.evaluate().opened;
    const lines = (rule: string) => opened.find((a) => a.rule === rule)?.evidence.counts;
    expect(lines('mta-fatal')).toEqual({ lines: 5 });
    expect(lines('disk-space')).toEqual({ lines: 1 });
  });

  const metricsAfter = async (order: 'copies first' | 'paniclog first') => {
    // The paniclog is read (by the clock) before the copies come, or after them.
    const after: PaniclogState = { ...READ, readAt: Date.now() + 60_000 };
    let state: PaniclogState =
      order === 'copies first' ? { ...READ, readAt: Date.now() - 1, lines: [] } : after;
    const registry = new Registry();
    const metrics = createTriageMetrics(
      registry,
      paniclogMonitor(() => state),
      at('09:00:00'),
    );
    const scrape = async () =>
      [...parseMetrics(await registry.metrics())]
        .filter(([k]) => k.startsWith('bouncewatch_mta_warnings_total{'))
        .map(([k, v]) => `${/severity="(\w+)"/.exec(k)?.[1]} ${/topic="(\w+)"/.exec(k)?.[1]} ${v}`)
        .sort();
    if (order === 'paniclog first') await scrape();
    for (const b of env.batches) if (b.triage) metrics.add(b.triage);
    // Copies ingested before the paniclog was read again wait for it rather than count as warnings.
    if (order === 'copies first') {
      expect(await scrape()).toEqual([]);
      state = after;
    }
    return scrape();
  };

  it('counts once in /metrics, whichever of the two was read first', async () => {
    // Five panics and three warnings: the main log's seven lines and the panic only the paniclog holds.
    const once = ['panic config 1', 'panic disk 1', 'panic other 3', 'warning other 3'];
    expect(await metricsAfter('copies first')).toEqual(once);
    expect(await metricsAfter('paniclog first')).toEqual(once);
  });
});
