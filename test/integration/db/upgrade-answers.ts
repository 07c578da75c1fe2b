/**
 * Every API answer and every report of a database, as JSON: what the lean-storage upgrade test compares before and
 * after migrating a database written by schema 9. Generation times are taken out (they say when, not what).
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../../db/sqlite/open.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { parseConfig } from '../../../server/config.js';
import { createServer } from '../../../server/compose.js';
import { createEventBus } from '../../../server/events.js';
import { silentLogger } from '../../../server/log.js';
import { renderAddressesCsv } from '../../../server/report/render-csv.js';
import { renderReport, REPORT_FORMATS } from '../../../server/report/render.js';
import { weekRange } from '../../../server/report/week.js';
import type { Knowledge } from '../../../server/services/knowledge.js';
import { buildReport } from '../../../server/services/report-model.js';

/** "Now" of the fixture: the end of its generated week. */
export const UPGRADE_NOW = Date.parse('2026-11-28T12:00:00Z');

/** Fixed wording, so the classifier's texts can change without touching the stored answers. */
const fixedKnowledge: Knowledge = {
  cause: (id) => ({
    cause: id,
    title: `Title of ${id}`,
    meaning: `What ${id} means.`,
    action: `What to do about ${id}.`,
  }),
  inboundAction: () => null,
  causes: () => [],
  explain: () => null,
  provider: (id) => ({ id, name: `Provider ${id}`, url: null }),
  providerHelp: () => null,
};

/** The dashboard's calls over ranges, filters, drill-downs of every key listed, and the trace searches given. */
export function overviewUrls(): string[] {
  const urls: string[] = [];
  for (const range of ['1h', '24h', '7d', '30d']) {
    for (const ep of ['summary', 'series', 'causes', 'domains', 'providers', 'codes', 'hosts']) {
      urls.push(`/api/v1/${ep}?range=${range}`);
    }
  }
  const abs = `from=${new Date(UPGRADE_NOW - 3 * 86_400_000).toISOString()}&to=${new Date(UPGRADE_NOW - 86_400_000 - 17 * 60_000).toISOString()}`;
  for (const ep of ['summary', 'series', 'causes', 'domains', 'codes']) urls.push(`/api/v1/${ep}?${abs}`);
  urls.push('/api/v1/unparsed', '/api/v1/unparsed?limit=5&offset=2', '/api/v1/reports/weeks');
  urls.push('/api/v1/reports?week=2026-W48', '/api/v1/reports?week=2026-W47');
  urls.push('/api/v1/alerts');
  return urls;
}

/** Drill-down URLs for every key that the 7-day lists name. */
export function drillDownUrls(lists: {
  causes: unknown;
  domains: unknown;
  providers: unknown;
  codes: unknown;
}): string[] {
  const keys: [string, string[]][] = [
    ['causes', ((lists.causes as { causes?: { cause: string }[] }).causes ?? []).map((r) => r.cause)],
    ['domains', ((lists.domains as { rows?: { key: string }[] }).rows ?? []).map((r) => r.key)],
    ['providers', ((lists.providers as { rows?: { key: string }[] }).rows ?? []).map((r) => r.key)],
    ['codes', ((lists.codes as { codes?: { code: string }[] }).codes ?? []).map((r) => r.code)],
  ];
  const urls: string[] = [];
  for (const [kind, list] of keys) {
    for (const key of list) {
      if (key === '') continue;
      for (const range of ['24h', '7d']) {
        urls.push(`/api/v1/${kind}/${encodeURIComponent(key)}?range=${range}&samples=15&addresses=25`);
      }
    }
  }
  return urls;
}

/** Removes what says when an answer was made rather than what it is. */
function scrub(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) =>
    key === 'generatedAt' || key === 'updatedAt' || key === 'checkedAt' ? '(time)' : v,
  ) as unknown;
}

const scrubText = (text: string) =>
  text
    .replace(/Generated [^.<]*\./g, 'Generated (time).')
    .replace(/"generatedAt":\s*"[^"]*"/g, '"generatedAt":"(time)"');

/**
 * The report's triage sections are left out: schema 9 kept no triage facts, so an upgrade cannot bring them, and
 * their own tests (test/integration/triage, the report goldens) check them.
 */
const TRIAGE_SECTIONS = ['senders', 'senderIps', 'server'];

/**
 * A rendered report's answer without its Senders and Server sections, for comparing a store that kept triage facts
 * (schema 11) with answers recorded from one that did not (schema 9).
 */
export function withoutTriageSections(key: string, answer: unknown): unknown {
  if (typeof answer !== 'string' || !key.startsWith('report ')) return answer;
  if (key.endsWith(' json')) {
    const report = JSON.parse(answer) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(report).filter(([k]) => !TRIAGE_SECTIONS.includes(k)));
  }
  return answer
    .replace(/^## Senders\n[\s\S]*?(?=^## (?!Server\n))/m, '')
    .replace(/<h2[^>]*>Senders[< ][\s\S]*?(?=<h2[^>]*>(?!Server[< ]))/, '');
}

/** Serves `db` with a fixed clock and asks it every URL; builds every report format of two weeks. */
export async function collectAnswers(db: Db, urls: readonly string[]): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-upgrade-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bouncewatch</title>');
  const { app } = createServer({
    db,
    bus: createEventBus(),
    log: silentLogger(),
    config: parseConfig({}),
    webRoot: dir,
    now: () => UPGRADE_NOW,
    knowledge: fixedKnowledge,
    rateLimit: { windowMs: 60_000, limit: 1_000_000 },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answers: Record<string, unknown> = {};
  try {
    for (const url of urls) {
      const res = await fetch(base + url);
      const body = (await res.json()) as Record<string, unknown>;
      const kept = url.startsWith('/api/v1/reports?')
        ? Object.fromEntries(Object.entries(body).filter(([k]) => !TRIAGE_SECTIONS.includes(k)))
        : body;
      answers[url] = { status: res.status, body: scrub(kept) };
    }
    const reader = createSqliteReader(db, { now: () => UPGRADE_NOW });
    for (const week of [47, 48]) {
      const report = await buildReport(reader, weekRange(2026, week, 'UTC'), {
        now: UPGRADE_NOW,
        timeZone: 'UTC',
        knowledge: fixedKnowledge,
        triage: reader,
      });
      for (const format of REPORT_FORMATS) {
        answers[`report 2026-W${week} ${format}`] = scrubText(renderReport(report, format));
      }
      answers[`report 2026-W${week} addresses`] = renderAddressesCsv(report);
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
  return answers;
}
