/** Ingest keeps hops, waits and what is counted apart out of the deliveries, and stores the facts of own domains. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { setup, type Env } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/logs');

let env: Env;
beforeEach(() => {
  env = setup();
});
afterEach(() => env.cleanup());

const byOutcome = (e: Env) =>
  Object.fromEntries(
    e.db
      .prepare<[], { outcome: string; n: number }>(
        'SELECT outcome, SUM(count) AS n FROM rollups_day GROUP BY outcome',
      )
      .all()
      .map((r) => [r.outcome, r.n]),
  );

describe('flows at ingest', () => {
  it('stores a content filter hand-over as a hop joined to the re-queued life, never as a send', async () => {
    await env.ingest.ingestFiles([join(FIXTURES, 'gateway-content-filter/mail.log')]);
    const counts = byOutcome(env);
    expect(counts['hop']).toBeGreaterThan(0);
    const hops = env.db
      .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM attempts WHERE flags & 1')
      .get()!.n;
    expect(counts['hop']).toBe(hops);
    // Each re-queued life names the life it came from.
    const joined = env.db
      .prepare<[], { n: number }>(
        `SELECT COUNT(*) AS n FROM messages c JOIN messages p ON p.queue_id = c.hop_of AND p.host = c.host`,
      )
      .get()!.n;
    expect(joined).toBeGreaterThan(0);
  });

  it('counts Exim retry waits and discards apart, and learns a domain delivered by a local transport', async () => {
    await env.ingest.ingestFiles([join(FIXTURES, 'exim-host/mainlog')]);
    const counts = byOutcome(env);
    expect(counts['wait']).toBeGreaterThan(0);
    expect(counts['discarded']).toBeGreaterThan(0);
    const facts = env.db
      .prepare<[], { domain: string }>('SELECT DISTINCT domain FROM domain_facts WHERE fact = 5')
      .all();
    expect(facts.length).toBeGreaterThan(0);
  });

  it('keeps the outside clients of an MX and the domains they wrote to, never loopback or private ones', async () => {
    await env.ingest.ingestFiles([join(FIXTURES, 'mx-refuses-spam/mail.log')]);
    const ips = env.db
      .prepare<[], { client_ip: string }>('SELECT DISTINCT client_ip FROM client_domains')
      .all()
      .map((r) => r.client_ip);
    expect(ips.length).toBeGreaterThanOrEqual(3);
    for (const ip of ips) expect(ip).not.toMatch(/^(127\.|10\.|192\.168\.|::1$)/);
  });

  it("counts Postfix's suspended destinations as waits and a filter's discard apart, never as attempts", async () => {
    const log = join(env.dir, 'mail.log');
    const at = (s: number) => `Nov 28 10:${String(s).padStart(2, '0')}:00 gw2`;
    writeFileSync(
      log,
      [
        `${at(0)} postfix/qmgr[1]: 1A2B3C4D5E: from=<ann@example.com>, size=900, nrcpt=1 (queue active)`,
        `${at(0)} postfix/smtp[2]: 1A2B3C4D5E: to=<kim@far.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.far.example[192.0.2.9]:25: Connection timed out)`,
        `${at(1)} postfix/qmgr[1]: 2B3C4D5E6F: from=<ann@example.com>, size=900, nrcpt=1 (queue active)`,
        `${at(1)} postfix/error[3]: 2B3C4D5E6F: to=<lee@far.example>, relay=none, delay=0.1, delays=0/0/0/0.1, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mx.far.example[192.0.2.9]:25: Connection timed out)`,
        `${at(2)} postfix/error[3]: 2B3C4D5E6F: to=<mo@far.example>, relay=none, delay=0.1, delays=0/0/0/0.1, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mx.far.example[192.0.2.9]:25: Connection timed out)`,
        `${at(3)} postfix/qmgr[1]: 3C4D5E6F7A: from=<x@example.net>, size=900, nrcpt=1 (queue active)`,
        `${at(3)} postfix/smtp[2]: 3C4D5E6F7A: to=<ann@example.com>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.7.0, status=sent (250 2.7.0 Ok, discarded, id=04412-01 - INFECTED: Eicar-Test-Signature)`,
        `${at(3)} postfix/qmgr[1]: 3C4D5E6F7A: removed`,
        '',
      ].join('\n'),
    );
    await env.ingest.ingestFiles([log]);
    const counts = byOutcome(env);
    expect(counts).toMatchObject({ deferred: 1, wait: 2, discarded: 1 });
    expect(counts['sent']).toBeUndefined();
  });

  it("stores this server's own faults under the local causes, and none of them as a dead address", async () => {
    await env.ingest.ingestFiles([join(FIXTURES, 'local-faults/mail.log')]);
    const byCause = Object.fromEntries(
      env.db
        .prepare<[], { cause: string; n: number }>(
          `SELECT cause, SUM(count) AS n FROM rollups_day WHERE outcome IN ('deferred', 'bounced', 'expired')
            GROUP BY cause`,
        )
        .all()
        .map((r) => [r.cause, r.n]),
    );
    // Full maildirs, a missing transport and a routing loop, and DNS failures for domains mail reached later.
    expect(byCause).toMatchObject({ 'local-disk': 2, 'local-config': 2, 'local-dns': 2 });
    // A domain nothing reached stays the remote verdict it was.
    expect(byCause['domain-invalid']).toBe(1);
    const dead = env.db
      .prepare<[], { recipient: string }>('SELECT recipient FROM attempts WHERE hard_bounce = 1')
      .all()
      .map((r) => r.recipient);
    expect(dead).toEqual(['nobody@nxdomain.example']);
    // Our smtpd refused mail while our queue was full: our fault, not the client's.
    const refused = env.db
      .prepare<[], { cause: string }>('SELECT DISTINCT cause FROM rejects')
      .all()
      .map((r) => r.cause);
    expect(refused).toEqual(['local-disk']);
  });

  it('takes a hand-over to a content filter the config names on another host as a hop, as on loopback', async () => {
    const log = join(env.dir, 'relay.log');
    const H = 'Nov 28 10:00:00 gw3';
    writeFileSync(
      log,
      [
        `${H} postfix/qmgr[1]: 1A2B3C4D5E: from=<ann@example.net>, size=900, nrcpt=1 (queue active)`,
        `${H} postfix/smtp[2]: 1A2B3C4D5E: to=<kim@example.com>, relay=filter.example.org[10.0.0.7]:10024, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2B3C4D5E6F)`,
        `${H} postfix/qmgr[1]: 1A2B3C4D5E: removed`,
        `${H} postfix/qmgr[1]: 2B3C4D5E6F: from=<ann@example.net>, size=1100, nrcpt=1 (queue active)`,
        `${H} postfix/smtp[2]: 2B3C4D5E6F: to=<kim@example.com>, relay=mx.example.com[192.0.2.4]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.4] said: 550 5.1.1 User unknown (in reply to RCPT TO command))`,
        `${H} postfix/qmgr[1]: 2B3C4D5E6F: removed`,
        '',
      ].join('\n'),
    );
    const ingest = createIngest({
      store: createSqliteWriter(env.db),
      log: silentLogger(),
      bus: createEventBus(),
      internalRelays: ['Filter.Example.org'],
    });
    await ingest.ingestFiles([log]);
    const counts = byOutcome(env);
    expect(counts).toMatchObject({ hop: 1, bounced: 1 });
    expect(counts['sent']).toBeUndefined();
  });
});
