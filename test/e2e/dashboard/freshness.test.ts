// A live overview says when the newest event was once none has come for a while, and that nothing is stored
// on an empty database: a stalled reader must not look like a quiet server.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../../integration/http/helpers.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.now();

describe('overview freshness note', () => {
  let browser: Browser;
  const servers: Harness[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    for (const s of servers) await s.close();
  });

  it('names the newest event when it is older than 15 minutes, and goes once a new one is stored', async () => {
    const h = await startServer({
      data: { attempts: 500, from: NOW - 24 * HOUR, to: NOW - 2 * HOUR, hosts: ['mx1.sender.example'] },
      now: () => NOW,
    });
    servers.push(h);
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    const note = page.getByTestId('freshness');
    await note.waitFor();
    expect(await note.innerText()).toMatch(
      /^Newest event \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(2 h ago\)\. If mail has flowed since/,
    );
    // A range in the past is not live: no note.
    const from = NOW - 30 * HOUR;
    await page.goto(`${h.url}/#/overview?from=${from}&to=${from + HOUR}`);
    await waitLoaded(page);
    await page.locator('[data-testid=freshness-slot][data-checked]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('freshness').count()).toBe(0);

    h.write([attempt({ ts: NOW - MINUTE })]);
    await page.goto(`${h.url}/#/overview?range=1h`);
    await waitLoaded(page);
    await page.locator('[data-testid=freshness-slot][data-checked]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('freshness').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('says that nothing is stored yet on an empty database', async () => {
    const h = await startServer({ data: null });
    servers.push(h);
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    await page.getByTestId('freshness').waitFor();
    expect(await page.getByTestId('freshness').innerText()).toMatch(/^No delivery or reject is stored yet\./);
    // Each chart says once that it is empty; the tiles claim no change against a period that held nothing too.
    expect(await page.getByText('No data in this range.').filter({ visible: true }).count()).toBe(2);
    expect(await page.locator('.tile-change').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
