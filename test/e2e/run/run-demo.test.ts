// The first-run path of the README: `bouncewatch run` with no readable mail log serves the demo,
// and the report over its database shows the demo's mail.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exitCode, freePort, runCli, startCli, waitForOutput } from '../../helpers/cli.js';

const readable = (path: string) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

interface ReportJson {
  totals: Record<'sent' | 'deferred' | 'bounced' | 'expired' | 'rejected', number>;
  domains: { domain: string; sent: number }[];
}

describe('bouncewatch run (demo mode)', () => {
  beforeAll(() => {
    ensureBuilt();
  }, 300_000);

  it('serves a populated dashboard and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-run-'));
    const port = await freePort();
    const child = startCli(['run', '--demo', '--port', String(port)], { cwd: dir });
    // The command the banner suggests is one that runs from here (this folder is not the project's).
    const [, tried] = await waitForOutput(child, /\(try: (.+)\)$/m);
    expect(tried).toMatch(/^node \S+bin\.js report --all --format md --db bouncewatch-demo\.db$/);
    const [, url] = await waitForOutput(child, /dashboard on (http:\/\/\S+)/);
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>');

    // Ingest reads the demo history behind the server and says when it has caught up.
    await waitForOutput(child, /caught up: (\d+) lines read/, 60_000);
    // The overview queries are asked once after start, so the first visitor finds them warm.
    await waitForOutput(child, /dashboard queries warmed up/, 60_000);
    const health = await fetch(`${url!}api/v1/health`);
    expect(health.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(143);

    const report = runCli(['report', '--all', '--format', 'json', '--db', 'bouncewatch-demo.db'], {
      cwd: dir,
    });
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as ReportJson;
    expect(json.totals.sent).toBeGreaterThan(5000);
    expect(json.totals.bounced).toBeGreaterThan(50);
    expect(json.totals.deferred).toBeGreaterThan(100);
    expect(json.domains.map((d) => d.domain)).toContain('gmail.com');

    const suggested = spawnSync('sh', ['-c', tried!], { cwd: dir, encoding: 'utf8' });
    expect(suggested.status).toBe(0);
    expect(suggested.stdout).toMatch(/^# Deliverability report: all data/);
  }, 120_000);

  it('never points the demo at a database the user named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-run-'));
    const named = runCli(['run', '--demo', '--db', 'mine.db'], { cwd: dir });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('--demo keeps its own database');
    // Where the system log is readable, run would follow it instead: only check the refusal elsewhere.
    if (!readable('/var/log/mail.log')) {
      const nothing = runCli(['run', '--db', 'mine.db'], { cwd: dir, env: { BOUNCEWATCH_LOGS: '' } });
      expect(nothing.code).toBe(1);
      expect(nothing.stderr).toContain('nothing to follow');
    }
    expect(existsSync(join(dir, 'mine.db'))).toBe(false);
  });

  it('refuses a bad flag with a one-line usage error', () => {
    const r = runCli(['run', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bogus/);
  });
});
