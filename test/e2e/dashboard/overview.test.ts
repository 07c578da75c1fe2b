import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const HOUR = 3_600_000;
const NOW = Date.now();

describe('dashboard overview', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startServer({
      data: {
        attempts: 20_000,
        from: NOW - 8 * 24 * HOUR,
        to: NOW,
        hosts: ['mx1.sender.example', 'mx2.sender.example'],
        incident: { from: NOW - 6 * HOUR, to: NOW - 3 * HOUR, provider: 'microsoft' },
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('draws tiles, both charts, causes with actions and domains, with no console errors', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/overview.png', fullPage: true });
    expect(errors).toEqual([]);
  });
});
