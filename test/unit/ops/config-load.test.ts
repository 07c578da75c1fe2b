import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskConfig, tryLoadConfig } from '../../../server/config-load.js';
import { parseConfig } from '../../../server/config.js';
import { main } from '../../../server/cli/main.js';
import { memoryIo } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults with no file, env or flags', () => {
    const config = loadConfig({ env: {} });
    expect(config.db).toBe('bouncewatch.db');
    expect(config.port).toBe(8550);
    expect(config.bind).toBe('127.0.0.1');
    expect(config.alerts.enabled).toBe(true);
    expect(config.alerts.bounceSpike.minAttempts).toBe(20);
    expect(config.alerts.cooldownMinutes).toBe(60);
    expect(config.notify.webhooks).toEqual([]);
    expect(config.notify.mail).toBeUndefined();
    expect(config.metrics.topProviders).toBe(10);
  });

  it('layers file <- env <- flags, each overriding the one before', () => {
    const file = write(
      'layers.yaml',
      [
        'db: /var/lib/bw/file.db',
        'port: 9000',
        'bind: 127.0.0.2',
        'logs: [/var/log/mail.log]',
        'alerts:',
        '  cooldownMinutes: 15',
        '  bounceSpike:',
        '    minAttempts: 40',
      ].join('\n'),
    );
    const fileOnly = loadConfig({ file, env: {} });
    expect(fileOnly.db).toBe('/var/lib/bw/file.db');
    expect(fileOnly.port).toBe(9000);
    expect(fileOnly.alerts.bounceSpike.minAttempts).toBe(40);
    // untouched siblings keep their defaults
    expect(fileOnly.alerts.bounceSpike.factor).toBe(3);

    const withEnv = loadConfig({
      file,
      env: { BOUNCEWATCH_PORT: '9100', BOUNCEWATCH_DB: '/env.db', BOUNCEWATCH_LOGS: '/a.log, /b.log' },
    });
    expect(withEnv.port).toBe(9100);
    expect(withEnv.db).toBe('/env.db');
    expect(withEnv.bind).toBe('127.0.0.2');
    expect(withEnv.logs).toEqual(['/a.log', '/b.log']);

    const withFlags = loadConfig({
      file,
      env: { BOUNCEWATCH_PORT: '9100', BOUNCEWATCH_DB: '/env.db' },
      flags: { port: '9200', db: undefined, logs: [] },
    });
    expect(withFlags.port).toBe(9200);
    expect(withFlags.db).toBe('/env.db');
    // no positionals: the file's logs stay
    expect(withFlags.logs).toEqual(['/var/log/mail.log']);
    expect(withFlags.alerts.cooldownMinutes).toBe(15);
  });

  it('finds the file through BOUNCEWATCH_CONFIG and reads JSON', () => {
    const file = write('c.json', JSON.stringify({ port: 8600, metrics: { topProviders: 3 } }));
    const config = loadConfig({ env: { BOUNCEWATCH_CONFIG: file } });
    expect(config.port).toBe(8600);
    expect(config.metrics.topProviders).toBe(3);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.alerts.bounceSpike)).toBe(true);
    expect(Object.isFrozen(config.logs)).toBe(true);
  });

  it('reports one message per mistake, naming the path and the source', () => {
    const file = write(
      'bad.yaml',
      [
        'port: 70000',
        'colour: blue',
        'alerts:',
        '  bounceSpike:',
        '    minRate: 2',
        'notify:',
        '  webhooks:',
        '    - url: ftp://example.invalid/hook',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadConfig({ file, env: { BOUNCEWATCH_RETAIN_DAYS: 'soon' } }));
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.startsWith('port:'))).toMatch(/65535.*from .*bad\.yaml/);
    expect(problems.find((p) => p.startsWith('colour:'))).toMatch(/unknown setting.*bad\.yaml/);
    expect(problems.find((p) => p.startsWith('alerts.bounceSpike.minRate:'))).toMatch(/1/);
    expect(problems.find((p) => p.startsWith('notify.webhooks.0.url:'))).toMatch(/http/);
    expect(problems.find((p) => p.startsWith('retainDays:'))).toMatch(/BOUNCEWATCH_RETAIN_DAYS/);
  });

  it('names the flag that carried a bad value', () => {
    const problems = problemsOf(() => loadConfig({ env: {}, flags: { port: '0' } }));
    expect(problems).toEqual([expect.stringMatching(/^port: .*\(from --port\)$/)]);
  });

  it('refuses a non-loopback bind without credentials, accepts it with a token from the environment', () => {
    expect(problemsOf(() => loadConfig({ env: { BOUNCEWATCH_BIND: '0.0.0.0' } }))).toEqual([
      expect.stringMatching(/^bind: refusing to listen on 0\.0\.0\.0/),
    ]);
    const config = loadConfig({
      env: { BOUNCEWATCH_BIND: '0.0.0.0', BOUNCEWATCH_TOKEN: 'a-long-enough-secret-token' },
    });
    expect(config.auth.token).toBe('a-long-enough-secret-token');
  });

  it('reports unreadable and malformed files', () => {
    expect(problemsOf(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }))).toEqual([
      expect.stringMatching(/^--config: cannot read .*missing\.yaml \(ENOENT\)$/),
    ]);
    const broken = write('broken.json', '{"port": ');
    expect(problemsOf(() => loadConfig({ file: broken, env: {} }))[0]).toMatch(/not valid JSON/);
    const list = write('list.yaml', '- a\n- b\n');
    expect(problemsOf(() => loadConfig({ file: list, env: {} }))[0]).toMatch(/mapping/);
  });

  it('adds webhooks and mail targets from the environment', () => {
    const file = write('hooks.yaml', 'notify:\n  webhooks:\n    - url: https://hooks.example.com/a\n');
    const config = loadConfig({
      file,
      env: {
        BOUNCEWATCH_SLACK_WEBHOOK_URL: 'https://hooks.example.com/services/T/B/secret',
        BOUNCEWATCH_ALERT_MAIL_TO: 'postmaster@example.com,ops@example.com',
        BOUNCEWATCH_SENDMAIL: '/usr/local/sbin/sendmail',
      },
    });
    expect(config.notify.webhooks.map((w) => [w.url, w.format])).toEqual([
      ['https://hooks.example.com/a', 'json'],
      ['https://hooks.example.com/services/T/B/secret', 'slack'],
    ]);
    expect(config.notify.mail?.to).toEqual(['postmaster@example.com', 'ops@example.com']);
    expect(config.notify.mail?.sendmail).toBe('/usr/local/sbin/sendmail');
    expect(config.notify.mail?.args).toEqual(['-t', '-oi']);
  });

  it('masks secrets for printing', () => {
    const config = loadConfig({
      env: {
        BOUNCEWATCH_TOKEN: 'a-long-enough-secret-token',
        BOUNCEWATCH_SLACK_WEBHOOK_URL: 'https://hooks.example.com/services/T/B/secret',
      },
    });
    const text = JSON.stringify(maskConfig(config));
    expect(text).not.toContain('a-long-enough-secret-token');
    expect(text).not.toContain('secret');
    expect(text).toContain('https://hooks.example.com/');
  });

  it('keeps parseConfig throwing one line per problem', () => {
    expect(() => parseConfig({ port: 'x', bind: '' })).toThrow(/^port: .*\nbind: /);
    expect(tryLoadConfig({ env: {} }).ok).toBe(true);
  });
});

async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const t = memoryIo('', env);
  const code = await main(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

describe('bouncewatch check-config', () => {
  it('prints config OK and the masked effective config', async () => {
    const file = write('ok.yaml', 'port: 8551\nauth:\n  token: another-long-secret-value\n');
    const { code, out } = await runCli(['check-config', '--config', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/^config OK/);
    expect(out).toMatch(/^ {2}"port": 8551,$/m);
    expect(out).not.toContain('another-long-secret-value');
  });

  it('prints one JSON object and nothing else with --json', async () => {
    const file = write('ok-json.yaml', 'port: 8552\nauth:\n  token: another-long-secret-value\n');
    const { code, out } = await runCli(['check-config', '--config', file, '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(out) as {
      ok: boolean;
      file: string;
      config: { port: number; auth: { token: string } };
      ownDomains: unknown[];
      learnedFrom: { read: boolean; reason?: string };
      internalRelays: string[];
      warnings: string[];
    };
    expect(printed).toMatchObject({ ok: true, file, internalRelays: [], warnings: [] });
    expect(printed.config.port).toBe(8552);
    expect(printed.config.auth.token).toBe('********');
    expect(printed.learnedFrom).toMatchObject({ read: false, reason: 'no database yet' });
  });

  it('prints the mistakes as JSON with --json and exits 1', async () => {
    const file = write('bad-json.yaml', 'port: -1\n');
    const { code, out, err } = await runCli(['check-config', '--config', file, '--json']);
    expect(code).toBe(1);
    const printed = JSON.parse(out) as { ok: boolean; problems: { path: string; message: string }[] };
    expect(printed.ok).toBe(false);
    expect(printed.problems.map((p) => p.path)).toEqual(['port']);
    expect(err).toMatch(/1 problem/);
  });

  it('says which domains are ours and why, from the config and the database, and the internal relays', async () => {
    const db = join(dir, 'flows.db');
    const log = write(
      'mail.log',
      [
        'Nov 28 10:00:00 mx1 postfix/lmtp[1]: 1A2B3C4D5E: to=<kim@example.org>, relay=store.example.org[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <kim@example.org> Saved)',
        '',
      ].join('\n'),
    );
    expect((await runCli(['ingest', '--db', db, log])).code).toBe(0);
    const file = write(
      'flows.yaml',
      `db: ${db}\nownDomains: [partner.example, "!forged.example"]\ninternalRelays: [filter.example.org]\n`,
    );
    const { code, out } = await runCli(['check-config', '--config', file]);
    expect(code).toBe(0);
    const flows = out.slice(out.indexOf('\n\nOwn domains'));
    expect(flows).toMatch(/^ {2}example\.org: delivered by LMTP to a mail store, 1 time$/m);
    expect(flows).toMatch(/^ {2}partner\.example: named in the config \(ownDomains\)$/m);
    expect(flows).toMatch(/^ {2}forged\.example: not ours/m);
    expect(flows).toMatch(/Internal relays .*\n {2}filter\.example\.org$/m);
    // The same facts as fields of the JSON.
    const asJson = await runCli(['check-config', '--config', file, '--json']);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.out)).toMatchObject({
      ownDomains: expect.arrayContaining([
        { domain: 'example.org', why: 'delivered by LMTP to a mail store, 1 time', source: 'learned' },
        { domain: 'partner.example', why: 'named in the config (ownDomains)', source: 'config' },
      ]) as unknown,
      notOurs: ['forged.example'],
      learnedFrom: { db, read: true },
      internalRelays: ['filter.example.org'],
    });
  });

  it('lists the mistakes and exits 1', async () => {
    const file = write('two-bad.yaml', 'port: -1\nlogLevel: loud\n');
    const { code, err } = await runCli(['check-config', '--config', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/2 problem/);
    expect(err).toMatch(/port:/);
    expect(err).toMatch(/logLevel:/);
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCli(['check-config', '--nope'])).code).toBe(2);
    expect((await runCli(['check-config', '--port', 'abc'])).code).toBe(2);
  });

  it('warns about unreadable logs without failing', async () => {
    const { code, err } = await runCli(['check-config', join(dir, 'no-such.log')]);
    expect(code).toBe(0);
    expect(err).toMatch(/warning: logs\.0: cannot read/);
  });
});
