// The CLI over a PostgreSQL store: `--store` and `--host-id` on ingest, follow and report, one writer per host.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePg } from '../../helpers/pg-context.js';
import { ensureBuilt, runCli, startCli, waitForOutput } from '../../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/logs');
const MX = join(FIXTURES, 'mx-refuses-spam/mail.log');
const RELAY = join(FIXTURES, 'outbound-relay/mail.log');

/** A report's JSON without the moment it was made. */
const reportOf = (stdout: string) => {
  const report = JSON.parse(stdout) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(report).filter(([k]) => k !== 'generatedAt'));
};

describePg('the CLI over a PostgreSQL store', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-fleet-cli-'));
  const db = join(dir, 'same.db');
  beforeAll(() => {
    ensureBuilt();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports each host with --host-id, and report reads the fleet as a SQLite import of the same logs', () => {
    for (const [host, log] of [
      ['mx1.example.org', MX],
      ['relay1.example.org', RELAY],
    ] as const) {
      const pg = runCli(['ingest', '--store', url(), '--host-id', host, '--year', '2026', log]);
      expect(pg.stderr).toBe('');
      expect(pg.code).toBe(0);
      expect(runCli(['ingest', '--db', db, '--host-id', host, '--year', '2026', log]).code).toBe(0);
    }
    const args = ['report', '--all', '--format', 'json', '--tz', 'UTC'];
    const fromPg = runCli([...args, '--store', url()]);
    expect(fromPg.code).toBe(0);
    const fromSqlite = runCli([...args, '--db', db]);
    expect(reportOf(fromPg.stdout)).toEqual(reportOf(fromSqlite.stdout));
    // Its Senders and Server sections too: the fleet's triage facts are each host's, summed.
    expect((JSON.parse(fromPg.stdout) as { senders: unknown[] }).senders.length).toBeGreaterThan(0);
    const again = runCli(['ingest', '--store', url(), '--host-id', 'mx1.example.org', '--year', '2026', MX]);
    expect(again.stdout).toMatch(/read\s+0 lines/);
    // Seven CLI processes, each a Node start-up: on a loaded 2-core machine that is more than the default 30 s.
  }, 120_000);

  it('takes the store from BOUNCEWATCH_STORE', () => {
    const r = runCli(['report', '--all', '--format', 'json'], { env: { BOUNCEWATCH_STORE: url() } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('totals');
  });

  it('refuses a second agent for the same host id, with a clear message', async () => {
    const log = join(dir, 'mail.log');
    copyFileSync(MX, log);
    const agent = startCli(['follow', '--store', url(), '--host-id', 'mx9.example.org', log], {
      env: { BOUNCEWATCH_LOG_LEVEL: 'info' },
    });
    try {
      await waitForOutput(agent, /following/);
      const second = runCli(['follow', '--store', url(), '--host-id', 'mx9.example.org', log]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/already writes for host 'mx9\.example\.org'/);
      const other = runCli([
        'ingest',
        '--store',
        url(),
        '--host-id',
        'mx8.example.org',
        '--year',
        '2026',
        MX,
      ]);
      expect(other.code).toBe(0);
    } finally {
      agent.kill('SIGTERM');
      await new Promise((resolve) => agent.once('exit', resolve));
    }
  });

  it('refuses --db with --store, and a --store that is not a PostgreSQL URL', () => {
    const both = runCli(['report', '--db', db, '--store', url()]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one of them/);
    const notPg = runCli(['ingest', '--store', db, MX]);
    expect(notPg.code).toBe(2);
    expect(notPg.stderr).toMatch(/--store takes a postgres:\/\/ URL/);
    const down = runCli(['report', '--all', '--store', 'postgres://nobody@127.0.0.1:1/none']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot open the PostgreSQL store postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
  });
});
