// The Senders and Server views in Chromium: their empty states, their tables with data, and axe-core on both.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type { TriageFacts } from '../../../db/store/triage.js';
import { attempt } from '../../integration/http/helpers.js';
import {
  launchBrowser,
  openPage,
  seriousViolations,
  startServer,
  waitLoaded,
  type Harness,
} from './harness.js';

const HOUR = 3_600_000;

function facts(now: number): TriageFacts {
  const hour = now - (now % HOUR) - HOUR;
  const sender = (saslUser: string, sender: string, clientIp: string, messages: number, unknown: number) => ({
    hour,
    saslUser,
    sender,
    clientIp,
    messages,
    recipients: messages * 2,
    bytes: messages * 4_000,
    sent: messages - unknown,
    deferred: 0,
    bounced: unknown,
    reputation: 0,
    spam: 0,
    unknown,
  });
  return {
    warnings: [
      {
        hour,
        severity: 'warning',
        topic: 'disk',
        shape: 'not enough free space in mail queue: <n> bytes < <n>*message size limit',
        example: 'not enough free space in mail queue: 1048576 bytes < 1.5*message size limit',
        count: 4,
        first: hour + 60_000,
        last: hour + 120_000,
      },
      {
        hour,
        severity: 'fatal',
        topic: 'other',
        shape: '<script>alert(1)</script> bind <ip> port <n>: Address already in use',
        example: '<script>alert(1)</script> bind 0.0.0.0 port 25: Address already in use',
        count: 1,
        first: hour + 30_000,
        last: hour + 30_000,
      },
    ],
    sessions: [
      { hour, event: 'auth-ip', key: '203.0.113.50', count: 40 },
      { hour, event: 'auth-user', key: 'admin', count: 25 },
      { hour, event: 'tls-out', key: 'TLSv1.3', count: 90 },
      { hour, event: 'tls-out', key: '', count: 10 },
      { hour, event: 'plain-domain', key: 'plain.example', count: 10 },
    ],
    senders: [
      sender('webshop@example.org', 'shop@example.org', '198.51.100.20', 400, 300),
      sender('', 'news@example.org', '203.0.113.30', 120, 2),
    ],
  };
}

describe('Senders and Server views', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startServer({ data: null });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('say what is missing when there is nothing, and pass axe-core', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/senders?range=24h`);
    await waitLoaded(page);
    await expect.poll(() => page.locator('main').innerText()).toContain('No mail sent in this range.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${h.url}/#/server?range=24h`);
    await waitLoaded(page);
    const text = await page.locator('main').innerText();
    expect(text).toContain('No warnings in this range.');
    expect(text).toContain('Queue reading is off');
    expect(text).toContain('Blocklist checks are off');
    // An empty delay section says so once, with no empty chart or tables repeating it.
    expect(text.split('No delivery with a logged delay in this range.').length - 1).toBe(1);
    // Whether Exim's paniclog was read is said, whatever this machine has at the path.
    expect(await page.getByTestId('paniclog').innerText()).toMatch(/^Exim paniclog: /);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keep a custom range when the header goes from the overview to Server and Senders', async () => {
    const { page, errors } = await openPage(browser);
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 86_400_000).toISOString();
    const range = new URLSearchParams({ from, to }).toString();
    const hash = () => new URL(page.url()).hash;
    const rangeOf = () => {
      const q = new URLSearchParams(hash().split('?')[1]);
      return [q.get('from'), q.get('to'), q.get('range')];
    };
    await page.goto(`${h.url}/#/overview?${range}`);
    await waitLoaded(page);
    await page.click('.nav a[data-page="server"]');
    await expect.poll(hash).toMatch(/^#\/server\?/);
    await waitLoaded(page);
    expect(rangeOf()).toEqual([from, to, null]);
    await page.click('.nav a[data-page="senders"]');
    await expect.poll(hash).toMatch(/^#\/senders\?/);
    expect(rangeOf()).toEqual([from, to, null]);
    await page.click('a.brand');
    await expect.poll(hash).toBe(`#/overview?${range}`);
    expect(errors).toEqual([]);
  });

  it('show submitters with their rates, and warnings by shape as text', async () => {
    createBatchWriter(h.db).write({ ...emptyBatch(), triage: facts(Date.now()) });
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/senders?range=24h`);
    await waitLoaded(page);
    const first = page.locator('main table tbody tr').first();
    await expect.poll(() => first.innerText()).toContain('webshop@example.org');
    expect(await first.innerText()).toContain('75.0%');
    await page.selectOption('#senders-by', 'ip');
    await expect
      .poll(() => page.locator('main table tbody tr').first().innerText())
      .toContain('198.51.100.20');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${h.url}/#/server?range=24h`);
    await waitLoaded(page);
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain('not enough free space in mail queue');
    expect(await main.innerText()).toContain('<script>alert(1)</script>');
    expect(await page.locator('main script').count()).toBe(0);
    expect(await main.innerText()).toContain('40 failed SMTP logins');
    expect(await main.innerText()).toContain('plain.example');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("show delivery delay on the Server view and on a domain's and a provider's page, with its trend", async () => {
    const now = Date.now();
    const rows = [];
    for (let i = 0; i < 60; i++) {
      rows.push(
        attempt({
          ts: now - 2 * HOUR - i * 1_000,
          recipientDomain: 'slow.example',
          provider: 'yahoo',
          delay: 300 + i,
        }),
        attempt({ ts: now - 5 * HOUR - i * 1_000, recipientDomain: 'gmail.com', delay: 0.8 }),
      );
    }
    createBatchWriter(h.db).write({ ...emptyBatch(), attempts: rows });
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/server?range=24h`);
    await waitLoaded(page);
    const summary = page.getByTestId('delay-summary');
    await expect.poll(() => summary.innerText()).toMatch(/^Median .* over 120 delivered recipients/);
    expect(await page.getByTestId('delay-trend').locator('figcaption').innerText()).toMatch(
      /per hour, log scale/,
    );
    const byDomain = page.locator('table', { hasText: 'slow.example' }).first();
    expect(await byDomain.innerText()).toMatch(/slow\.example\s+60\s+5\.\d min/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('a[href^="#/domain/slow.example"]');
    await waitLoaded(page);
    await expect
      .poll(() => page.getByTestId('delay-summary').innerText())
      .toMatch(/^Median 5\.\d min, p95 [56]\.\d min over 60/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${h.url}/#/provider/google?range=24h`);
    await waitLoaded(page);
    await expect.poll(() => page.getByTestId('delay-summary').innerText()).toMatch(/^Median 0\.\d s/);
    expect(errors).toEqual([]);
  });
});
