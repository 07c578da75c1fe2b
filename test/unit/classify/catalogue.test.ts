import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, PROVIDER_CODES, providerInfo } from '../../../classify/index.js';
import { CAUSES } from '../../../classify/types.js';
import { scoreCatalogue, type CatalogueRow } from '../../../scripts/score-replies.js';

// Replies the providers document, each with the page it comes from (test/fixtures/classify/SOURCE.txt).
const rows = readFileSync(new URL('../../fixtures/classify/provider-replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as CatalogueRow);

describe('provider catalogue', () => {
  it('classifies every documented reply to its documented cause', () => {
    const score = scoreCatalogue(rows);
    expect(score.misses.map((m) => `${m.row.provider}: ${m.row.text} -> ${m.got.cause ?? '-'}`)).toEqual([]);
    expect(score.total).toBe(rows.length);
  });

  it('covers the large receivers the issue names, each reply with a source page', () => {
    const providers = new Set(rows.map((r) => r.provider));
    for (const p of [
      'google',
      'microsoft',
      'yahoo',
      'apple',
      'comcast',
      'united-internet',
      'orange',
      'mailru',
      'yandex',
      'zoho',
      'mimecast',
      'proofpoint',
      'barracuda',
      'cisco',
    ])
      expect(providers.has(p), p).toBe(true);
    for (const r of rows) {
      expect(r.source, r.text).toMatch(/^https?:\/\/\S+$/);
      expect(CAUSES).toContain(r.cause);
      expect(r.text.length, r.text).toBeLessThan(260);
    }
  });

  it('names the provider of every documented reply from its host', () => {
    for (const r of rows) expect(providerInfo(r.provider), r.provider).toBeDefined();
  });

  it('gives every entry a cause or a meaning, an action and a source page', () => {
    for (const pc of PROVIDER_CODES) {
      expect(pc.source, pc.label).toMatch(/^https?:\/\//);
      expect(pc.codes.length, pc.label).toBeGreaterThan(0);
      expect(pc.meaning.length, pc.label).toBeGreaterThan(20);
      expect(pc.action.length, pc.label).toBeGreaterThan(20);
    }
  });

  it('is what explain reads for how providers use a code', () => {
    const e541 = explain('5.4.1');
    expect(e541?.providerNotes.map((n) => n.provider)).toContain('Microsoft (Outlook.com / Exchange Online)');
    expect(e541?.causes).toContain('recipient-unknown');
    expect(e541?.meaning).toMatch(/No answer from host|did not answer/);
    for (const pc of PROVIDER_CODES) {
      for (const code of pc.codes.filter((c) => /^[245]\.\d\.\d{1,3}$/.test(c))) {
        const e = explain(code);
        const shown =
          e?.providerNotes.some((n) => n.label === pc.label) === true || e?.title.includes(pc.label) === true;
        expect(shown, `${pc.label} ${code}`).toBe(true);
      }
    }
  });
});
