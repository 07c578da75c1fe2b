/** Starts the real app on a temp database with generated data and a fresh web bundle, for browser tests. */

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type { MessageRow } from '../../../db/store/stored-rows.js';
import type { AttemptRow, RejectRow, UnparsedSample } from '../../../db/store/stored-rows.js';
import { generateRows, type GenerateOptions } from '../../../scripts/bench/api-rows.js';
import { parseConfig } from '../../../server/config.js';
import { createEventBus, type EventBus } from '../../../server/events.js';
import { createServer } from '../../../server/compose.js';
import { silentLogger } from '../../../server/log.js';

const root = new URL('../../../', import.meta.url).pathname;

/** Bundles web/ into a temp folder exactly as scripts/build.mjs does (never a stale dist/). */
async function buildWeb(outDir: string): Promise<void> {
  cpSync(join(root, 'web/public'), outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'web/src/main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outfile: join(outDir, 'app.js'),
    logLevel: 'warning',
  });
}

export interface Harness {
  url: string;
  db: Db;
  bus: EventBus;
  dir: string;
  write(attempts: AttemptRow[], rejects?: RejectRow[], unparsed?: UnparsedSample[]): void;
  /** Cuts every open connection (the live stream with them), as a stopped or restarted server does. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startServer(
  options: { data?: GenerateOptions | null; now?: () => number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-e2e-'));
  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  const db = openDatabase({ file: join(dir, 'test.db') });
  const batchOf = (
    attempts: AttemptRow[],
    rejects: RejectRow[] = [],
    unparsed: UnparsedSample[] = [],
    messages: MessageRow[] = [],
  ) => {
    const batch = { ...emptyBatch(), attempts, rejects, unparsedSamples: unparsed, messages };
    for (const u of unparsed)
      batch.unparsedCounts.set(u.program, (batch.unparsedCounts.get(u.program) ?? 0) + 1);
    // A line read per event, as ingest counts them (the unparsed page gives the share it missed).
    batch.lineStats.set('read', attempts.length + rejects.length + unparsed.length);
    return batch;
  };
  if (options.data) {
    const writer = createBatchWriter(db);
    for (const b of generateRows(options.data)) writer.write(batchOf(b.attempts, b.rejects, [], b.messages));
  }
  // Later rows go through the store's writer, as ingest writes them: it forgets the dashboard's stale memos.
  const store = createSqliteWriter(db, options.now ? { now: options.now } : {});
  const write = (attempts: AttemptRow[], rejects: RejectRow[] = [], unparsed: UnparsedSample[] = []) => {
    void store.write(batchOf(attempts, rejects, unparsed));
  };
  const bus = createEventBus();
  const { app } = createServer({
    db,
    bus,
    log: silentLogger(),
    config: parseConfig({}),
    webRoot,
    ...(options.now ? { now: options.now } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    bus,
    dir,
    write,
    dropConnections: () => server.closeAllConnections(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page that records console errors, page errors and failed requests, so a test can assert there were none. */
export async function openPage(
  browser: Browser,
  viewport = { width: 1360, height: 900 },
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The live stream is cut when a test closes the page; that is not an error of the page.
    if (!r.url().endsWith('/api/v1/events')) errors.push(`requestfailed: ${r.url()}`);
  });
  return { page, errors };
}

/** Waits until the current page has rendered its data (pages set data-loaded on <main> once drawn). */
export async function waitLoaded(page: Page): Promise<void> {
  await page.locator('main[data-loaded]').waitFor({ state: 'attached', timeout: 10_000 });
}

/** One violation axe-core found: its rule, how bad, and where. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const AXE_SOURCE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and answers its serious and critical
 * violations. Injected through the debugging protocol, which the page's CSP does not govern.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations: AxeViolation[] = await page.evaluate(`(async () => {
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
