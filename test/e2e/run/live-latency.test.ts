// A line appended to a followed log shows up through the API while the process runs, no restart.
// The 2-second target itself is a timing figure: it is measured and printed, not asserted tightly,
// so a loaded machine does not make the suite flaky.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exitCode, freePort, startCli, waitForOutput } from '../../helpers/cli.js';

const stamp = (d: Date) => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${months[d.getMonth()]!} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

const bounce = (qid: string, to: string) =>
  `${stamp(new Date())} mx1 postfix/smtp[4242]: ${qid}: to=<${to}>, relay=mx.example.net[192.0.2.9]:25, delay=1.2, ` +
  `delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.9] said: 550 5.1.1 <${to}>: ` +
  `Recipient address rejected: User unknown (in reply to RCPT TO command))\n`;

interface TraceBody {
  messages: unknown[];
}

describe('live latency', () => {
  beforeAll(() => {
    ensureBuilt();
  }, 300_000);

  it('shows a line appended to the followed log through the API while running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-live-'));
    const log = join(dir, 'mail.log');
    writeFileSync(log, bounce('1A2B3C4D5E', 'first@example.net'));
    const port = await freePort();
    const child = startCli(['run', '--port', String(port), '--db', join(dir, 'bw.db'), log], { cwd: dir });
    const [, url] = await waitForOutput(child, /dashboard on (http:\/\/\S+)/);
    await waitForOutput(child, /caught up: 1 lines read/);

    const seen = async (to: string) => {
      const res = await fetch(`${url!}api/v1/trace?q=${encodeURIComponent(to)}`);
      return res.ok && ((await res.json()) as TraceBody).messages.length > 0;
    };
    expect(await seen('first@example.net')).toBe(true);

    const appendedAt = Date.now();
    appendFileSync(log, bounce('6F7A8B9C0D', 'second@example.net'));
    let latency = Infinity;
    while (Date.now() - appendedAt < 5000) {
      if (await seen('second@example.net')) {
        latency = Date.now() - appendedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(143);
    expect(latency).toBeLessThan(5000);
    process.stderr.write(`live latency: ${latency} ms from append to API answer\n`);
  }, 60_000);
});
