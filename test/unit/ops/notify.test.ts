import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../server/alerts/types.js';
import { createNotifier } from '../../../server/alerts/notify/notifier.js';
import { headerText, mailMessage } from '../../../server/alerts/notify/sendmail.js';
import { escapeSlack, slackPayload } from '../../../server/alerts/notify/webhook.js';
import { T0, capturingLogger, testConfig } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-notify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const firing: AlertNotification = {
  status: 'firing',
  alert: {
    id: 7,
    key: 'reputation-blocklist:provider:microsoft',
    rule: 'reputation-blocklist',
    subject: 'provider microsoft',
    severity: 'critical',
    summary:
      'microsoft refuses our mail for reputation or a blocklist (S3150): 4 attempt(s) in the last 60 min',
    evidence: {
      window: { from: T0 - 3_600_000, to: T0 },
      counts: { blocklisted: 4, sent: 10 },
      causes: [{ cause: 'reputation-blocklist', count: 4, action: 'Request delisting.' }],
      examples: [
        {
          ts: T0 - 60_000,
          domain: 'outlook.com',
          provider: 'microsoft',
          code: '5.7.1',
          diagnostic:
            '550 5.7.1 part of their network is on our block list (S3150) <https://evil.example|click here> & more',
        },
      ],
      codes: ['5.7.1', 'S3150'],
      action: 'Request delisting at the provider.',
    },
    openedAt: T0,
    resolvedAt: null,
  },
};

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status = 200, fail = false) {
  const calls: Call[] = [];
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    if (fail) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));
    return Promise.resolve(new Response('ok', { status }));
  };
  return { fetch, calls };
}

const bodyOf = (c: Call): Record<string, unknown> =>
  JSON.parse(c.init.body as string) as Record<string, unknown>;

describe('webhooks', () => {
  it('posts the generic JSON document with headers', async () => {
    const { fetch, calls } = fakeFetch();
    const { log } = capturingLogger();
    const config = testConfig({
      notify: { webhooks: [{ url: 'http://127.0.0.1:9/hook', headers: { authorization: 'Bearer abc' } }] },
    });
    await createNotifier({ config: config.notify, fetch, log, host: 'mx1' })(firing);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/hook');
    expect(calls[0]!.init.method).toBe('POST');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['authorization']).toBe('Bearer abc');
    const body = bodyOf(calls[0]!);
    expect(body).toMatchObject({ version: 1, source: 'bouncewatch', host: 'mx1', status: 'firing' });
    const alert = body['alert'] as Record<string, unknown>;
    expect(alert).toMatchObject({
      id: 7,
      rule: 'reputation-blocklist',
      severity: 'critical',
      resolvedAt: null,
    });
    expect(alert['openedAt']).toBe(new Date(T0).toISOString());
    expect((alert['evidence'] as { codes: string[] }).codes).toEqual(['5.7.1', 'S3150']);
  });

  it('posts a Slack-compatible message with reply text escaped', async () => {
    const { fetch, calls } = fakeFetch();
    const config = testConfig({
      notify: { webhooks: [{ url: 'http://127.0.0.1:9/slack', format: 'slack' }] },
    });
    await createNotifier({ config: config.notify, fetch, log: capturingLogger().log, host: 'mx1' })(firing);
    const body = bodyOf(calls[0]!) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toMatch(/^\[bouncewatch mx1\] FIRING critical: microsoft refuses/);
    expect(body.blocks.length).toBeGreaterThanOrEqual(2);
    const all = JSON.stringify(body.blocks);
    expect(all).toContain('S3150');
    expect(all).toContain('&lt;https://evil.example|click here&gt; &amp; more');
    expect(all).not.toContain('<https://evil.example');
    expect(all).toContain('Request delisting at the provider.');
    expect(escapeSlack('<@U123> & <!channel>')).toBe('&lt;@U123&gt; &amp; &lt;!channel&gt;');
    expect(slackPayload(firing, 'h').text.length).toBeLessThan(300);
  });

  it('logs a refused or failed webhook without throwing, and keeps the secret path out of the log', async () => {
    const refused = fakeFetch(500);
    const cap = capturingLogger();
    const url = 'http://127.0.0.1:9/services/T000/B000/very-secret';
    const config = testConfig({ notify: { webhooks: [{ url }] } });
    await expect(
      createNotifier({ config: config.notify, fetch: refused.fetch, log: cap.log })(firing),
    ).resolves.toBeUndefined();
    const failed = fakeFetch(200, true);
    await expect(
      createNotifier({ config: config.notify, fetch: failed.fetch, log: cap.log })(firing),
    ).resolves.toBeUndefined();
    const lines = cap.lines();
    expect(lines.map((l) => l['msg'])).toEqual(['webhook refused the alert', 'webhook failed']);
    expect(lines[0]!['status']).toBe(500);
    expect(JSON.stringify(lines)).not.toContain('very-secret');
  });

  it('skips resolved notices for targets that do not want them', async () => {
    const { fetch, calls } = fakeFetch();
    const config = testConfig({
      notify: {
        webhooks: [{ url: 'http://127.0.0.1:9/a', sendResolved: false }, { url: 'http://127.0.0.1:9/b' }],
      },
    });
    const notify = createNotifier({ config: config.notify, fetch, log: capturingLogger().log });
    await notify({ status: 'resolved', alert: { ...firing.alert, resolvedAt: T0 + 60_000 } });
    expect(calls.map((c) => c.url)).toEqual(['http://127.0.0.1:9/b']);
    expect(bodyOf(calls[0]!)['status']).toBe('resolved');
  });
});

/** A sendmail stand-in: records its arguments and the message it was given. */
function fakeSendmail(name: string, exitCode = 0): { path: string; args: string; message: string } {
  const path = join(dir, name);
  const args = join(dir, `${name}.args`);
  const message = join(dir, `${name}.eml`);
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${args}'\ncat > '${message}'\necho 'fake sendmail says no' >&2\nexit ${exitCode}\n`,
  );
  chmodSync(path, 0o755);
  return { path, args, message };
}

describe('mail through sendmail', () => {
  it('hands a plain-text message to sendmail -t -oi', async () => {
    const fake = fakeSendmail('sendmail-ok');
    const config = testConfig({
      notify: {
        mail: {
          to: ['postmaster@example.com', 'ops@example.com'],
          from: 'bouncewatch@mx1.example',
          sendmail: fake.path,
        },
      },
    });
    const cap = capturingLogger();
    await createNotifier({ config: config.notify, fetch: fakeFetch().fetch, log: cap.log, host: 'mx1' })(
      firing,
    );
    expect(readFileSync(fake.args, 'utf8')).toBe('-t\n-oi\n');
    const eml = readFileSync(fake.message, 'utf8');
    const head = eml.slice(0, eml.indexOf('\n\n'));
    const body = eml.slice(eml.indexOf('\n\n') + 2);
    expect(head).toMatch(/^From: bouncewatch@mx1\.example$/m);
    expect(head).toMatch(/^To: postmaster@example\.com, ops@example\.com$/m);
    expect(head).toMatch(/^Subject: \[bouncewatch\] FIRING critical: microsoft refuses/m);
    expect(head).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(head).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(body).toContain('S3150');
    expect(body).toContain('Request delisting at the provider.');
    expect(body).toContain('outlook.com 5.7.1 550 5.7.1');
    expect(cap.lines()).toEqual([]);
  });

  it('logs a failing or missing sendmail and never throws', async () => {
    const fake = fakeSendmail('sendmail-fails', 75);
    const cap = capturingLogger();
    const failing = testConfig({ notify: { mail: { to: ['postmaster@example.com'], sendmail: fake.path } } });
    await createNotifier({ config: failing.notify, fetch: fakeFetch().fetch, log: cap.log })(firing);
    const missing = testConfig({
      notify: { mail: { to: ['postmaster@example.com'], sendmail: join(dir, 'nope') } },
    });
    await createNotifier({ config: missing.notify, fetch: fakeFetch().fetch, log: cap.log })(firing);
    const problems = cap.lines().map((l) => String(l['problem']));
    expect(problems[0]).toMatch(/exit status 75: fake sendmail says no/);
    expect(problems[1]).toMatch(/ENOENT/);
  });

  it('keeps headers on one line and encodes non-ASCII subjects', () => {
    expect(headerText('a\r\nBcc: victim@example.com')).toBe('a Bcc: victim@example.com');
    expect(headerText('Zustellung für müller.de')).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    const config = testConfig({ notify: { mail: { to: ['a@example.com'] } } });
    const msg = mailMessage(
      { ...firing, alert: { ...firing.alert, summary: 'x\nBcc: evil@example.com' } },
      config.notify.mail!,
      'h',
    );
    const head = msg.split('\n\n')[0]!;
    expect(head).not.toMatch(/^Bcc:/m);
    expect(head).not.toMatch(/^From:/m); // no from configured: sendmail supplies it
  });
});
