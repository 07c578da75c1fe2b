// The dashboard says what `explain` and `classify` say: the same provider usage of a code with its cause and
// source page, the same conflict sentence on a trace, and a provider's help page that fits the cause.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, explain, providerHelp, providerInfo } from '../../../classify/index.js';
import type { ClassifyInput } from '../../../classify/types.js';
import { attempt } from '../../integration/http/helpers.js';
import { launchBrowser, openPage, startServer, waitLoaded, type Harness } from './harness.js';

const MINUTE = 60_000;
const NOW = Date.now();

/** An attempt row classified as ingest classifies it. */
function classified(input: ClassifyInput & { diagnostic: string }, over: Parameters<typeof attempt>[0]) {
  const c = classify(input);
  return attempt({
    ...over,
    outcome: input.outcome === 'bounced' ? 'bounced' : 'deferred',
    replyCode: c.replyCode,
    enhancedStatus: c.enhancedStatus,
    diagnostic: input.diagnostic,
    class: c.class ?? 'permanent',
    cause: c.cause,
    provider: c.provider,
    blocklist: c.blocklist,
    hardBounce: c.hardBounce,
    classConflict: c.conflict,
  });
}

describe('the dashboard and the classifier say the same', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    [h, browser] = await Promise.all([startServer({ data: null }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser.close();
    await h.close();
  });

  it('the code reference gives how providers use a code, with its cause and source, as explain does', async () => {
    const e = explain('5.4.1')!;
    const microsoft = e.providerNotes.find((n) => n.provider.startsWith('Microsoft'));
    expect(microsoft?.cause).toBe('recipient-unknown');
    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/codes?q=5.4.1`);
    await waitLoaded(page);
    const notes = page.getByTestId('code-explanation').locator('.provider-note');
    expect(await notes.count()).toBe(e.providerNotes.length);
    for (const [i, n] of e.providerNotes.entries()) {
      const note = notes.nth(i);
      expect(await note.locator('h4').innerText()).toBe(`${n.provider}: ${n.label}`);
      expect(await note.innerText()).toContain(n.meaning);
      expect(await note.locator('.source').innerText()).toBe(`Source: ${n.source}`);
      if (n.cause !== null) {
        expect(await note.locator('a').first().getAttribute('href')).toMatch(
          new RegExp(`^#/cause/${n.cause}\\b`),
        );
      }
    }
    // The RFC meaning stays next to it.
    expect(await page.getByTestId('code-explanation').innerText()).toContain(e.meaning);
    expect(errors).toEqual([]);
  });

  it('a trace shows the conflict sentence classify gives, and a provider page links the help that fits', async () => {
    const full = {
      diagnostic: '552 5.2.2 The email account that you tried to reach is over quota. gsmtp',
      outcome: 'bounced' as const,
      remoteHost: 'gmail-smtp-in.l.google.com',
      recipientDomain: 'gmail.com',
    };
    const disagreeing = { diagnostic: '550 4.2.2 Mailbox full', outcome: 'deferred' as const };
    const conflict = classify(disagreeing).conflict;
    expect(conflict).not.toBeNull();
    h.write([
      classified(full, { ts: NOW - 3 * MINUTE, recipient: 'full@gmail.com' }),
      classified(disagreeing, { ts: NOW - 2 * MINUTE, recipient: 'quota@example.org' }),
    ]);
    await expect
      .poll(async () => {
        const r = await fetch(`${h.url}/api/v1/trace?q=quota@example.org`);
        return r.ok ? ((await r.json()) as { total: number }).total : 0;
      })
      .toBe(1);

    const { page, errors } = await openPage(browser);
    await page.goto(`${h.url}/#/trace?q=quota@example.org`);
    await waitLoaded(page);
    // One message found opens at once.
    expect(await page.locator('.conflict-note').innerText()).toBe(`Conflict: ${conflict}`);

    // Gmail's full mailbox points at its code reference, never at the sender guidelines.
    const help = providerHelp('google', 'mailbox-full');
    expect(help).not.toBeNull();
    expect(help).not.toBe(providerInfo('google')?.url);
    await page.goto(`${h.url}/#/provider/google?range=1h`);
    await waitLoaded(page);
    expect(await page.locator('h1').innerText()).toBe(providerInfo('google')!.name);
    const pages = await page.getByTestId('provider-help').locator('li').allInnerTexts();
    const forFull = pages.filter((p) => p.includes('Recipient mailbox is full'));
    expect(forFull).toHaveLength(1);
    expect(forFull[0]!.startsWith(`${help} for `)).toBe(true);
    expect(errors).toEqual([]);
  });
});
