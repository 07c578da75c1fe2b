// Golden files: every format of the fixture's 2026-W47 report, byte for byte. A missing file fails;
// UPDATE_GOLDEN=1 writes them all (then review the diff before committing).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAddressesCsv } from '../../../server/report/render-csv.js';
import { renderReport, REPORT_FORMATS } from '../../../server/report/render.js';
import { weekRange } from '../../../server/report/week.js';
import type { Knowledge } from '../../../server/services/knowledge.js';
import { fixtureDatabase, reportOf } from './fixture-db.js';

const goldenDir = join(import.meta.dirname, '../../fixtures/report/golden');
const { db } = fixtureDatabase();
afterAll(() => db.close());

/** Fixed wording, so the classifier's texts can improve without touching these files (counts.test.ts checks the wiring). */
const fixedKnowledge: Knowledge = {
  cause: (id) => ({
    cause: id,
    title: `Title of ${id}`,
    meaning: `What ${id} means.`,
    action: `What to do about ${id}: check \`dig MX <domain>\` & retry.`,
  }),
  inboundAction: (id) => `What to do here about ${id}.`,
  causes: () => [],
  explain: () => null,
  provider: (id) => ({ id, name: `Provider ${id.toUpperCase()}`, url: null }),
  providerHelp: () => null,
};

const report = await reportOf(db, weekRange(2026, 47, 'UTC'), { knowledge: fixedKnowledge });

function golden(name: string, actual: string) {
  const file = join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
  if (!existsSync(file))
    throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 to write it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('report golden files (2026-W47 of the fixture)', () => {
  for (const format of REPORT_FORMATS) {
    it(`renders ${format}`, () => {
      golden(`report-2026-W47.${format}`, renderReport(report, format));
    });
  }
  it('renders the suppression list', () => {
    golden('addresses-2026-W47.csv', renderAddressesCsv(report));
  });
});
