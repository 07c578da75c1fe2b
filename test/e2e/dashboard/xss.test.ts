import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, reject } from '../../integration/http/helpers.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const NOW = Date.now();
const MIN = 60_000;

/** Each payload would set window.__xss (or open a dialog) if it ever ran. */
const SCRIPT = '<script>window.__xss="script";alert(1)</script>';
const IMG = '<img src=x onerror="window.__xss=\'img\';alert(2)">';
const SVG = '<svg/onload=window.__xss="svg";alert(3)>';
const JS_URL = 'javascript:window.__xss="url";alert(4)';
const BAD_DOMAIN = '<svg/onload=alert(5)>.example';

describe('attacker-controlled log text is only ever shown as text', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startServer();
    const failure = {
      outcome: 'bounced' as const,
      class: 'permanent' as const,
      cause: 'recipient-unknown',
      replyCode: 550,
      enhancedStatus: '5.1.1',
      dsn: '5.1.1',
    };
    h.write(
      [
        attempt({
          ts: NOW - 10 * MIN,
          ...failure,
          queueId: 'XSS0001',
          recipient: `${SCRIPT}@evil.example`,
          diagnostic: `550 5.1.1 ${IMG} no such user ${SVG}`,
        }),
        attempt({
          ts: NOW - 9 * MIN,
          ...failure,
          queueId: 'XSS0002',
          recipient: `${JS_URL}@evil.example`,
          diagnostic: `550 5.1.1 see ${JS_URL} ${SCRIPT}`,
        }),
        attempt({
          ts: NOW - 8 * MIN,
          ...failure,
          queueId: 'XSS0003',
          recipient: `victim@${BAD_DOMAIN}`,
          sender: IMG,
          relayHost: SVG,
          diagnostic: `550 5.1.1 ${SVG}`,
        }),
        attempt({
          ts: NOW - 7 * MIN,
          ...failure,
          queueId: 'XSS0004',
          provider: 'evil-provider',
          recipient: 'p@evil.example',
          diagnostic: IMG,
        }),
      ],
      [
        reject({
          ts: NOW - 6 * MIN,
          queueId: 'XSS0005',
          helo: SCRIPT,
          clientHost: IMG,
          sender: SVG,
          recipient: `${JS_URL}@sender.example`,
          diagnostic: `554 5.7.1 ${SVG} blocked`,
        }),
      ],
      [
        {
          program: 'postfix/smtpd',
          shape: 'x',
          reason: SVG,
          line: `Nov 28 postfix/smtpd[1]: ${SCRIPT} ${IMG}`,
          ts: NOW,
        },
      ],
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  async function visit(page: Page, hash: string, mustShow: string[]): Promise<void> {
    await page.goto(`${h.url}/${hash}`);
    await waitLoaded(page);
    const text = await page.locator('main').innerText();
    for (const s of mustShow) expect(text, `${hash} shows ${s} as text`).toContain(s);
    // Nothing of the payload became an element.
    expect(await page.locator('main script, main img, main svg, main iframe').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.evaluate('window.__xss === undefined')).toBe(true);
  }

  it('overview, drill-downs, trace and unparsed pages show every payload inertly', async () => {
    const { page, errors } = await openPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const enc = encodeURIComponent;
    await visit(page, '#/overview?range=24h', [BAD_DOMAIN.toLowerCase(), 'evil-provider']);
    await visit(page, '#/domain/evil.example?range=24h', [SCRIPT, IMG, SVG, JS_URL]);
    await visit(page, `#/domain/${enc(BAD_DOMAIN.toLowerCase())}?range=24h`, [BAD_DOMAIN.toLowerCase(), SVG]);
    await visit(page, '#/cause/recipient-unknown?range=24h', [SCRIPT, IMG, SVG, JS_URL]);
    await visit(page, '#/code/5.1.1?range=24h', [IMG, JS_URL]);
    await visit(page, '#/provider/evil-provider?range=24h', [IMG]);
    await visit(page, `#/trace?q=XSS0003`, [IMG, SVG, BAD_DOMAIN.toLowerCase()]);
    await visit(page, `#/trace?q=XSS0005`, [SCRIPT, IMG, SVG]);
    await visit(page, `#/trace?q=${enc(`${SCRIPT}@evil.example`)}&format=recipient`, [SCRIPT, IMG]);
    await visit(page, '#/unparsed', [SCRIPT, IMG, SVG]);
    expect(await page.getByTestId('unparsed-share').innerText()).toMatch(
      /^1 of 6 lines read \(16\.7%\) was not understood; the figures leave it out\.$/,
    );
    // A hand-made link with markup in the route key is shown as text too (the API refuses it as a domain).
    await page.goto(`${h.url}/#/domain/${enc(IMG)}?range=24h`);
    await waitLoaded(page);
    expect(await page.locator('h1').innerText()).toBe(IMG);
    expect(await page.locator('main img').count()).toBe(0);

    // Following the affected-address link of the javascript: address stays on a hash route.
    await page.goto(`${h.url}/#/domain/evil.example?range=24h`);
    await waitLoaded(page);
    const link = page.locator('section[aria-labelledby=s-affected-addresses] a', { hasText: JS_URL });
    expect(await link.getAttribute('href')).toMatch(/^#\/trace\?/);
    await link.click();
    await page.locator('[data-testid=trace-message]').first().waitFor();
    expect(await page.evaluate('window.__xss === undefined')).toBe(true);

    expect(dialogs).toEqual([]);
    // A blocked inline handler would log a CSP violation: none means no markup was ever parsed.
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
  });
});
