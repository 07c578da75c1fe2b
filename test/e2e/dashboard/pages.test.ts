import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../../integration/http/helpers.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const HOUR = 3_600_000;
const NOW = Date.now();
// The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
const SHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : mkdtempSync(join(tmpdir(), 'bw-shots-'));

/** ISO 8601 week (UTC) of a time, e.g. 2026-W48. */
function isoWeekOf(ts: number): string {
  const d = new Date(ts);
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  const week = Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Every canvas of the page has painted pixels (chart.js drew something). */
async function chartsDrawn(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const canvases = [...document.querySelectorAll('.chart canvas')];
    return canvases.filter((c) => {
      const ctx = c.getContext('2d');
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    }).length;
  })()`);
}

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('dashboard pages', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startServer({
      data: {
        attempts: 30_000,
        from: NOW - 8 * 24 * HOUR,
        to: NOW - 60_000,
        hosts: ['mx1.sender.example', 'mx2.sender.example'],
        incident: { from: NOW - 7 * HOUR, to: NOW - 2 * HOUR, provider: 'microsoft' },
      },
    });
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('overview: tiles, two drawn charts, causes with actions, domains; a domain link opens its drill-down', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    expect(
      Number((await text(page, '[data-testid=tile-sent] .tile-value')).replace(/,/g, '')),
    ).toBeGreaterThan(1000);
    expect(await text(page, '[data-testid=tile-bounce-rate] .tile-value')).toMatch(/^\d+\.\d%$/);
    expect(await chartsDrawn(page)).toBe(2);
    const causes = await text(page, 'section[aria-labelledby=s-top-causes] table');
    expect(causes).toMatch(/Recipient does not exist/);
    expect(causes).toMatch(/suppression list/);
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
    const worst = page
      .locator('section[aria-labelledby=s-recipient-domains-that-hurt-most] tbody tr a')
      .first();
    const domain = await worst.innerText();
    await worst.click();
    await page.waitForURL((url) => url.hash === `#/domain/${domain}?range=24h`);
    await waitLoaded(page);
    expect(await text(page, 'h1')).toBe(domain);
    expect(await chartsDrawn(page)).toBe(1);
    expect(await page.locator('section[aria-labelledby=s-reply-texts] tbody tr').count()).toBeGreaterThan(0);
    expect(await text(page, 'section[aria-labelledby=s-affected-addresses] table')).toContain(`@${domain}`);
    await page.screenshot({ path: `${SHOTS}/domain.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('reads on a phone: nothing wider than the screen', async () => {
    const { page, errors } = await openPage(browser, { width: 390, height: 844 });
    for (const hash of ['#/overview?range=24h', '#/cause/recipient-unknown?range=7d']) {
      await page.goto(`${h.url}/${hash}`);
      await waitLoaded(page);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    }
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    await page.screenshot({ path: `${SHOTS}/overview-phone.png`, fullPage: false });
    await page.goto(`${h.url}/#/domain/gmail.com?range=7d`);
    await waitLoaded(page);
    await page.locator('section[aria-labelledby=s-reply-texts]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/domain-phone.png`, fullPage: false });
    expect(errors).toEqual([]);
  });

  it('follows a dark system setting', async () => {
    const { page, errors } = await openPage(browser);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    expect(await chartsDrawn(page)).toBe(2);
    await page.screenshot({ path: `${SHOTS}/overview-dark.png`, fullPage: false });
    expect(errors).toEqual([]);
  });

  it('provider, cause and code drill-downs each draw their own chart and list reply texts', async () => {
    const { page, errors } = await openPage(browser);
    const views: [string, RegExp][] = [
      ['provider/google', /Google/],
      ['cause/rate-limited', /Rate limited|rate/i],
      ['code/5.1.1', /5\.1\.1/],
    ];
    for (const [path, about] of views) {
      await page.goto(`${h.url}/#/${path}?range=7d`);
      await waitLoaded(page);
      expect(await chartsDrawn(page)).toBe(1);
      expect(await page.locator('main').innerText()).toMatch(about);
      expect(await page.locator('section[aria-labelledby=s-reply-texts] tbody tr').count()).toBeGreaterThan(
        0,
      );
      expect(
        await page.locator('section[aria-labelledby=s-affected-addresses] tbody tr').count(),
      ).toBeGreaterThan(0);
    }
    expect(await page.locator('.action-box').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('the URL holds the state: a pasted link opens the same range and host', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=7d&host=mx2.sender.example`);
    await waitLoaded(page);
    expect(await page.getByTestId('range-7d').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#host-filter').inputValue()).toBe('mx2.sender.example');
    await page.getByTestId('range-1h').click();
    await page.waitForURL(/range=1h&host=mx2\.sender\.example/);
    expect(errors).toEqual([]);
  });

  it('message trace: search from an affected address, then the whole life of the message', async () => {
    const { page, errors } = await openPage(browser);
    const row = h.db
      .prepare(
        "SELECT recipient FROM attempts WHERE outcome = 'deferred' AND ts > ? ORDER BY ts DESC LIMIT 1",
      )
      .get(NOW - 24 * HOUR) as { recipient: string };
    await page.goto(`${h.url}/#/trace`);
    await waitLoaded(page);
    await page.getByLabel('Find messages').fill(row.recipient);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/#\/trace\?.*q=/);
    const first = page.locator('[data-testid=trace-message]').first();
    await first.waitFor();
    // A list of messages starts compact: open the newest.
    if ((await first.getAttribute('open')) === null) await first.locator('summary').click();
    const card = await first.innerText();
    expect(card).toContain(row.recipient);
    expect(card).toMatch(/deferred/);
    await page.screenshot({ path: `${SHOTS}/trace.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('code reference: look up a code from the header of any page', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=24h`);
    await waitLoaded(page);
    await page.getByLabel('Reply code or enhanced status').first().fill('5.7.26');
    await page.getByRole('button', { name: 'Explain', exact: true }).first().click();
    await page.waitForURL(/#\/codes\?.*q=5\.7\.26/);
    await page.getByTestId('code-explanation').waitFor();
    const body = await page.getByTestId('code-explanation').innerText();
    expect(body).toMatch(/What to do/);
    expect(body).toMatch(/permanent/);
    // The commands an action names are set as code (the knowledge base writes them in backticks).
    const commands = await page.locator('p.action code').allInnerTexts();
    expect(commands).toContain('dig MX <domain>');
    expect(await page.locator('p.action').allInnerTexts()).not.toContainEqual(expect.stringContaining('`'));
    await page.screenshot({ path: `${SHOTS}/code-reference.png`, fullPage: false });
    await page.getByLabel('Reply code or enhanced status').first().fill('999');
    await page.getByRole('button', { name: 'Explain', exact: true }).first().click();
    await page.locator('.notice.error').waitFor();
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
  });

  it('unparsed and reports pages render', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/unparsed`);
    await waitLoaded(page);
    expect(await page.locator('h1').innerText()).toBe('Unparsed lines');
    expect(await page.getByTestId('unparsed-share').innerText()).toMatch(
      /^All [\d,]+ lines read were understood\.$/,
    );
    // The week of three days ago holds generated traffic.
    const week = isoWeekOf(NOW - 3 * 24 * HOUR);
    await page.goto(`${h.url}/#/reports?q=${week}`);
    await waitLoaded(page);
    const frame = page.locator('iframe.report-frame');
    // Shown, never run: no allow-scripts (same origin only so the page can fit the frame to the report).
    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(await frame.getAttribute('src')).toBe(`/api/v1/reports?week=${week}&format=html`);
    const body = page.frameLocator('iframe.report-frame').locator('body');
    await body.waitFor();
    expect(await body.innerText()).toMatch(/gmail\.com/);
    expect(await page.locator('nav.weeks a', { hasText: week.slice(5) }).getAttribute('aria-current')).toBe(
      'page',
    );
    await page.goto(`${h.url}/#/reports?q=${week}&format=json`);
    await waitLoaded(page);
    expect(await page.getByTestId('report-json').innerText()).toMatch(
      /Recipient does not exist|recipient-unknown/,
    );
    expect(errors).toEqual([]);
  });

  it('live: new data appears without a reload (the bench measures how fast)', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/overview?range=1h`);
    await waitLoaded(page);
    await page.locator('.live.connected').waitFor();
    const before = Number((await text(page, '[data-testid=tile-rejected] .tile-value')).replace(/,/g, ''));
    const deferred = Number((await text(page, '[data-testid=tile-deferred] .tile-value')).replace(/,/g, ''));
    const fresh = Array.from({ length: 7 }, (_, i) =>
      attempt({
        ts: Date.now() - 1000 - i,
        outcome: 'deferred',
        class: 'temporary',
        cause: 'greylisted',
        replyCode: 450,
        enhancedStatus: '4.2.0',
        dsn: '4.2.0',
        diagnostic: '450 4.2.0 Greylisted, come back later',
      }),
    );
    h.write(fresh);
    h.bus.emitBatch({ attempts: fresh, rejects: [], linesRead: 7, unparsed: 0, newestTs: Date.now() });
    await page
      .getByTestId('tile-deferred')
      .locator('.tile-value')
      .filter({ hasText: new RegExp(`^${(deferred + 7).toLocaleString('en-US')}$`) })
      .waitFor();
    expect(Number((await text(page, '[data-testid=tile-rejected] .tile-value')).replace(/,/g, ''))).toBe(
      before,
    );
    expect(errors).toEqual([]);
  });
});
