// The pure parts of the HTTP guards: the login backoff, loopback by resolution, Host names, the new settings.
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, resolveBindScope } from '../../../server/bind-scope.js';
import { checkBind, parseConfig, validateConfig } from '../../../server/config.js';
import { allowsHost, hostName, hostPolicy } from '../../../server/http/host-check.js';
import { createLoginThrottle } from '../../../server/http/login-throttle.js';
import { main } from '../../../server/cli/main.js';
import { memoryIo } from '../../helpers/cli.js';

describe('login throttle', () => {
  it('lets five failures through, then doubles the wait from one second up to fifteen minutes', () => {
    let t = 0;
    const throttle = createLoginThrottle({ freeFailures: 5, now: () => t });
    const waits: number[] = [];
    for (let i = 0; i < 16; i++) {
      t += (throttle.waitSeconds('a') + 1) * 1000; // each try comes after its wait is over
      expect(throttle.waitSeconds('a')).toBe(0);
      throttle.failed('a');
      waits.push(throttle.waitSeconds('a'));
    }
    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
    expect(throttle.waitSeconds('b')).toBe(0);
  });

  it('forgets a client after a success, or after fifteen quiet minutes', () => {
    let t = 0;
    const throttle = createLoginThrottle({ freeFailures: 1, now: () => t });
    throttle.failed('a');
    throttle.failed('a');
    expect(throttle.waitSeconds('a')).toBe(1);
    throttle.succeeded('a');
    expect(throttle.waitSeconds('a')).toBe(0);
    throttle.failed('a');
    t += 16 * 60_000;
    throttle.failed('a');
    expect(throttle.waitSeconds('a')).toBe(0); // the first failure was forgotten: this one is free again
  });

  it('remembers a bounded number of clients, dropping the longest quiet', () => {
    let t = 0;
    const throttle = createLoginThrottle({ freeFailures: 0, now: () => t, maxClients: 3 });
    for (const c of ['a', 'b', 'c', 'd']) {
      t += 1;
      throttle.failed(c);
    }
    expect(['a', 'b', 'c', 'd'].map((c) => throttle.waitSeconds(c) > 0)).toEqual([false, true, true, true]);
  });
});

describe('loopback by resolution', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['127.example.org', false],
  ])('%s is loopback: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  const lookup = (table: Record<string, string[]>) => (name: string) =>
    table[name]
      ? Promise.resolve(table[name].map((address) => ({ address })))
      : Promise.reject(new Error('ENOTFOUND'));
  const names = lookup({
    localhost: ['127.0.0.1', '::1'],
    myhost: ['127.0.1.1'],
    '127.example.org': ['203.0.113.5'],
    'split.example': ['127.0.0.1', '203.0.113.6'],
  });

  it('a name is loopback when every address it resolves to is', async () => {
    expect((await resolveBindScope('localhost', names)).loopback).toBe(true);
    expect((await resolveBindScope('myhost', names)).loopback).toBe(true);
    expect(await resolveBindScope('127.example.org', names)).toEqual({
      loopback: false,
      addresses: ['203.0.113.5'],
    });
    expect((await resolveBindScope('split.example', names)).loopback).toBe(false);
    expect((await resolveBindScope('nowhere.invalid', names)).loopback).toBe(false);
  });

  it('a name that reaches beyond loopback needs credentials, however it is spelt', async () => {
    const bare = parseConfig({ bind: '127.example.org' });
    expect((await checkBind(bare, names)).problem?.message).toBe(
      'refusing to listen on 127.example.org (resolves to 203.0.113.5) without credentials (set auth.token or auth.user and auth.password)',
    );
    expect(await checkBind(parseConfig({ bind: 'localhost' }), names)).toEqual({
      loopback: true,
      problem: null,
    });
    const withToken = parseConfig({ bind: '127.example.org', auth: { token: 'a-very-long-secret-token' } });
    expect(await checkBind(withToken, names)).toEqual({ loopback: false, problem: null });
    expect(validateConfig({ bind: '0.0.0.0' }).ok).toBe(false);
    expect(validateConfig({ bind: '::ffff:127.0.0.1' }).ok).toBe(true);
  });
});

describe('Host names', () => {
  it('reads the name of a Host header', () => {
    expect(hostName('Dash.Example.org:8443')).toBe('dash.example.org');
    expect(hostName('example.org.')).toBe('example.org');
    expect(hostName('[::1]:8550')).toBe('[::1]');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
  });

  it('takes the policy from the bind and the credentials', () => {
    const token = { token: 'a-very-long-secret-token' };
    const bind = '127.0.0.1';
    expect(hostPolicy({ auth: {}, allowedHosts: [], bind }, true).any).toBe(false);
    expect(hostPolicy({ auth: token, allowedHosts: [], bind }, true).any).toBe(false);
    expect(hostPolicy({ auth: token, allowedHosts: [], bind: '0.0.0.0' }, false).any).toBe(true);
    const lan = hostPolicy({ auth: token, allowedHosts: ['a.example'], bind: '192.0.2.5' }, false);
    expect(lan.any).toBe(false);
    expect(['a.example', '192.0.2.5:8550', '192.0.2.6', 'b.example'].map((h) => allowsHost(lan, h))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const v6 = hostPolicy({ auth: token, allowedHosts: ['a.example'], bind: '2001:DB8::5' }, false);
    expect(allowsHost(v6, '[2001:db8::5]:8550')).toBe(true);
    expect(hostPolicy({ auth: token, allowedHosts: ['a.example'], bind: '0.0.0.0' }, false).names).toEqual([
      'a.example',
    ]);
    expect(allowsHost({ any: false, names: [] }, '127.0.0.1:1')).toBe(true);
    expect(allowsHost({ any: false, names: [] }, '127.0.0.1.nip.io')).toBe(false);
  });
});

describe('settings', () => {
  it('validates allowedHosts, trustedProxies and limits', () => {
    const ok = parseConfig({
      allowedHosts: ['Dash.Example.org', '.corp.example'],
      trustedProxies: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'],
      limits: { streamsPerClient: 4 },
    });
    expect(ok.allowedHosts).toEqual(['dash.example.org', '.corp.example']);
    expect(ok.limits).toEqual({
      requestsPerMinute: 1200,
      streamsPerClient: 4,
      streamsTotal: 200,
      loginFailures: 5,
    });
    const bad = validateConfig({
      allowedHosts: ['http://x.example/'],
      trustedProxies: ['proxy.example'],
      limits: { streamsTotal: 0 },
    });
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual([
      'allowedHosts.0',
      'trustedProxies.0',
      'limits.streamsTotal',
    ]);
  });

  it('check-config shows them, set from the environment', async () => {
    const m = memoryIo('', {
      BOUNCEWATCH_ALLOWED_HOSTS: 'dash.example.org, .corp.example',
      BOUNCEWATCH_TRUSTED_PROXIES: '10.0.0.0/8',
    });
    expect(await main(['check-config', '--json'], m.io)).toBe(0);
    const shown = (JSON.parse(m.out()) as { config: Record<string, unknown> }).config;
    expect(shown).toMatchObject({
      allowedHosts: ['dash.example.org', '.corp.example'],
      trustedProxies: ['10.0.0.0/8'],
      limits: { streamsPerClient: 10, streamsTotal: 200 },
    });
  });
});
