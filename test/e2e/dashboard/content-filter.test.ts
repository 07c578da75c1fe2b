// A gateway with a content filter (amavis on a loopback port): every hand-over is a hop, so each message has one
// outcome on the overview, a domain whose every message bounced shows 100%, and the trace shows one life.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const LOG = join(import.meta.dirname, '../../fixtures/logs/gateway-content-filter/mail.log');
let RANGE = '';

describe('a content filter on the dashboard: one outcome per message', () => {
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
    RANGE = `from=${iso(span.from)}&to=${iso(span.to + 60_000)}`;
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('counts no hand-over as a delivery: a domain whose every message bounced has a 100% bounce rate', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?${RANGE}&section=outbound`);
    await waitLoaded(page);
    const row = page
      .locator('section', { hasText: 'Recipient domains' })
      .locator('tr', { hasText: 'dead.example' });
    const cells = await row.locator('td').allInnerTexts();
    // Domain, delivered, deferred, bounced, expired, bounce rate ...
    expect(cells[0]).toBe('dead.example');
    expect(cells[1]).toBe('0');
    expect(cells[5]).toBe('100.0%');
    // The tiles count final outcomes: 8 messages delivered after their 8 hand-overs to the filter, not 16.
    const delivered = await page.getByTestId('tile-sent').locator('.tile-value').innerText();
    expect(delivered).toBe('8');
    expect(errors).toEqual([]);
  });

  it("shows a filtered message's trace as one life across both queue ids", async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/trace?q=01A2B3C4D5`);
    await waitLoaded(page);
    const cards = page.getByTestId('trace-message');
    expect(await cards.count()).toBe(1);
    const card = await cards.first().innerText();
    expect(card).toMatch(/01A2B3C4D5 → 02B3C4D5E6/);
    expect(card).toMatch(/handed to filter/);
    expect(card).toMatch(/delivered/);
    expect(errors).toEqual([]);
  });
});
