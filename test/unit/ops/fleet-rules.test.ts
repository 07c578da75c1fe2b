import { describe, expect, it } from 'vitest';
import { hostSilenceRule, logLossRule, type FleetFacts } from '../../../server/alerts/rules-fleet.js';
import type { RuleContext } from '../../../server/alerts/rules-traffic.js';
import { HOUR, MINUTE, T0, testConfig } from './helpers.js';

/** The parts of a rule context the fleet rules read. */
const contextOf = (fleet: FleetFacts, open: string[] = []) =>
  ({
    now: T0,
    config: testConfig({}).alerts,
    open: new Map(open.map((k) => [k, { openedAt: T0 - HOUR }])),
    fleet,
  }) as unknown as RuleContext;

describe('host-silent', () => {
  const busy = { host: 'mx1.example.org', lastSentTs: T0 - 2 * MINUTE, sent: 900 };

  it('names the host that stopped delivering while the others go on', () => {
    const quiet = { host: 'relay.example.org', lastSentTs: T0 - 90 * MINUTE, sent: 400 };
    const findings = hostSilenceRule(contextOf({ hosts: [busy, quiet], losses: [] }));
    expect(findings.map((f) => [f.key, f.subject])).toEqual([
      ['host-silent:relay.example.org', 'host relay.example.org'],
    ]);
    expect(findings[0]!.summary).toBe(
      'relay.example.org delivered nothing for 90 min; 400 deliveries in the last 24 h',
    );
    expect(findings[0]!.evidence.window.from).toBe(quiet.lastSentTs);
  });

  it('stays quiet for a host that rarely sends, a short pause, and a single server', () => {
    const rare = { host: 'rare.example.org', lastSentTs: T0 - 5 * HOUR, sent: 3 };
    const pause = { host: 'mx2.example.org', lastSentTs: T0 - 20 * MINUTE, sent: 500 };
    expect(hostSilenceRule(contextOf({ hosts: [busy, rare, pause], losses: [] }))).toEqual([]);
    const alone = { host: 'mx1.example.org', lastSentTs: T0 - 5 * HOUR, sent: 900 };
    expect(hostSilenceRule(contextOf({ hosts: [alone], losses: [] }))).toEqual([]);
  });

  it('keeps an open alert open while the host stays quiet, however little it sent before', () => {
    const rare = { host: 'rare.example.org', lastSentTs: T0 - 5 * HOUR, sent: 3 };
    const findings = hostSilenceRule(
      contextOf({ hosts: [busy, rare], losses: [] }, ['host-silent:rare.example.org']),
    );
    expect(findings.map((f) => f.key)).toEqual(['host-silent:rare.example.org']);
  });
});

describe('log-lost', () => {
  const loss = {
    host: 'mx3.example.org',
    path: '/var/log/mail.log',
    lostBytes: 3 * 1024 * 1024,
    lostFrom: Date.UTC(2026, 10, 28, 4, 0),
    detectedAt: T0 - HOUR,
  };

  it('says how much was lost, where and from when, and resolves once it is older than keepHours', () => {
    const [f] = logLossRule(contextOf({ hosts: [], losses: [loss] }));
    expect(f!.summary).toBe(
      'At least 3.0 MiB of /var/log/mail.log on mx3.example.org were rotated away unread; lines from 2026-11-28T04:00:00.000Z on are missing',
    );
    expect(f!.evidence.counts).toEqual({ lostBytes: 3 * 1024 * 1024 });
    expect(logLossRule(contextOf({ hosts: [], losses: [{ ...loss, detectedAt: T0 - 25 * HOUR }] }))).toEqual(
      [],
    );
  });

  it('says when the amount is not known', () => {
    const [f] = logLossRule(contextOf({ hosts: [], losses: [{ ...loss, lostBytes: 0 }] }));
    expect(f!.summary).toMatch(
      /was rotated away before it was read to its end; lines logged from .* may be missing/,
    );
  });
});
