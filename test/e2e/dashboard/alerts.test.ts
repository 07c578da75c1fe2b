// The overview shows open alerts with their evidence and action, and links the subject to its drill-down.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertStore } from '../../../db/sqlite/read/alerts.js';
import { attempt } from '../../integration/http/helpers.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  harness = await startServer();
  harness.write([attempt({ ts: Date.now() - 60_000, outcome: 'bounced', recipientDomain: 'example.net' })]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser.close();
  await harness.close();
});

describe('alerts on the overview', () => {
  it('shows nothing when no alert is open or recent', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${harness.url}/#/overview?range=24h`);
    await waitLoaded(page);
    // The panel says when it has asked the server and decided what to show.
    await page.locator('[data-testid="alerts"][data-checked]').waitFor({ state: 'attached' });
    expect(await page.locator('[data-testid="alert"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an open alert with its reply text, action and a link to the drill-down', async () => {
    const now = Date.now();
    createAlertStore(harness.db).insertAlert({
      key: 'bounce-spike:domain:example.net',
      rule: 'bounce-spike',
      subject: 'domain example.net',
      severity: 'critical',
      summary: 'Bounce rate to example.net rose to 40% (baseline 2%)',
      evidence: {
        window: { from: now - 3_600_000, to: now },
        counts: { bounced: 40, sent: 60 },
        causes: [{ cause: 'recipient-unknown', count: 40, action: 'Remove the addresses.' }],
        examples: [
          {
            ts: now,
            domain: 'example.net',
            provider: null,
            code: '5.1.1',
            diagnostic: '550 5.1.1 <x@example.net>: no such user <b>',
          },
        ],
        action: 'Check the list that fed this send.',
      },
      openedAt: now - 120_000,
    });
    const { page, errors } = await openPage(browser);
    await page.goto(`${harness.url}/#/overview?range=24h`);
    await waitLoaded(page);
    const item = page.locator('[data-testid="alert"]').first();
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain('Bounce rate to example.net rose to 40%');
    expect(text).toContain('550 5.1.1 <x@example.net>: no such user <b>');
    expect(text).toContain('Check the list that fed this send.');
    expect(await item.locator('a').getAttribute('href')).toMatch(/domain\/example\.net/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
