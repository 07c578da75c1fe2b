// Alerts judge what the start-up catch-up read: bounces of the last minutes naming a blocklist raise an alert
// once the catch-up is done, with no new line; the same bounces hours old raise none.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queueId, syslogStamp } from '../../fixtures/ingest/lines.js';
import { ensureBuilt, exitCode, freePort, startCli, waitForOutput } from '../../helpers/cli.js';

let dir: string;
beforeAll(() => ensureBuilt());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-catch-up-alerts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A bounce refused by a blocklist, to a domain of its own. */
function blocked(n: number, ms: number, domain: string, list: string): string {
  return (
    `${syslogStamp(ms)} mx1 postfix/smtp[${3000 + (n % 90)}]: ${queueId(n)}: to=<user${n}@${domain}>, ` +
    `relay=mx.${domain}[192.0.2.44]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.1, status=bounced ` +
    `(host mx.${domain}[192.0.2.44] said: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked ` +
    `using ${list}; https://www.spamhaus.org/query/ip/203.0.113.5 (in reply to RCPT TO command))`
  );
}

function sent(n: number, ms: number): string {
  return (
    `${syslogStamp(ms)} mx1 postfix/smtp[${2000 + (n % 90)}]: ${queueId(n)}: to=<user${n}@example.net>, ` +
    `relay=mx.example.net[198.51.100.25]:25, delay=0.4, delays=0.1/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)`
  );
}

interface AlertsBody {
  open: { rule: string; subject: string }[];
}

describe('alerts after the catch-up', () => {
  it('judge the windows the catch-up filled, and never lines older than the window', async () => {
    const now = Date.now();
    const lines: string[] = [];
    // A day of other traffic first, so the catch-up takes several batches.
    for (let i = 0; i < 20_000; i++) lines.push(sent(5000 + i, now - 26 * 3_600_000 + i * 4000));
    // Three hours ago, bl.example.net blocked mail to old.example.org: outside every window of the rule.
    for (let i = 0; i < 50; i++)
      lines.push(blocked(i, now - 3 * 3_600_000 + i * 1000, 'old.example.org', 'bl.example.net'));
    // In the last five minutes, zen.spamhaus.org blocked 300 to new.example.org.
    for (let i = 0; i < 300; i++)
      lines.push(blocked(1000 + i, now - 300_000 + i * 1000, 'new.example.org', 'zen.spamhaus.org'));
    const log = join(dir, 'mail.log');
    writeFileSync(log, lines.join('\n') + '\n');
    // Evaluated on batches and now after the catch-up; the hourly timer must not be what finds it.
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ alerts: { evaluateSeconds: 3600 } }));
    const port = await freePort();
    const child = startCli(
      ['run', '--port', String(port), '--db', join(dir, 'bw.db'), '--config', config, log],
      {
        cwd: dir,
        env: { TZ: 'UTC' },
      },
    );
    try {
      await waitForOutput(child, /caught up/);
      let body: AlertsBody = { open: [] };
      for (let i = 0; i < 200 && body.open.length === 0; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/alerts`)).json()) as AlertsBody;
      }
      const opened = body.open.map((a) => `${a.rule} ${a.subject}`);
      expect(opened).toContain('reputation-blocklist domain new.example.org');
      expect(opened.filter((a) => a.includes('old.example.org'))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await exitCode(child);
    }
  });
});
