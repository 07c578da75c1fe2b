// /metrics' triage figures: counts from the batches' facts with bounded labels, queue gauges only once read.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { emptyTriageFacts } from '../../../db/store/triage.js';
import { createTriageMetrics } from '../../../server/metrics-triage.js';
import type { MtaMonitor, QueueState } from '../../../server/mta/monitor.js';
import { parseMetrics } from '../../integration/ops/helpers.js';

function monitorWith(state: () => QueueState): MtaMonitor {
  const lists = { enabled: false, checkedAt: null, ips: [], results: [] };
  return {
    queue: state,
    queueHistory: () => [],
    blocklists: () => lists,
    paniclog: () => ({ status: 'off', path: null, readAt: null, message: null, lines: [] }),
    readPaniclog: () =>
      Promise.resolve({ status: 'off', path: null, readAt: null, message: null, lines: [] }),
    readQueue: () => Promise.resolve(state()),
    checkBlocklists: () => Promise.resolve(lists),
    start: () => undefined,
    stop: () => undefined,
  };
}

describe('triage metrics', () => {
  it('counts warnings by severity and topic, SASL failures, postscreen, TLS and volume, never with IPs as labels', async () => {
    const registry = new Registry();
    const metrics = createTriageMetrics(registry, null);
    const facts = emptyTriageFacts();
    const w = { hour: 0, shape: 's', example: 'e', first: 0, last: 0 };
    facts.warnings.push(
      { ...w, severity: 'warning', topic: 'disk', count: 3 },
      { ...w, severity: 'panic', topic: 'crash', count: 1 },
      { ...w, severity: 'warning', topic: 'disk', shape: 't', count: 2 },
    );
    const s = (event: Parameters<typeof facts.sessions.push>[0]['event'], key: string, count: number) => ({
      hour: 0,
      event,
      key,
      count,
    });
    facts.sessions.push(
      s('auth-ip', '198.51.100.1', 7),
      s('auth-ip', '198.51.100.2', 2),
      s('auth-user', 'admin', 9),
      s('pregreet', '198.51.100.3', 4),
      s('tls-in', 'TLSv1.3', 10),
      s('tls-in', '', 5),
      s('tls-out', 'TLSv1.2', 8),
      s('tls-failed-out', 'mx.example.net', 1),
      s('received', '', 15),
      s('received-bytes', '', 30_000),
    );
    metrics.add(facts);
    metrics.add(facts);
    const text = await registry.metrics();
    const m = parseMetrics(text);
    expect(m.get('bouncewatch_mta_warnings_total{severity="warning",topic="disk"}')).toBe(10);
    expect(m.get('bouncewatch_mta_warnings_total{severity="panic",topic="crash"}')).toBe(2);
    expect(m.get('bouncewatch_sasl_auth_failures_total')).toBe(18);
    expect(m.get('bouncewatch_postscreen_total{verdict="pregreet"}')).toBe(8);
    expect(m.get('bouncewatch_tls_sessions_total{direction="in",tls="yes"}')).toBe(20);
    expect(m.get('bouncewatch_tls_sessions_total{direction="in",tls="no"}')).toBe(10);
    expect(m.get('bouncewatch_tls_sessions_total{direction="out",tls="yes"}')).toBe(16);
    expect(m.get('bouncewatch_tls_failures_total{direction="out"}')).toBe(2);
    expect(m.get('bouncewatch_volume_total{what="received"}')).toBe(30);
    expect(m.get('bouncewatch_volume_total{what="received-bytes"}')).toBe(60_000);
    expect(text).not.toMatch(/198\.51\.100|admin|mx\.example/);
  });

  it('reads the queue gauges as NaN until the queue is read, then its size and age', async () => {
    let state: QueueState = { status: 'off' };
    const registry = new Registry();
    createTriageMetrics(
      registry,
      monitorWith(() => state),
    );
    let m = parseMetrics(await registry.metrics());
    expect(m.get('bouncewatch_queue_messages')).toBeNaN();
    state = {
      status: 'ok',
      snapshot: {
        mta: 'postfix',
        readAt: 1_800_000_000_000,
        messages: 42,
        bytes: 420_000,
        oldestAgeSeconds: 3_600,
        deferred: 40,
        held: 0,
        deferredByDomain: [],
        unreadable: 0,
      },
    };
    m = parseMetrics(await registry.metrics());
    expect(m.get('bouncewatch_queue_messages')).toBe(42);
    expect(m.get('bouncewatch_queue_bytes')).toBe(420_000);
    expect(m.get('bouncewatch_queue_deferred_messages')).toBe(40);
    expect(m.get('bouncewatch_queue_oldest_age_seconds')).toBe(3_600);
    expect(m.get('bouncewatch_queue_read_timestamp_seconds')).toBe(1_800_000_000);
    state = { status: 'not-permitted', readAt: 1_800_000_060_000, message: 'postqueue: permission denied' };
    expect(parseMetrics(await registry.metrics()).get('bouncewatch_queue_messages')).toBeNaN();
  });
});
