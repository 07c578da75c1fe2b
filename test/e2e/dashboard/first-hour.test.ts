// The first hour with an imported log of last month: find the data, trust what the page says, read it on a
// phone and with a keyboard. Each test is one item of what a new user ran into.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
/** The imported log: three weeks that ended forty days ago. */
const FROM = NOW - 61 * DAY;
const TO = NOW - 40 * DAY;

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

describe('the first hour with an imported log', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    [h, browser] = await Promise.all([
      startServer({ data: { attempts: 8000, from: FROM, to: TO, hosts: ['mx1.sender.example'] } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('an empty range says where the data is, and one click shows all of it or its last day', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    const locator = page.getByTestId('data-locator');
    expect(await locator.innerText()).toMatch(
      /Nothing in this range\. The stored data runs from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/,
    );
    // The charts of the empty range say so rather than drawing a bare axis.
    expect(await page.locator('.chart-empty:visible').count()).toBe(2);
    expect(await text(page, '.chart-empty')).toBe('No data in this range.');

    await page.getByTestId('show-all-data').click();
    await page.waitForURL(/from=/);
    await waitLoaded(page);
    const all = hashParams(page);
    expect(Date.parse(all.get('from')!)).toBeLessThanOrEqual(FROM);
    expect(Date.parse(all.get('to')!)).toBeGreaterThanOrEqual(TO - HOUR);
    expect(
      Number((await text(page, '[data-testid=tile-sent] .tile-value')).replace(/,/g, '')),
    ).toBeGreaterThan(1000);
    expect(await page.getByTestId('data-locator').count()).toBe(0);
    // The period before the data held nothing: no "new vs previous" against it.
    expect(await text(page, '[data-testid=tile-sent] .tile-change')).toBe('no data before');

    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    await page.getByTestId('show-last-day').click();
    await page.waitForURL(/from=/);
    await waitLoaded(page);
    const day = hashParams(page);
    expect(Date.parse(day.get('to')!) - Date.parse(day.get('from')!)).toBe(DAY);
    expect(
      Number((await text(page, '[data-testid=tile-sent] .tile-value')).replace(/,/g, '')),
    ).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('years of history in one view: the day rollups in week-long bars', async () => {
    const { page, errors } = await openPage(browser);
    const from = new Date(NOW - 5 * 365 * DAY).toISOString();
    await page.goto(`${h.url}/#/overview?from=${from}`);
    await waitLoaded(page);
    expect(await page.locator('.notice.error').count()).toBe(0);
    expect(Number(await page.getByTestId('chart-failures').getAttribute('data-drawn'))).toBeLessThan(100);
    // The bars cross a year: their labels say which.
    expect(await page.getByTestId('chart-summary').first().innerText()).toMatch(/\d{4}-\d\d-\d\d/);
    expect(errors).toEqual([]);
  });

  it('each chart has a text summary, a table to show instead, and a drag across it narrows the range', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(
      `${h.url}/#/overview?from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`,
    );
    await waitLoaded(page);
    const summary = await page.getByTestId('chart-summary').nth(1).innerText();
    expect(summary).toMatch(
      /^[\d,]+ delivered, [\d,]+ deferred, .* from \d\d-\d\d to \d\d-\d\d; the most, [\d,]+, at /,
    );
    const toggle = page.getByRole('button', { name: 'Show as table' }).first();
    await toggle.click();
    expect(await page.getByRole('button', { name: 'Hide the table' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    expect(await page.locator('.chart-table tbody tr').count()).toBeGreaterThan(10);

    const box = (await page.getByTestId('chart-failures').boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(
      (u) => u.hash.includes('from=') && !u.hash.includes(encodeURIComponent(new Date(FROM).toISOString())),
    );
    await waitLoaded(page);
    const narrowed = hashParams(page);
    const span = Date.parse(narrowed.get('to')!) - Date.parse(narrowed.get('from')!);
    expect(span).toBeGreaterThan(3 * DAY);
    expect(span).toBeLessThan(12 * DAY);
    expect(Date.parse(narrowed.get('from')!)).toBeGreaterThan(FROM);
    // The URL keeps it: a reload opens the same range.
    await page.reload();
    await waitLoaded(page);
    expect(hashParams(page).get('from')).toBe(narrowed.get('from'));
    expect(errors).toEqual([]);
  });

  it('cause pages are headed with the title; a bad code says why and what a code looks like', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/cause/recipient-unknown?range=7d`);
    await waitLoaded(page);
    expect(await text(page, 'h1')).toBe('Recipient does not exist');
    expect(await text(page, '.page-id')).toBe('recipient-unknown');
    expect(await page.title()).toBe('Cause: Recipient does not exist · bouncewatch');

    await page.goto(`${h.url}/#/codes?q=999`);
    await waitLoaded(page);
    const notice = await page.getByTestId('error').innerText();
    expect(notice).toMatch(/^Could not explain 999: code: expected a basic code \(550\)/);
    expect(notice).toContain('A code looks like 550 (a basic reply code), 5.7.1 (an enhanced status)');

    await page.goto(`${h.url}/#/code/9.9.9?range=7d`);
    await waitLoaded(page);
    expect(await page.getByTestId('error').innerText()).toMatch(
      /^Could not show reply code 9\.9\.9: key: expected a reply code such as 550 or 5\.7\.1\.\s+A code looks like/,
    );
    expect(errors.filter((e) => !/status of 40[04]/.test(e))).toEqual([]);
  });

  it('trace: "20 of N" in a compact list, more on request; a domain offers its drill-down', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/trace?q=news0@sender.example&format=sender`);
    await waitLoaded(page);
    const count = await page.getByTestId('trace-count').innerText();
    const total = Number(/^20 of ([\d,]+) messages/.exec(count)?.[1]?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(40);
    const cards = page.getByTestId('trace-message');
    expect(await cards.count()).toBe(20);
    // Compact first: one line each, none opened.
    expect(await page.locator('[data-testid=trace-message][open]').count()).toBe(0);
    expect((await page.locator('main').boundingBox())!.height).toBeLessThan(2600);
    await page.getByTestId('trace-more').click();
    await page.getByText(new RegExp(`^40 of ${total.toLocaleString('en-US')} messages`)).waitFor();
    expect(await cards.count()).toBe(40);
    await cards.first().locator('summary').click();
    expect(await cards.first().locator('table').count()).toBeGreaterThan(0);

    await page.goto(`${h.url}/#/trace?q=gmail.com`);
    await waitLoaded(page);
    const offer = page.getByTestId('domain-offer');
    expect(await offer.innerText()).toMatch(/gmail\.com looks like a recipient domain/);
    await offer.getByRole('link').click();
    await page.waitForURL(/#\/domain\/gmail\.com/);
    await waitLoaded(page);
    expect(await text(page, 'h1')).toBe('gmail.com');
    expect(errors).toEqual([]);
  });

  it('reports: the weeks with data by year, opening on the newest, shown at full height', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/reports`);
    await waitLoaded(page);
    const current = page.locator('nav.weeks a[aria-current=page]');
    await current.waitFor();
    const links = await page.locator('nav.weeks a').allInnerTexts();
    // Three or four ISO weeks hold the three weeks of data; none of the empty weeks since.
    expect(links.length).toBeGreaterThanOrEqual(3);
    expect(links.length).toBeLessThanOrEqual(5);
    expect(await current.innerText()).toBe(links[0]);
    expect(await page.locator('nav.weeks summary').first().innerText()).toMatch(/^\d{4} \(\d weeks?\)$/);
    const frame = page.locator('iframe.report-frame[data-fitted]');
    await frame.waitFor();
    const fits = await page.evaluate(`(() => {
      const f = document.querySelector('iframe.report-frame');
      return f.clientHeight >= f.contentDocument.documentElement.scrollHeight;
    })()`);
    expect(fits).toBe(true);
    expect(await page.frameLocator('iframe.report-frame').locator('body').innerText()).not.toMatch(
      /No mail events were recorded/,
    );
    expect(errors).toEqual([]);
  });

  it('says at the top when the page is no longer live, and goes once it is again', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    await page.locator('.live.connected').waitFor();
    expect(await page.locator('#status-banner').isVisible()).toBe(false);
    h.dropConnections();
    const banner = page.locator('#status-banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.innerText()).toMatch(/^Not live: the connection to bouncewatch is lost/);
    await banner.waitFor({ state: 'hidden', timeout: 15_000 });
    expect(errors.filter((e) => !e.includes('/api/v1/events') && !e.includes('ERR_'))).toEqual([]);
  });
});

describe('keyboard, phone and dark screens', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    [h, browser] = await Promise.all([
      startServer({ data: { attempts: 6000, from: NOW - 3 * DAY, to: NOW - 60_000 } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('a skip link comes first, and focus is visible on the range buttons', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    await page.keyboard.press('Tab');
    const skip = page.locator('#skip-link');
    expect(await page.evaluate('document.activeElement.id')).toBe('skip-link');
    expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');

    const button = page.getByTestId('range-7d');
    await button.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(`(() => {
      const b = document.activeElement;
      const style = getComputedStyle(b);
      let clipped = false;
      for (let e = b.parentElement; e; e = e.parentElement)
        if (getComputedStyle(e).overflow !== 'visible') clipped = true;
      return { id: b.dataset.testid, outline: style.outlineStyle, width: parseFloat(style.outlineWidth), clipped };
    })()`);
    expect(ring).toEqual({ id: 'range-7d', outline: 'solid', width: 3, clipped: false });
    expect(errors).toEqual([]);
  });

  it('at 390 px tables become cards: no column cut, no text one word per line', async () => {
    const { page, errors } = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${h.url}/#/overview?range=7d`);
    await waitLoaded(page);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    const action = page.locator('section[aria-labelledby=s-top-causes] td[data-label="What to do"]').first();
    expect((await action.boundingBox())!.width).toBeGreaterThan(300);
    const domains = page.locator('section[aria-labelledby=s-recipient-domains-that-hurt-most]');
    for (const label of ['Bounce rate', 'Main cause']) {
      const cell = domains.locator(`td[data-label="${label}"]`).first();
      expect(await cell.isVisible()).toBe(true);
      // Each cell of a card names its column.
      const before = await page.evaluate(
        `getComputedStyle(document.querySelector('section[aria-labelledby=s-recipient-domains-that-hurt-most] td[data-label="${label}"]'), '::before').content`,
      );
      expect(before).toBe(`"${label}"`);
      expect((await cell.innerText()).trim()).not.toBe('');
    }
    // The weekly report fits the phone too: its tiles wrap and its wide tables scroll on their own.
    await page.goto(`${h.url}/#/reports`);
    await waitLoaded(page);
    const frame = page.locator('iframe.report-frame');
    await page.locator('iframe.report-frame[data-fitted]').waitFor({ state: 'attached' });
    const report = await frame.elementHandle();
    const inner = (await report.contentFrame())!;
    expect(await inner.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('dark mode follows the system setting', async () => {
    const { page, errors } = await openPage(browser);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    const bg: string = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    expect(r! + g! + b!).toBeLessThan(120);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(light).toBe('rgb(244, 246, 248)');
    expect(errors).toEqual([]);
  });
});
