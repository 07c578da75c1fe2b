// An MX that refuses spam: its rejects are inbound protection, never outbound causes; its own domain is shown
// with why; the overview keeps the section in the URL.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const LOG = join(import.meta.dirname, '../../fixtures/logs/mx-refuses-spam/mail.log');
/** The range the stored data covers (the fixture's year is inferred from the time it is read). */
let RANGE = '';
describe('flows on the dashboard: an MX that refuses spam', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    [h, browser] = await Promise.all([startServer({ data: null }), launchBrowser()]);
    const ingest = createIngest({
      store: createSqliteWriter(h.db),
      log: silentLogger(),
      bus: createEventBus(),
    });
    await ingest.ingestFiles([LOG]);
    const { span } = (await (await fetch(`${h.url}/api/v1/span`)).json()) as {
      span: { from: number; to: number };
    };
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    RANGE = `from=${iso(span.from)}&to=${iso(span.to)}`;
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('keeps inbound rejects out of the outbound causes', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?${RANGE}&section=outbound`);
    await waitLoaded(page);
    const causes = await page.locator('section', { hasText: 'Top causes' }).innerText();
    expect(causes).not.toMatch(/blocklist|Client on|No such user here|delist/i);
    expect(errors).toEqual([]);
  });

  it('shows the inbound-protection view with rejects by reason and receiving-side actions', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?${RANGE}`);
    await waitLoaded(page);
    await page.getByTestId('section-protection').click();
    await page.waitForURL(/section=protection/);
    await waitLoaded(page);
    expect(await page.getByTestId('inbound-rejected').innerText()).toMatch(/refused \d+/);
    const reasons = await page.locator('section', { hasText: 'Refused by reason' }).innerText();
    expect(reasons).toMatch(/Client on a blocklist/);
    expect(reasons).toMatch(/correspondent you want|whitelist/i);
    expect(reasons).not.toMatch(/request delisting|your sending IP/i);
    expect(await page.locator('section', { hasText: 'Refused clients' }).innerText()).toMatch(
      /\d+\.\d+\.\d+\.\d+/,
    );
    expect(errors).toEqual([]);
  });

  it('shows the own domain with its reason in the inbound-delivery section', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?${RANGE}&section=inbound`);
    await waitLoaded(page);
    const own = await page.locator('section', { hasText: 'Our own domains' }).innerText();
    expect(own).toMatch(/example\.(org|net)/);
    expect(own).toMatch(/delivered|outside clients|config/);
    expect(errors).toEqual([]);
  });
});
