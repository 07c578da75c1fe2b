// An agent whose store goes away for a while: nothing is lost or doubled, the dashboards show it falling behind
// (its report ages, /healthz fails) and then recovering; a log rotated away while the agent was down is reported.
import { appendFileSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePg } from '../../helpers/pg-context.js';
import { createRelay } from '../../helpers/pg-relay.js';
import { ensureBuilt, exitCode, freePort, startCli, waitForOutput } from '../../helpers/cli.js';
import { sentBlock } from '../follow/helpers.js';

type Child = ReturnType<typeof startCli>;
const HOST = 'mx-out.example.org';

interface AgentHealth {
  host: string;
  ok: boolean;
  ageSeconds: number;
  lagBytes: number;
  waitedSeconds: number;
}

describePg('an agent cut off from the store', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-outage-'));
  const log = join(dir, 'mail.log');
  const config = join(dir, 'config.json');
  const children: Child[] = [];
  let relay: ReturnType<typeof createRelay>;
  let client: pg.Client;
  let base = '';

  const agent = () => {
    const child = startCli(['follow', '--store', relay.url(new URL(url())), '--host-id', HOST, log], {
      env: { BOUNCEWATCH_LOG_LEVEL: 'info' },
    });
    children.push(child);
    return child;
  };
  const stored = async () =>
    (
      await client.query<{ total: number; distinct: number }>(
        `SELECT count(*)::int AS total, count(DISTINCT recipient)::int AS "distinct" FROM attempts_full
          WHERE host = $1`,
        [HOST],
      )
    ).rows[0]!;
  const health = async () => {
    const res = await fetch(`${base}healthz`);
    const body = (await res.json()) as { checks: { agents?: { hosts: AgentHealth[] } } };
    return { status: res.status, agent: body.checks.agents?.hosts.find((h) => h.host === HOST) ?? null };
  };
  const reportAge = async () => {
    const text = await (await fetch(`${base}metrics`)).text();
    const m = /^bouncewatch_agent_report_age_seconds\{host="mx-out\.example\.org"\} (\S+)$/m.exec(text);
    return m ? Number(m[1]) : null;
  };

  beforeAll(async () => {
    ensureBuilt();
    relay = createRelay(new URL(url()));
    await relay.open();
    client = new pg.Client({ connectionString: url() });
    await client.connect();
    writeFileSync(
      config,
      JSON.stringify({ health: { agentStaleSeconds: 10 }, alerts: { evaluateSeconds: 5 } }),
    );
    const port = await freePort();
    const serve = startCli(['serve', '--store', url(), '--port', String(port), '--config', config]);
    children.push(serve);
    await waitForOutput(serve, /dashboard on/);
    base = `http://127.0.0.1:${port}/`;
  }, 180_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing while the store is away, shows the lag, then recovers', async () => {
    writeFileSync(log, sentBlock(0, 200));
    const first = agent();
    await waitForOutput(first, /following/);
    await expect.poll(stored, { timeout: 20_000 }).toEqual({ total: 200, distinct: 200 });
    await expect.poll(async () => (await health()).agent?.lagBytes, { timeout: 20_000 }).toBe(0);
    expect((await health()).status).toBe(200);

    await relay.cut();
    appendFileSync(log, sentBlock(200, 300));
    // The agent's report ages past agentStaleSeconds: the fleet's health fails and says which agent.
    await expect.poll(async () => (await health()).status, { timeout: 40_000, interval: 1_000 }).toBe(503);
    expect((await health()).agent?.ok).toBe(false);
    expect(await reportAge()).toBeGreaterThan(10);

    await relay.open();
    await expect.poll(stored, { timeout: 60_000 }).toEqual({ total: 500, distinct: 500 });
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(200);
    const recovered = (await health()).agent!;
    expect(recovered.lagBytes).toBe(0);
    expect(recovered.waitedSeconds).toBeGreaterThan(5);
    expect(await reportAge()).toBeLessThan(10);

    // Down again, this time with the agent: the log rotates twice and the file it was reading is deleted.
    first.kill('SIGKILL');
    await exitCode(first);
    appendFileSync(log, sentBlock(500, 50));
    renameSync(log, `${log}.1`);
    writeFileSync(log, sentBlock(550, 20));
    unlinkSync(`${log}.1`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, sentBlock(570, 10));
    const second = agent();
    await waitForOutput(second, /following/);
    // The rotated file that is still there is read, and the live one; the deleted one's unread lines are lost.
    await expect.poll(stored, { timeout: 30_000 }).toEqual({ total: 530, distinct: 530 });
    const { rows } = await client.query<{ path: string; lost_from: number }>(
      'SELECT path, lost_from FROM log_losses',
    );
    expect(rows.map((r) => r.path)).toEqual([log]);
    const alerts = async () =>
      (
        (await (await fetch(`${base}api/v1/alerts?state=open`)).json()) as {
          open: { rule: string; summary: string }[];
        }
      ).open;
    await expect
      .poll(async () => (await alerts()).map((a) => a.rule), { timeout: 20_000 })
      .toEqual(['log-lost']);
    expect((await alerts())[0]!.summary).toContain(`${log} on ${HOST} was rotated away before it was read`);
    second.kill('SIGTERM');
    await exitCode(second);
  }, 180_000);
});
