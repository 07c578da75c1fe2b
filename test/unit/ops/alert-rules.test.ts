import { describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
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
  testConfig,
  type FakeClock,
} from './helpers.js';

function engineWith(clock: FakeClock, raw: Record<string, unknown> = {}) {
  const rec = recordingNotify();
  const config = testConfig({ notify: { webhooks: [{ url: 'http://127.0.0.1:9/hook' }] }, ...raw });
  const engine = createAlertEngine({
    config,
    bus: createEventBus(),
    now: clock.now,
    log: silentLogger(),
    notify: rec.notify,
  });
  return { engine, sent: rec.sent };
}

/** A day of ordinary traffic to a domain: 100 deliveries and 2 bounces an hour. */
function normalDay(domain: string, end: number, provider: string | null = null) {
  const out = [];
  for (let h = 24; h >= 1; h--) {
    const from = end - h * HOUR;
    out.push(...spread(100, from, from + HOUR, { recipientDomain: domain, provider }));
    out.push(
      ...spread(2, from, from + HOUR, {
        recipientDomain: domain,
        provider,
        outcome: 'bounced',
        cause: 'recipient-unknown',
        diagnostic: '550 5.1.1 user unknown',
      }),
    );
  }
  return out;
}

const spamhaus = {
  outcome: 'bounced' as const,
  cause: 'reputation-blocklist',
  replyCode: 554,
  enhancedStatus: '5.7.1',
  diagnostic: '554 5.7.1 Service unavailable; Client host [198.51.100.4] blocked using zen.spamhaus.org',
  blocklist: 'zen.spamhaus.org',
};

describe('bounce-spike', () => {
  it('fires once, holds during cooldown, resolves when the rate falls back, and fires again after the cooldown', () => {
    const clock = fakeClock(T0);
    const { engine, sent } = engineWith(clock);
    const spikeStart = T0 - 10 * MINUTE;
    // the ordinary day ends where the 30 min window begins
    engine.ingest(batchOf(normalDay('example.net', T0 - 30 * MINUTE)));
    expect(engine.evaluate().opened).toEqual([]);

    engine.ingest(
      batchOf([
        ...spread(30, spikeStart, T0, { recipientDomain: 'example.net' }),
        ...spread(20, spikeStart, T0, {
          recipientDomain: 'example.net',
          outcome: 'bounced',
          cause: 'recipient-unknown',
          replyCode: 550,
          enhancedStatus: '5.1.1',
          diagnostic: '550 5.1.1 <x@example.net>: Recipient address rejected: User unknown',
        }),
      ]),
    );
    const first = engine.evaluate();
    expect(first.opened.map((a) => a.key)).toEqual(['bounce-spike:domain:example.net']);
    const alert = first.opened[0]!;
    expect(alert.subject).toBe('domain example.net');
    expect(alert.evidence.counts['bounced']).toBe(20);
    expect(alert.evidence.counts['sent']).toBe(30);
    expect(alert.evidence.counts['ratePermille']).toBe(400);
    // the baseline is the day before: 2 of 102
    expect(alert.evidence.counts['baselineRatePermille']).toBe(20);
    expect(alert.evidence.causes[0]).toMatchObject({ cause: 'recipient-unknown', count: 20 });
    expect(alert.evidence.causes[0]!.action).toMatch(/suppress/i);
    expect(alert.evidence.examples[0]!.diagnostic).toMatch(/User unknown/);
    expect(alert.evidence.action).toBe(alert.evidence.causes[0]!.action);
    expect(sent.map((n) => n.status)).toEqual(['firing']);

    // still bouncing five minutes later: the open alert holds, nothing is sent again
    clock.advance(5 * MINUTE);
    engine.ingest(
      batchOf(
        spread(10, T0, clock.now(), {
          recipientDomain: 'example.net',
          outcome: 'bounced',
          cause: 'recipient-unknown',
        }),
      ),
    );
    expect(engine.evaluate()).toEqual({ opened: [], resolved: [] });
    expect(engine.openAlerts().map((a) => a.key)).toEqual(['bounce-spike:domain:example.net']);
    expect(sent).toHaveLength(1);

    // clean traffic for longer than the window: resolves
    const cleanFrom = clock.now();
    clock.advance(31 * MINUTE);
    engine.ingest(batchOf(spread(120, cleanFrom, clock.now(), { recipientDomain: 'example.net' })));
    const cleared = engine.evaluate();
    expect(cleared.resolved.map((a) => a.key)).toEqual(['bounce-spike:domain:example.net']);
    expect(cleared.resolved[0]!.resolvedAt).toBe(clock.now());
    expect(sent.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(engine.openAlerts()).toEqual([]);

    // a new spike 40 min after the first fired: still inside the 60 min cooldown, so it is held
    const again = clock.now();
    clock.advance(4 * MINUTE);
    const spike2 = () =>
      batchOf([
        ...spread(30, clock.now() - 4 * MINUTE, clock.now(), { recipientDomain: 'example.net' }),
        ...spread(25, clock.now() - 4 * MINUTE, clock.now(), {
          recipientDomain: 'example.net',
          outcome: 'bounced',
          cause: 'recipient-unknown',
        }),
      ]);
    engine.ingest(spike2());
    expect(again - T0).toBeLessThan(60 * MINUTE);
    expect(engine.evaluate().opened).toEqual([]);
    expect(sent).toHaveLength(2);

    // past the cooldown the condition still holds: it fires again
    clock.set(T0 + 61 * MINUTE);
    engine.ingest(spike2());
    expect(engine.evaluate().opened.map((a) => a.key)).toEqual(['bounce-spike:domain:example.net']);
    expect(sent.map((n) => n.status)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('needs minimum volume: one bounce to a quiet domain does not fire', () => {
    const clock = fakeClock();
    const { engine, sent } = engineWith(clock);
    engine.ingest(
      batchOf([attempt({ ts: T0 - MINUTE, recipientDomain: 'quiet.example', outcome: 'bounced' })]),
    );
    expect(engine.evaluate().opened).toEqual([]);
    // 4 bounces of 19: high rate but under both minimums (20 finished, 5 bounces)
    engine.ingest(
      batchOf([
        ...spread(15, T0 - 5 * MINUTE, T0, { recipientDomain: 'quiet.example' }),
        ...spread(3, T0 - 5 * MINUTE, T0, { recipientDomain: 'quiet.example', outcome: 'bounced' }),
      ]),
    );
    expect(engine.evaluate().opened).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('does not fire when the rate is high but usual for that domain', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    const day = [];
    for (let h = 24; h >= 1; h--) {
      const from = T0 - h * HOUR;
      day.push(...spread(60, from, from + HOUR, { recipientDomain: 'lossy.example' }));
      day.push(...spread(40, from, from + HOUR, { recipientDomain: 'lossy.example', outcome: 'bounced' }));
    }
    engine.ingest(batchOf(day));
    engine.ingest(
      batchOf([
        ...spread(30, T0 - 10 * MINUTE, T0, { recipientDomain: 'lossy.example' }),
        ...spread(20, T0 - 10 * MINUTE, T0, { recipientDomain: 'lossy.example', outcome: 'bounced' }),
      ]),
    );
    // 40% now against 40% usually: threshold is 3x the baseline, capped by nothing
    expect(engine.evaluate().opened).toEqual([]);
  });

  it('reports a provider once instead of each of its domains', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(batchOf(normalDay('gmail.com', T0 - 10 * MINUTE, 'google')));
    engine.ingest(
      batchOf([
        ...spread(30, T0 - 10 * MINUTE, T0, { recipientDomain: 'gmail.com', provider: 'google' }),
        ...spread(30, T0 - 10 * MINUTE, T0, {
          recipientDomain: 'gmail.com',
          provider: 'google',
          outcome: 'bounced',
          cause: 'rate-limited',
        }),
      ]),
    );
    expect(engine.evaluate().opened.map((a) => a.key)).toEqual(['bounce-spike:provider:google']);
  });
});

describe('reputation-blocklist', () => {
  it('names the blocklist when a provider starts refusing us', () => {
    const clock = fakeClock();
    const { engine, sent } = engineWith(clock);
    engine.ingest(
      batchOf(
        spread(50, T0 - 5 * HOUR, T0 - HOUR, { recipientDomain: 'web.de', provider: 'united-internet' }),
      ),
    );
    expect(engine.evaluate().opened).toEqual([]);
    engine.ingest(
      batchOf([
        attempt({ ts: T0 - 2 * MINUTE, recipientDomain: 'web.de', provider: 'united-internet', ...spamhaus }),
      ]),
    );
    const { opened } = engine.evaluate();
    expect(opened.map((a) => a.key)).toEqual(['reputation-blocklist:provider:united-internet']);
    expect(opened[0]!.severity).toBe('critical');
    expect(opened[0]!.summary).toMatch(/zen\.spamhaus\.org/);
    expect(opened[0]!.evidence.blocklists).toEqual(['zen.spamhaus.org']);
    expect(opened[0]!.evidence.examples[0]!.diagnostic).toMatch(/blocked using/);
    expect(opened[0]!.evidence.action.length).toBeGreaterThan(20);
    expect(sent).toHaveLength(1);
  });

  it('names the provider code when no list is named, and keys by domain when the provider is unknown', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(
      batchOf([
        attempt({
          ts: T0 - MINUTE,
          recipientDomain: 'outlook.com',
          provider: 'microsoft',
          outcome: 'bounced',
          cause: 'reputation-blocklist',
          diagnostic:
            "550 5.7.1 Unfortunately, messages from [198.51.100.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
        }),
        attempt({ ts: T0 - MINUTE, recipientDomain: 'small-isp.example', ...spamhaus }),
      ]),
    );
    const { opened } = engine.evaluate();
    expect(opened.map((a) => a.key).sort()).toEqual([
      'reputation-blocklist:domain:small-isp.example',
      'reputation-blocklist:provider:microsoft',
    ]);
    const ms = opened.find((a) => a.key.endsWith('microsoft'))!;
    expect(ms.evidence.codes).toContain('S3150');
    expect(ms.summary).toMatch(/S3150/);
  });

  it('is not new when the provider already blocked us during the quiet period', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(
      batchOf([
        attempt({ ts: T0 - 5 * HOUR, recipientDomain: 'web.de', provider: 'united-internet', ...spamhaus }),
      ]),
    );
    engine.ingest(
      batchOf([
        attempt({ ts: T0 - MINUTE, recipientDomain: 'web.de', provider: 'united-internet', ...spamhaus }),
      ]),
    );
    expect(engine.evaluate().opened).toEqual([]);
  });

  it('resolves when the refusals stop for a window', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(
      batchOf([
        attempt({ ts: T0 - MINUTE, recipientDomain: 'web.de', provider: 'united-internet', ...spamhaus }),
      ]),
    );
    expect(engine.evaluate().opened).toHaveLength(1);
    clock.advance(30 * MINUTE);
    expect(engine.evaluate().resolved).toEqual([]);
    clock.advance(31 * MINUTE);
    expect(engine.evaluate().resolved.map((a) => a.rule)).toEqual(['reputation-blocklist']);
  });
});

describe('authentication failures', () => {
  const dmarc = {
    outcome: 'bounced' as const,
    cause: 'authentication',
    enhancedStatus: '5.7.26',
    senderDomain: 'shop.example',
    diagnostic:
      '550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain DMARC policy',
  };

  it('fires on a surge over the usual level and names the sender domain', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    // usually one failure an hour
    engine.ingest(batchOf(spread(24, T0 - 25 * HOUR, T0 - HOUR, { ...dmarc, recipientDomain: 'gmail.com' })));
    engine.ingest(batchOf(spread(9, T0 - 30 * MINUTE, T0, { ...dmarc, recipientDomain: 'gmail.com' })));
    expect(engine.evaluate().opened).toEqual([]); // 9 < minCount 10
    engine.ingest(batchOf(spread(4, T0 - 10 * MINUTE, T0, { ...dmarc, recipientDomain: 'yahoo.com' })));
    const { opened } = engine.evaluate();
    expect(opened.map((a) => a.key)).toEqual(['authentication:all']);
    expect(opened[0]!.evidence.counts['failures']).toBe(13);
    expect(opened[0]!.summary).toMatch(/shop\.example/);
    expect(opened[0]!.evidence.codes).toContain('5.7.26');
  });

  it('does not fire when that many failures are usual', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(batchOf(spread(24 * 15, T0 - 25 * HOUR, T0 - HOUR, dmarc)));
    engine.ingest(batchOf(spread(20, T0 - 30 * MINUTE, T0, dmarc)));
    expect(engine.evaluate().opened).toEqual([]);
  });
});

describe('deferral backlog and expiries', () => {
  const greylist = {
    outcome: 'deferred' as const,
    cause: 'network',
    diagnostic: 'connect to mx.slow.example[203.0.113.9]:25: Connection timed out',
  };

  it('fires when the backlog is large and growing, resolves when it drains', () => {
    const clock = fakeClock(T0 - HOUR);
    const { engine } = engineWith(clock);
    const early = spread(20, T0 - 2 * HOUR, T0 - HOUR, { ...greylist, recipientDomain: 'slow.example' });
    engine.ingest(batchOf(early));
    engine.evaluate(); // history: 20 waiting an hour ago
    clock.set(T0);
    const late = spread(50, T0 - 30 * MINUTE, T0, { ...greylist, recipientDomain: 'slow.example' });
    engine.ingest(batchOf(late));
    const { opened } = engine.evaluate();
    expect(opened.map((a) => a.key)).toEqual(['deferral-backlog']);
    expect(opened[0]!.evidence.counts).toMatchObject({ backlog: 70, backlogBefore: 20 });
    expect(opened[0]!.evidence.domains?.[0]).toEqual({ domain: 'slow.example', count: 70 });
    expect(opened[0]!.evidence.causes[0]!.cause).toBe('network');

    // the same recipients delivered later leave the backlog
    clock.advance(10 * MINUTE);
    engine.ingest(
      batchOf(late.map((a) => ({ ...a, ts: clock.now(), outcome: 'sent' as const, cause: null }))),
    );
    expect(engine.evaluate().resolved.map((a) => a.key)).toEqual(['deferral-backlog']);
  });

  it('does not fire right after start, before it knows how the backlog grew', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(batchOf(spread(100, T0 - 30 * MINUTE, T0, greylist)));
    expect(engine.evaluate().opened).toEqual([]);
  });

  it('reports expiries with the deferral that caused them', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    const waiting = spread(3, T0 - 5 * 24 * HOUR + HOUR, T0 - 5 * 24 * HOUR + 2 * HOUR, {
      ...greylist,
      recipientDomain: 'gone.example',
    });
    engine.ingest(batchOf(waiting));
    engine.ingest(
      batchOf(
        waiting.map((a) =>
          attempt({
            ts: T0 - MINUTE,
            queueId: a.queueId,
            recipient: a.recipient,
            recipientDomain: 'gone.example',
            outcome: 'expired',
            diagnostic: 'message expired',
          }),
        ),
      ),
    );
    const { opened } = engine.evaluate();
    expect(opened.map((a) => a.key)).toEqual(['expiries']);
    expect(opened[0]!.evidence.counts['expired']).toBe(3);
    expect(opened[0]!.summary).toMatch(/^3 recipients expired in the last \d+ min/);
    expect(opened[0]!.evidence.causes[0]!.cause).toBe('network');
    expect(opened[0]!.evidence.examples[0]!.diagnostic).toMatch(/Connection timed out/);
  });
});

describe('inactivity', () => {
  it('fires when a busy server stops delivering and resolves on the next delivery', () => {
    const clock = fakeClock();
    const { engine, sent } = engineWith(clock);
    engine.ingest(batchOf(spread(200, T0 - 10 * HOUR, T0)));
    const last = T0 - Math.floor((10 * HOUR) / 200);
    clock.set(last + 119 * MINUTE);
    expect(engine.evaluate().opened).toEqual([]);
    clock.set(last + 121 * MINUTE);
    engine.ingest(batchOf([], [], 40)); // the log is still being read
    const { opened } = engine.evaluate();
    expect(opened.map((a) => a.key)).toEqual(['inactivity']);
    expect(opened[0]!.evidence.counts['minutesSinceLastDelivery']).toBe(121);
    expect(opened[0]!.evidence.action).toMatch(/40 log lines/);
    clock.advance(MINUTE);
    engine.ingest(batchOf([attempt({ ts: clock.now() })]));
    expect(engine.evaluate().resolved.map((a) => a.key)).toEqual(['inactivity']);
    expect(sent.map((n) => `${n.status}:${n.alert.rule}`)).toEqual([
      'firing:inactivity',
      'resolved:inactivity',
    ]);
  });

  it('stays quiet on a server that rarely sends', () => {
    const clock = fakeClock();
    const { engine } = engineWith(clock);
    engine.ingest(batchOf(spread(10, T0 - 10 * HOUR, T0 - 5 * HOUR)));
    expect(engine.evaluate().opened).toEqual([]);
  });

  it('is evaluated by the timer with no events at all', async () => {
    const clock = fakeClock();
    const bus = createEventBus();
    const rec = recordingNotify();
    const config = testConfig({ alerts: { evaluateSeconds: 5 } });
    const engine = createAlertEngine({
      config,
      bus,
      now: clock.now,
      log: silentLogger(),
      notify: rec.notify,
    });
    vi.useFakeTimers();
    try {
      await engine.start();
      // busy until a minute ago: the evaluation this batch triggers finds nothing
      bus.emitBatch(batchOf(spread(100, T0 - 5 * HOUR, T0 - MINUTE)));
      expect(rec.sent).toEqual([]);
      // three silent hours: no batch arrives, only the timer can notice
      clock.advance(3 * HOUR);
      expect(rec.sent).toEqual([]);
      vi.advanceTimersByTime(5_000);
      expect(rec.sent.map((n) => n.alert.rule)).toEqual(['inactivity']);
    } finally {
      engine.stop();
      vi.useRealTimers();
    }
  });
});

describe('switches', () => {
  it('evaluates nothing when alerts are disabled, and skips a disabled rule', () => {
    const clock = fakeClock();
    const off = engineWith(clock, { alerts: { enabled: false } });
    off.engine.ingest(batchOf(spread(100, T0 - 5 * HOUR, T0 - 3 * HOUR)));
    expect(off.engine.evaluate().opened).toEqual([]);
    const noInactivity = engineWith(clock, { alerts: { inactivity: { enabled: false } } });
    noInactivity.engine.ingest(batchOf(spread(100, T0 - 5 * HOUR, T0 - 3 * HOUR)));
    expect(noInactivity.engine.evaluate().opened).toEqual([]);
    const on = engineWith(clock);
    on.engine.ingest(batchOf(spread(100, T0 - 5 * HOUR, T0 - 3 * HOUR)));
    expect(on.engine.evaluate().opened.map((a) => a.rule)).toEqual(['inactivity']);
  });
});
