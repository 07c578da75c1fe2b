// The dashboard over a PostgreSQL fleet store shows the same figures as over SQLite for the same logs: the same
// tiles, tables and drill-down, the per-host table, and the Senders and Server views included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateLines } from '../../../server/demo/generate.js';
import { describePg } from '../../helpers/pg-context.js';
import { ensureBuilt, exitCode, freePort, runCli, startCli, waitForOutput } from '../../helpers/cli.js';
import { launchBrowser, openPage, waitLoaded } from '../dashboard/harness.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/logs');
const RANGE = 'from=2026-11-26T00:00:00.000Z&to=2026-11-29T00:00:00.000Z';

/** What the page shows, without the parts that depend on the moment (alerts, freshness). */
async function figures(page: Page): Promise<{ tiles: string[]; tables: string[] }> {
  await waitLoaded(page);
  const tiles = await page.locator('.tiles:visible').allInnerTexts();
  const tables = await page.locator('main table:visible').allInnerTexts();
  return { tiles, tables };
}

describePg('the dashboard over PostgreSQL and over SQLite', (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-dash-both-'));
  const db = join(dir, 'fleet.db');
  const children: ReturnType<typeof startCli>[] = [];
  const bases: { sqlite: string; postgres: string } = { sqlite: '', postgres: '' };
  let browser: Browser;

  const serve = async (store: string[]) => {
    const port = await freePort();
    const child = startCli(['serve', ...store, '--port', String(port)]);
    children.push(child);
    await waitForOutput(child, /dashboard on/);
    return `http://127.0.0.1:${port}/`;
  };

  beforeAll(async () => {
    ensureBuilt();
    const generated = join(dir, 'gen.log');
    writeFileSync(
      generated,
      [
        ...generateLines({
          format: 'postfix',
          lines: 20_000,
          seed: 7,
          host: 'out1',
          days: 2,
          endMs: Date.UTC(2026, 10, 28, 20),
        }),
      ]
        .map((l) => `${l}\n`)
        .join(''),
    );
    for (const [host, log] of [
      ['mx1.example.org', join(FIXTURES, 'mx-refuses-spam/mail.log')],
      ['relay1.example.org', join(FIXTURES, 'outbound-relay/mail.log')],
      ['out1.example.org', generated],
    ] as const) {
      for (const store of [
        ['--store', url()],
        ['--db', db],
      ]) {
        const r = runCli(['ingest', ...store, '--host-id', host, '--year', '2026', log]);
        expect(r.code, r.stderr).toBe(0);
      }
    }
    bases.sqlite = await serve(['--db', db]);
    bases.postgres = await serve(['--store', url()]);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser.close();
    for (const c of children) {
      c.kill('SIGTERM');
      await exitCode(c);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the same overview, hosts table, host filter and domain drill-down', async () => {
    const views = [
      `#/overview?${RANGE}`,
      `#/overview?${RANGE}&host=out1.example.org`,
      `#/overview?${RANGE}&section=protection`,
    ];
    const { page, errors } = await openPage(browser);
    for (const view of views) {
      await page.goto(`${bases.sqlite}${view}`);
      const sqlite = await figures(page);
      await page.goto(`${bases.postgres}${view}`);
      const postgres = await figures(page);
      expect(postgres, view).toEqual(sqlite);
      expect(sqlite.tables.length, view).toBeGreaterThan(0);
    }
    // The fleet's hosts, each with its counts, and a link that sets the host filter.
    await page.goto(`${bases.postgres}#/overview?${RANGE}`);
    await waitLoaded(page);
    const hosts = await page.locator('[data-testid=host-row]').allInnerTexts();
    expect(hosts.sort()).toEqual(['mx1.example.org', 'out1.example.org', 'relay1.example.org']);
    // The busiest domain's drill-down, over both stores.
    const domain = await page.locator('main table a[href*="#/domain/"]').first().getAttribute('href');
    expect(domain).toBeTruthy();
    await page.goto(`${bases.sqlite}${domain!}`);
    const sqlite = await figures(page);
    await page.goto(`${bases.postgres}${domain!}`);
    expect(await figures(page)).toEqual(sqlite);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the same Senders and Server views, and the host filter narrows them to one host', async () => {
    const { page, errors } = await openPage(browser);
    for (const view of [`#/senders?${RANGE}`, `#/server?${RANGE}`]) {
      await page.goto(`${bases.sqlite}${view}`);
      const sqlite = await figures(page);
      await page.goto(`${bases.postgres}${view}`);
      const postgres = await figures(page);
      expect(postgres, view).toEqual(sqlite);
      expect(sqlite.tables.length, view).toBeGreaterThan(0);
    }
    const senders = async (view: string) => {
      await page.goto(`${bases.postgres}${view}`);
      await waitLoaded(page);
      return page.locator('main table tbody tr td:first-child').allInnerTexts();
    };
    const fleet = await senders(`#/senders?${RANGE}`);
    const mx1 = await senders(`#/senders?${RANGE}&host=mx1.example.org`);
    expect(mx1.length).toBeGreaterThan(0);
    expect(mx1.length).toBeLessThan(fleet.length);
    for (const s of mx1) expect(fleet).toContain(s);
    expect(errors).toEqual([]);
  }, 120_000);
});
