// The sender-spike alert on generated traffic through the real ingest: a compromised SASL account fires one alert
// naming it; the same volume spread over normal senders fires none.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../../server/alerts/engine.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { recordingNotify, testConfig } from '../../unit/ops/helpers.js';
import { setup, type Env } from '../ingest/helpers.js';

const START = Date.UTC(2026, 10, 23, 14, 0, 0);

function stamp(ms: number): string {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${mon} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** `n` messages over ten minutes; `who(i)` names the SASL user and `fate(i)` what the recipient's server said. */
function traffic(
  n: number,
  who: (i: number) => string,
  fate: (i: number) => 'sent' | 'unknown' | 'spam',
): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = START + Math.floor((i * 600_000) / n);
    const h = `${stamp(t)} mx1`;
    const id = (0xa00000000 + i).toString(16).toUpperCase();
    const user = who(i);
    const rcpt = `r${i}@dest${i % 40}.example`;
    lines.push(
      `${h} postfix/submission/smtpd[${100 + (i % 7)}]: ${id}: client=unknown[198.51.100.${(i % 3) + 7}], sasl_method=LOGIN, sasl_username=${user}`,
    );
    lines.push(`${h} postfix/qmgr[50]: ${id}: from=<${user}>, size=3000, nrcpt=1 (queue active)`);
    const f = fate(i);
    const relay = `relay=mx.dest${i % 40}.example[192.0.2.${(i % 40) + 1}]:25, delay=1, delays=0/0/0/1`;
    if (f === 'sent')
      lines.push(
        `${h} postfix/smtp[60]: ${id}: to=<${rcpt}>, ${relay}, dsn=2.0.0, status=sent (250 2.0.0 OK)`,
      );
    else if (f === 'unknown')
      lines.push(
        `${h} postfix/smtp[60]: ${id}: to=<${rcpt}>, ${relay}, dsn=5.1.1, status=bounced (host mx.dest.example[192.0.2.1] said: 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown (in reply to RCPT TO command))`,
      );
    else
      lines.push(
        `${h} postfix/smtp[60]: ${id}: to=<${rcpt}>, ${relay}, dsn=5.7.1, status=bounced (host mx.dest.example[192.0.2.1] said: 554 5.7.1 Message rejected as spam by Content Filtering (in reply to end of DATA command))`,
      );
    lines.push(`${h} postfix/qmgr[50]: ${id}: removed`);
  }
  return `${lines.join('\n')}\n`;
}

async function alertsFor(env: Env, log: string) {
  const file = join(env.dir, 'mail.log');
  writeFileSync(file, log);
  await env.ingest.ingestFiles([file], { year: 2026 });
  const rec = recordingNotify();
  const engine = createAlertEngine({
    config: testConfig(),
    bus: createEventBus(),
    now: () => START + 600_000,
    log: silentLogger(),
    notify: rec.notify,
  });
  for (const b of env.batches) engine.ingest(b);
  return engine.evaluate().opened.filter((a) => a.rule === 'sender-spike');
}

describe('sender-spike alert', () => {
  let env: Env | null = null;
  afterEach(() => env?.cleanup());

  it('fires once for one SASL user sending 5,000 messages in ten minutes to mostly unknown addresses', async () => {
    env = setup('bw-spike-');
    const fired = await alertsFor(
      env,
      traffic(
        5_000,
        () => 'info@example.org',
        (i) => (i % 10 < 7 ? 'unknown' : i % 10 === 7 ? 'spam' : 'sent'),
      ),
    );
    expect(fired).toHaveLength(1);
    expect(fired[0]?.subject).toBe('SASL user info@example.org');
    expect(fired[0]?.evidence.counts).toMatchObject({
      messages: 5_000,
      unknown: 3_500,
      spam: 500,
      sent: 1_000,
    });
    expect(fired[0]?.evidence.senders?.[0]?.clientIps.sort()).toEqual([
      '198.51.100.7',
      '198.51.100.8',
      '198.51.100.9',
    ]);
    expect(fired[0]?.evidence.examples[0]?.diagnostic).toMatch(/@dest\d+\.example: 55\d 5\.\d\.1/);
  });

  it('fires none for the same volume spread over fifty normal senders', async () => {
    env = setup('bw-spike-');
    const fired = await alertsFor(
      env,
      traffic(
        5_000,
        (i) => `user${i % 50}@example.org`,
        (i) => (i % 50 === 0 ? 'unknown' : 'sent'),
      ),
    );
    expect(fired).toEqual([]);
  });
});
