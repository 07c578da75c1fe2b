/**
 * The triage figures in /metrics: the MTA's warnings by severity and topic, SASL failures, postscreen verdicts, TLS
 * sessions, volume, and the queue when it is read. Labels are small fixed sets; IPs, logins and senders never are.
 */

import { Counter, Gauge, type Registry } from 'prom-client';
import type { TriageFacts, WarningFact } from '../db/store/triage.js';
import type { MtaMonitor } from './mta/monitor.js';
import { pairPanicCopies } from './mta/panic-copies.js';
import { warningTopic, type WarningLike } from './mta/warning-shapes.js';

const POSTSCREEN = new Set(['pregreet', 'dnsbl-rank', 'hangup', 'pipelining']);
const VOLUME = new Set(['received', 'received-bytes', 'delivered', 'delivered-bytes']);

export interface TriageMetrics {
  /** Adds a stored batch's triage facts. */
  add(facts: TriageFacts): void;
}

/** How long a panic counted alone waits for its copy from a main log that is behind (catching up). */
const COPY_WAIT_MS = 3_600_000;
/** Main-log warnings waiting for the paniclog have it read again at most this often. */
const REREAD_MS = 5_000;

/**
 * `since`: when this process started. Exim's paniclog panics logged from then on count among the warnings as the
 * paniclog is read again; older ones are left out, so a restart does not count a log's whole history again. A panic
 * and its copy in the main log count once, as a panic: while there is a paniclog, the main log's warnings wait until
 * it has been read past them, and a panic counted before its copy came takes the copy out when it comes. (The
 * first panic, which creates the paniclog, can count twice: its copy is counted before the paniclog exists.)
 */
export function createTriageMetrics(
  registry: Registry,
  monitor: MtaMonitor | null,
  since = Date.now(),
): TriageMetrics {
  const registers = [registry];
  // The paniclog's lines counted so far: it only grows, and a rotated (shorter) one starts the count again.
  let panicsCounted = 0;
  // Main-log warnings not counted yet, and panics counted whose copy has not come.
  let waiting: (WarningFact & { came: number })[] = [];
  let alone: WarningLike[] = [];
  const countFacts = (facts: readonly WarningFact[]) => {
    for (const w of facts) warnings.inc({ severity: w.severity, topic: w.topic }, w.count);
  };
  /**
   * Counts the waiting warnings the paniclog was read since they came (Exim writes a panic's two copies at once, so
   * a read after the copy came holds its panic): all of them when there is no paniclog to read (off, absent, not
   * readable). Otherwise it is read again soon (at most every few seconds), not at the monitor's next round.
   */
  let askedAt = 0;
  const settle = () => {
    const state = monitor?.paniclog();
    if (!state || state.status !== 'ok') {
      countFacts(waiting);
      waiting = [];
      return;
    }
    const readPast = (w: { came: number }) => w.came < state.readAt;
    countFacts(waiting.filter(readPast));
    waiting = waiting.filter((w) => !readPast(w));
    if (waiting.length > 0 && Date.now() - askedAt >= REREAD_MS) {
      askedAt = Date.now();
      monitor?.readPaniclog().catch(() => undefined);
    }
  };
  const warnings: Counter<'severity' | 'topic'> = new Counter({
    name: 'bouncewatch_mta_warnings_total',
    help: "The MTA's own warning, fatal and panic lines, by severity and topic (disk, tls, dns, config, crash, sasl, client, other); Exim's paniclog panics since the start of this process too, each once with its copy in the main log.",
    labelNames: ['severity', 'topic'] as const,
    registers,
    collect: () => {
      const lines = (monitor?.paniclog().lines ?? []).filter((l) => l.ts >= since);
      if (lines.length < panicsCounted) panicsCounted = 0;
      const fresh = lines.slice(panicsCounted);
      panicsCounted = lines.length;
      for (const l of fresh) warnings.inc({ severity: 'panic', topic: warningTopic(l.text) });
      const paired = pairPanicCopies(waiting, (w) => w.shape, fresh);
      waiting = paired.rows;
      const newest = lines.reduce((m, l) => Math.max(m, l.ts), 0);
      alone = [...alone, ...paired.alone].filter((l) => l.ts > newest - COPY_WAIT_MS);
      settle();
    },
  });
  const authFailures = new Counter({
    name: 'bouncewatch_sasl_auth_failures_total',
    help: 'Failed SASL logins (the Server view lists them by client IP and username).',
    registers,
  });
  const postscreen = new Counter({
    name: 'bouncewatch_postscreen_total',
    help: 'Clients postscreen caught, by verdict (pregreet, dnsbl-rank, hangup, pipelining).',
    labelNames: ['verdict'] as const,
    registers,
  });
  const tls = new Counter({
    name: 'bouncewatch_tls_sessions_total',
    help: 'Messages received over SMTP (in) and remote delivery attempts (out), by whether TLS was used.',
    labelNames: ['direction', 'tls'] as const,
    registers,
  });
  const tlsFailures = new Counter({
    name: 'bouncewatch_tls_failures_total',
    help: 'Failed TLS handshakes, inbound and outbound.',
    labelNames: ['direction'] as const,
    registers,
  });
  const volume = new Counter({
    name: 'bouncewatch_volume_total',
    help: 'As pflogsumm counts: messages received and their bytes, recipients delivered and their messages\u2019 bytes.',
    labelNames: ['what'] as const,
    registers,
  });

  // Queue gauges read NaN until the queue is read (off, not permitted, failed): 0 would claim an empty queue.
  const snapshot = () => {
    const q = monitor?.queue();
    return q?.status === 'ok' ? q.snapshot : null;
  };
  const queueGauge = (
    name: string,
    help: string,
    value: (q: NonNullable<ReturnType<typeof snapshot>>) => number | null,
  ) => {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers,
      collect: () => {
        const q = snapshot();
        const v = q ? value(q) : null;
        gauge.set(v ?? Number.NaN);
      },
    });
  };
  queueGauge(
    'bouncewatch_queue_messages',
    'Messages in the MTA queue when last read (NaN when not read).',
    (q) => q.messages,
  );
  queueGauge('bouncewatch_queue_bytes', 'Bytes in the MTA queue when last read.', (q) => q.bytes);
  queueGauge(
    'bouncewatch_queue_deferred_messages',
    'Deferred messages in the queue when last read.',
    (q) => q.deferred,
  );
  queueGauge(
    'bouncewatch_queue_oldest_age_seconds',
    'Age of the oldest queued message when last read.',
    (q) => q.oldestAgeSeconds,
  );
  queueGauge(
    'bouncewatch_queue_read_timestamp_seconds',
    'When the queue was last read (unix seconds).',
    (q) => q.readAt / 1000,
  );

  return {
    add(facts) {
      // A copy of a panic already counted is taken out; the rest waits for the paniclog to be read past it.
      const paired = pairPanicCopies(facts.warnings, (w) => w.shape, alone);
      alone = paired.alone;
      const came = Date.now();
      for (const w of paired.rows) waiting.push({ ...w, came });
      settle();
      for (const s of facts.sessions) {
        if (s.event === 'auth-ip') authFailures.inc(s.count);
        else if (POSTSCREEN.has(s.event)) postscreen.inc({ verdict: s.event }, s.count);
        else if (s.event === 'tls-in' || s.event === 'tls-out')
          tls.inc(
            { direction: s.event === 'tls-in' ? 'in' : 'out', tls: s.key === '' ? 'no' : 'yes' },
            s.count,
          );
        else if (s.event === 'tls-failed-in' || s.event === 'tls-failed-out')
          tlsFailures.inc({ direction: s.event === 'tls-failed-in' ? 'in' : 'out' }, s.count);
        else if (VOLUME.has(s.event)) volume.inc({ what: s.event }, s.count);
      }
    },
  };
}
