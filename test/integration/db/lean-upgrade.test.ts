// A database written by schema 9 (every attempt's text in its own row), upgraded in place to the lean layout, gives
// every API answer and every report exactly as before (test/fixtures/upgrade: the database, gzipped, and the answers
// schema 9 gave). WRITE_UPGRADE_FIXTURE=1 rewrites both, and only a build whose newest schema is 9 may do that;
// UPDATE_GOLDEN=1 rewrites the answers only, from the upgraded database, after a change that means to change them.
// The same logs written by schema 11 (lean rows, text rollups) upgrade to the same answers too: WRITE_UPGRADE_FIXTURE=11
// rewrites that database, and only a build whose newest schema is 11 may do that.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { newestSchemaVersion, schemaVersion } from '../../../db/sqlite/migrate.js';
import { openDatabase } from '../../../db/sqlite/open.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { generateLines } from '../../../server/demo/generate.js';
import { writeLines } from '../../../server/demo/write-lines.js';
import { createEventBus } from '../../../server/events.js';
import { createIngest } from '../../../server/ingest/engine.js';
import { silentLogger } from '../../../server/log.js';
import {
  collectAnswers,
  drillDownUrls,
  overviewUrls,
  UPGRADE_NOW,
  withoutTriageSections,
} from './upgrade-answers.js';

const fixtures = join(import.meta.dirname, '../../fixtures');
const dbGz = join(fixtures, 'upgrade/schema-9.db.gz');
const answersFile = join(fixtures, 'upgrade/schema-9-answers.json.gz');
const freshAnswersFile = join(fixtures, 'upgrade/fresh-import-answers.json.gz');
const db11Gz = join(fixtures, 'upgrade/schema-11.db.gz');
const dir = mkdtempSync(join(tmpdir(), 'bw-lean-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Golden {
  urls: string[];
  answers: Record<string, unknown>;
}

/** The fixture logs of whole servers, and a generated week of Postfix and of Exim traffic, ingested into `file`. */
async function ingestFixture(file: string) {
  const logs = [
    'mx-refuses-spam/mail.log',
    'gateway-content-filter/mail.log',
    'outbound-relay/mail.log',
    'exim-host/mainlog',
    'local-faults/mail.log',
  ].map((f) => join(fixtures, 'logs', f));
  for (const [format, seed] of [
    ['postfix', 3],
    ['exim', 4],
  ] as const) {
    const out = join(dir, `${format}.log`);
    await writeLines(
      out,
      generateLines({ format, lines: 4000, seed, endMs: UPGRADE_NOW, days: 7, domains: 60 }),
    );
    logs.push(out);
  }
  const db = openDatabase({ file });
  const ingest = createIngest({
    store: createSqliteWriter(db),
    log: silentLogger(),
    bus: createEventBus(),
    now: () => UPGRADE_NOW,
  });
  await ingest.ingestFiles(logs, { year: 2026 });
  return db;
}

async function writeFixture(file: string): Promise<Golden> {
  if (newestSchemaVersion() !== 9) throw new Error('the upgrade fixture is written by a schema 9 build only');
  const db = await ingestFixture(file);
  const pick = (sql: string) => (db.prepare(sql).pluck().all() as string[]).filter((v) => v !== '');
  const searches = [
    ...pick(`SELECT recipient FROM attempts_full GROUP BY recipient ORDER BY min(id) LIMIT 6`),
    ...pick(
      `SELECT recipient FROM attempts_full WHERE outcome != 'sent' GROUP BY recipient ORDER BY max(id) DESC LIMIT 6`,
    ),
    ...pick(`SELECT queue_id FROM messages ORDER BY id LIMIT 4`),
    ...pick(`SELECT queue_id FROM messages WHERE expired_at IS NOT NULL LIMIT 2`),
    ...pick(`SELECT message_id FROM messages WHERE message_id IS NOT NULL ORDER BY id DESC LIMIT 3`),
    ...pick(`SELECT sender FROM messages WHERE sender IS NOT NULL GROUP BY sender ORDER BY count(*) LIMIT 3`),
    ...pick(`SELECT recipient FROM rejects WHERE recipient IS NOT NULL LIMIT 3`),
    ...pick(`SELECT sender FROM rejects WHERE sender IS NOT NULL LIMIT 2`),
  ];
  const lists = await collectAnswers(
    db,
    ['causes', 'domains', 'providers', 'codes'].map((l) => `/api/v1/${l}?range=7d&limit=12`),
  );
  const body = (l: string) => (lists[`/api/v1/${l}?range=7d&limit=12`] as { body: unknown }).body;
  const urls = [
    ...overviewUrls(),
    ...drillDownUrls({
      causes: body('causes'),
      domains: body('domains'),
      providers: body('providers'),
      codes: body('codes'),
    }),
    ...searches.map((q) => `/api/v1/trace?q=${encodeURIComponent(q)}`),
  ];
  const answers = await collectAnswers(db, urls);
  db.exec('VACUUM');
  db.close();
  writeFileSync(dbGz, gzipSync(readFileSync(file), { level: 9 }));
  const golden = { urls, answers };
  writeFileSync(answersFile, gzipSync(JSON.stringify(golden), { level: 9 }));
  return golden;
}

async function writeFixture11(file: string): Promise<void> {
  if (newestSchemaVersion() !== 11)
    throw new Error('the schema 11 upgrade fixture is written by a schema 11 build only');
  const db = await ingestFixture(file);
  db.exec('VACUUM');
  db.close();
  writeFileSync(db11Gz, gzipSync(readFileSync(file), { level: 9 }));
}

describe('upgrading a schema 9 database to the lean layout', async () => {
  const file = join(dir, 'upgraded.db');
  const golden =
    process.env['WRITE_UPGRADE_FIXTURE'] === '1'
      ? await writeFixture(join(dir, 'written.db'))
      : (JSON.parse(gunzipSync(readFileSync(answersFile)).toString('utf8')) as Golden);
  writeFileSync(file, gunzipSync(readFileSync(dbGz)));

  it('starts from a schema 9 database', () => {
    const db = openDatabase({ file, readonly: true });
    expect(schemaVersion(db)).toBe(9);
    db.close();
  });

  it('answers every API call and renders every report as schema 9 did', async () => {
    const db = openDatabase({ file });
    expect(schemaVersion(db)).toBe(newestSchemaVersion());
    const answers = await collectAnswers(db, golden.urls);
    db.close();
    // A later change that means to change answers rewrites them with UPDATE_GOLDEN=1 (review the diff).
    if (process.env['UPDATE_GOLDEN'] === '1') {
      writeFileSync(answersFile, gzipSync(JSON.stringify({ urls: golden.urls, answers }), { level: 9 }));
      return;
    }
    expect(Object.keys(answers)).toEqual(Object.keys(golden.answers));
    for (const key of Object.keys(golden.answers))
      expect([key, answers[key]]).toEqual([key, golden.answers[key]]);
  });

  // A fresh import is what today's ingest makes of the same logs: it matched the upgraded database when the lean
  // layout came, and parts with it where ingest has since changed what it decides (local faults, flows), so it is
  // kept as its own recorded answers, rewritten with UPDATE_GOLDEN=1 like the others (review the diff).
  it('answers a fresh import of the same logs as recorded', async () => {
    const db = await ingestFixture(join(dir, 'fresh.db'));
    const answers = await collectAnswers(db, golden.urls);
    db.close();
    if (process.env['UPDATE_GOLDEN'] === '1') {
      writeFileSync(freshAnswersFile, gzipSync(JSON.stringify(answers), { level: 9 }));
      return;
    }
    const recorded = JSON.parse(
      gunzipSync(readFileSync(freshAnswersFile)).toString('utf8'),
    ) as Golden['answers'];
    expect(Object.keys(answers)).toEqual(Object.keys(recorded));
    for (const key of Object.keys(recorded)) expect([key, answers[key]]).toEqual([key, recorded[key]]);
  });
});

describe('upgrading a schema 11 database (lean rows, text rollups)', async () => {
  const file = join(dir, 'upgraded-11.db');
  if (process.env['WRITE_UPGRADE_FIXTURE'] === '11') await writeFixture11(join(dir, 'written-11.db'));
  const golden = JSON.parse(gunzipSync(readFileSync(answersFile)).toString('utf8')) as Golden;
  writeFileSync(file, gunzipSync(readFileSync(db11Gz)));

  it('starts from a schema 11 database', () => {
    const db = openDatabase({ file, readonly: true });
    expect(schemaVersion(db)).toBe(11);
    db.close();
  });

  it('answers every API call and renders every report as schema 9 did', async () => {
    const db = openDatabase({ file });
    expect(schemaVersion(db)).toBe(newestSchemaVersion());
    const answers = await collectAnswers(db, golden.urls);
    db.close();
    // Schema 11 kept triage facts and schema 9 did not: the reports' Senders and Server sections differ.
    for (const key of Object.keys(golden.answers)) {
      expect([key, withoutTriageSections(key, answers[key])]).toEqual([
        key,
        withoutTriageSections(key, golden.answers[key]),
      ]);
    }
  });
});
