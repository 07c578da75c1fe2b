// The html report in headless Chromium: no console errors, no script runs, charts drawn; saves the README screenshot.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../server/report/render-html.js';
import { weekRange } from '../../../server/report/week.js';
import { fixtureDatabase, reportOf } from './fixture-db.js';

const repoRoot = join(import.meta.dirname, '../../..');
// The committed screenshot is rewritten only on request, so a test run leaves the tree clean.
const shotDir =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? join(repoRoot, 'docs/screenshots')
    : mkdtempSync(join(tmpdir(), 'bouncewatch-report-'));

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser.close();
});

describe('html report in a browser', () => {
  it('opens without console errors, runs no log text, and draws the daily chart', async () => {
    const { db } = fixtureDatabase();
    const report = await reportOf(db, weekRange(2026, 47, 'UTC'));
    db.close();
    const html = renderHtml(report);
    // The fixture carries a reply with a script tag: it must arrive as text.
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);

    const page = await browser.newPage({ viewport: { width: 900, height: 1300 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    await page.setContent(html, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe('Deliverability report 2026-W47');
    // Seven days, bars for the days with failures, in both colours.
    const bars = await page.locator('svg rect[fill="#e8a33d"]').count();
    const permanentBars = await page.locator('svg rect[fill="#c8423b"]').count();
    expect(bars).toBeGreaterThanOrEqual(7);
    expect(permanentBars).toBeGreaterThanOrEqual(6);
    const text = await page.locator('body').innerText();
    expect(text).toContain('<script>alert("x")</script>');
    expect(text).toContain('Hard-bounced addresses: 5');

    mkdirSync(shotDir, { recursive: true });
    await page.screenshot({ path: join(shotDir, 'report.png'), fullPage: false });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.close();
  });
});
