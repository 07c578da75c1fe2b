// Several dashboards over one fleet store: one runs the alert engine (an advisory lock), and when it dies another
// takes over and evaluates, starting from the alerts the first one stored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePg } from '../../helpers/pg-context.js';
import { ensureBuilt, exitCode, freePort, startCli, waitForOutput } from '../../helpers/cli.js';

type Child = ReturnType<typeof startCli>;

const metric = async (base: string, name: string): Promise<number | null> => {
  const text = await (await fetch(`${base}metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

const openAlerts = async (base: string) => {
  const body = (await (await fetch(`${base}api/v1/alerts?state=open`)).json()) as {
    open: { rule: string; subject: string; summary: string }[];
  };
  return body.open;
};

describePg('the fleet\u2019s alert engine', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-leader-'));
  const config = join(dir, 'config.json');
  const children: Child[] = [];
  let client: pg.Client;

  const serve = async () => {
    const port = await freePort();
    const child = startCli(['serve', '--store', url(), '--port', String(port), '--config', config], {
      env: { BOUNCEWATCH_LOG_LEVEL: 'info' },
    });
    children.push(child);
    await waitForOutput(child, /dashboard on/);
    return { child, base: `http://127.0.0.1:${port}/` };
  };

  const recordLoss = async (host: string, detectedAt: number) => {
    await client.query('INSERT INTO dict (value) VALUES ($1) ON CONFLICT (value) DO NOTHING', [host]);
    await client.query(
      `INSERT INTO log_losses (host, path, lost_bytes, lost_from, detected_at)
       SELECT id, '/var/log/mail.log', 4096, $2, $3 FROM dict WHERE value = $1`,
      [host, detectedAt - 3_600_000, detectedAt],
    );
  };

  beforeAll(async () => {
    ensureBuilt();
    writeFileSync(config, JSON.stringify({ alerts: { evaluateSeconds: 5 } }));
    client = new pg.Client({ connectionString: url() });
    await client.connect();
  }, 180_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs on one dashboard only, and on another once that one is killed', async () => {
    const a = await serve();
    await expect.poll(() => metric(a.base, 'bouncewatch_alert_leader'), { timeout: 20_000 }).toBe(1);
    const b = await serve();
    await recordLoss('mx-a.example.org', Date.now());
    await expect
      .poll(async () => (await openAlerts(a.base)).map((x) => x.subject), { timeout: 20_000 })
      .toEqual(['host mx-a.example.org']);
    // B serves the alert A stored, and has evaluated nothing itself.
    expect((await openAlerts(b.base)).map((x) => x.rule)).toEqual(['log-lost']);
    expect(await metric(b.base, 'bouncewatch_alert_leader')).toBe(0);
    expect(await metric(b.base, 'bouncewatch_alert_evaluations_total')).toBe(0);

    a.child.kill('SIGKILL');
    await exitCode(a.child);
    await expect.poll(() => metric(b.base, 'bouncewatch_alert_leader'), { timeout: 30_000 }).toBe(1);
    await recordLoss('mx-b.example.org', Date.now());
    await expect
      .poll(async () => (await openAlerts(b.base)).map((x) => x.subject).sort(), { timeout: 20_000 })
      .toEqual(['host mx-a.example.org', 'host mx-b.example.org']);
    expect(await metric(b.base, 'bouncewatch_alert_evaluations_total')).toBeGreaterThan(0);
    const lost = (await openAlerts(b.base)).find((x) => x.subject === 'host mx-b.example.org');
    expect(lost?.summary).toMatch(
      /At least 4\.0 KiB of \/var\/log\/mail\.log on mx-b\.example\.org were rotated away unread/,
    );
    b.child.kill('SIGTERM');
    await exitCode(b.child);
  });
});
