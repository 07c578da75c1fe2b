// axe-core on every page, with data and on an empty database, light and dark: no serious or critical violation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPage,
  seriousViolations,
  startServer,
  waitLoaded,
  type Harness,
} from './harness.js';

const HOUR = 3_600_000;
const NOW = Date.now();

const PAGES = [
  'overview?range=24h',
  'overview?range=24h&section=inbound',
  'overview?range=24h&section=protection',
  'domain/gmail.com?range=7d',
  'provider/google?range=7d',
  'cause/recipient-unknown?range=7d',
  'code/5.1.1?range=7d',
  'trace',
  'trace?q=user1@gmail.com',
  'codes?q=5.7.26',
  'codes?q=999',
  'unparsed',
  'reports',
  'reports?format=json',
];

describe('accessibility (axe-core)', () => {
  let browser: Browser;
  let data: Harness;
  let empty: Harness;
  beforeAll(async () => {
    [data, empty, browser] = await Promise.all([
      startServer({
        data: { attempts: 6000, from: NOW - 8 * 24 * HOUR, to: NOW - 60_000, hosts: ['mx1.sender.example'] },
      }),
      startServer({ data: null }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser.close();
    await data.close();
    await empty.close();
  });

  const check = async (h: Harness, scheme: 'light' | 'dark', viewport = { width: 1360, height: 900 }) => {
    const { page } = await openPage(browser, viewport);
    await page.emulateMedia({ colorScheme: scheme });
    const found: Record<string, unknown> = {};
    for (const path of PAGES) {
      await page.goto(`${h.url}/#/${path}`);
      await waitLoaded(page);
      // Charts open their table too, so that it is checked as well.
      const show = page.getByRole('button', { name: 'Show as table' });
      while ((await show.count()) > 0) await show.first().click();
      const v = await seriousViolations(page);
      if (v.length > 0) found[path] = v;
    }
    await page.context().close();
    return found;
  };

  it('with data, light and dark', async () => {
    expect(await check(data, 'light')).toEqual({});
    expect(await check(data, 'dark')).toEqual({});
  }, 120_000);

  it('on an empty database, and on a phone', async () => {
    expect(await check(empty, 'light')).toEqual({});
    expect(await check(data, 'light', { width: 390, height: 844 })).toEqual({});
  }, 120_000);
});
