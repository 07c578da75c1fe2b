import { describe, expect, it } from 'vitest';
import {
  BASIC_CODES,
  BLOCKLISTS,
  CAUSE_INFO,
  ENHANCED_CODES,
  ENHANCED_SUBJECTS,
  PROVIDER_CODES,
  PROVIDERS,
  causeInfo,
  explain,
  providerInfo,
} from '../../../classify/index.js';
import { CAUSES } from '../../../classify/types.js';

describe('basic reply code table', () => {
  it('has a title, meaning and action for every code', () => {
    for (const c of BASIC_CODES) {
      expect(c.title.length, String(c.code)).toBeGreaterThan(3);
      expect(c.meaning.length, String(c.code)).toBeGreaterThan(10);
      expect(c.action.length, String(c.code)).toBeGreaterThan(5);
    }
  });

  it('gives every failure code (4xx, 5xx) at least one cause and no cause to the others', () => {
    for (const c of BASIC_CODES) {
      // 453 (ATRN: no mail waiting) is a 4xx that reports nothing wrong.
      if (c.code >= 400 && c.code !== 453) expect(c.causes.length, String(c.code)).toBeGreaterThan(0);
      else expect(c.causes, String(c.code)).toEqual([]);
      for (const cause of c.causes) expect(CAUSES).toContain(cause);
    }
  });

  it("covers the admin guide's codes, its non-standard ones, and RFC 5321's", () => {
    const guide = [
      211, 214, 220, 221, 250, 251, 252, 253, 354, 355, 421, 432, 450, 451, 452, 453, 454, 458, 459, 500, 501,
      502, 503, 504, 510, 512, 515, 517, 521, 522, 523, 530, 531, 533, 534, 535, 538, 540, 541, 542, 543, 544,
      545, 546, 547, 550, 551, 552, 553, 554,
    ];
    const rfc5321 = [
      211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 550, 551, 552,
      553, 554, 555,
    ];
    const have = new Set(BASIC_CODES.map((c) => c.code));
    for (const code of [...guide, ...rfc5321]) expect(have.has(code), String(code)).toBe(true);
    for (const code of rfc5321)
      expect(BASIC_CODES.find((c) => c.code === code)?.standard, String(code)).toBe(true);
  });

  it('is free of duplicates', () => {
    expect(new Set(BASIC_CODES.map((c) => c.code)).size).toBe(BASIC_CODES.length);
  });
});

describe('enhanced status code table', () => {
  it('has a title, meaning, action, classes and a cause for every code', () => {
    for (const c of ENHANCED_CODES) {
      expect(c.code).toMatch(/^X\.[0-7]\.\d{1,2}$/);
      expect(c.title.length, c.code).toBeGreaterThan(3);
      expect(c.meaning.length, c.code).toBeGreaterThan(10);
      expect(c.action.length, c.code).toBeGreaterThan(10);
      expect(c.classes.length, c.code).toBeGreaterThan(0);
      expect(c.causes.length, c.code).toBeGreaterThan(0);
      expect(c.rfc, c.code).toMatch(/RFC \d+|IANA/);
    }
  });

  it('covers every detail code of RFC 3463 and the registry extensions', () => {
    const want: string[] = [];
    const perSubject: Record<number, number> = { 0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30 };
    for (const [subject, max] of Object.entries(perSubject)) {
      for (let d = 0; d <= max; d++) want.push(`X.${subject}.${d}`);
    }
    const have = new Set(ENHANCED_CODES.map((c) => c.code));
    for (const code of want) expect(have.has(code), code).toBe(true);
    expect(new Set(ENHANCED_CODES.map((c) => c.code)).size).toBe(ENHANCED_CODES.length);
  });

  it('describes the eight subjects', () => {
    expect(ENHANCED_SUBJECTS.map((s) => s.subject)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('can explain every code of both tables with a class and an action', () => {
    for (const c of BASIC_CODES) {
      const e = explain(String(c.code));
      expect(e?.class, String(c.code)).not.toBeNull();
      expect(e?.actions.length, String(c.code)).toBeGreaterThan(0);
    }
    for (const c of ENHANCED_CODES) {
      for (const digit of c.classes) {
        const code = `${digit}${c.code.slice(1)}`;
        const e = explain(code);
        expect(e?.class, code).not.toBeNull();
        expect(e?.meaning.length, code).toBeGreaterThan(10);
        expect(e?.actions.length, code).toBeGreaterThan(0);
      }
    }
  });
});

describe('causes', () => {
  it('has a title, meaning and action for every cause', () => {
    for (const cause of CAUSES) {
      const info = causeInfo(cause);
      expect(info.cause).toBe(cause);
      expect(info.title.length, cause).toBeGreaterThan(3);
      expect(info.meaning.length, cause).toBeGreaterThan(20);
      expect(info.action.length, cause).toBeGreaterThan(40);
      expect(info.inboundAction.length, cause).toBeGreaterThan(40);
    }
    expect(Object.keys(CAUSE_INFO).sort()).toEqual([...CAUSES].sort());
  });
});

describe('providers and provider codes', () => {
  it('knows the providers the issue names', () => {
    for (const id of [
      'google',
      'microsoft',
      'yahoo',
      'apple',
      'united-internet',
      'orange',
      'comcast',
      'mimecast',
      'proofpoint',
      'barracuda',
      'cloudflare',
      'zoho',
      'fastmail',
      'yandex',
      'mailru',
    ]) {
      const p = providerInfo(id);
      expect(p?.name.length, id).toBeGreaterThan(2);
    }
    expect(providerInfo('nobody')).toBeUndefined();
  });

  it('has unique provider ids and https help pages', () => {
    expect(new Set(PROVIDERS.map((p) => p.id)).size).toBe(PROVIDERS.length);
    for (const p of PROVIDERS) if (p.url !== null) expect(p.url, p.id).toMatch(/^https:\/\//);
  });

  it('gives every provider code a known provider, a meaning and an action', () => {
    for (const pc of PROVIDER_CODES) {
      expect(providerInfo(pc.provider), pc.label).toBeDefined();
      expect(pc.meaning.length, pc.label).toBeGreaterThan(20);
      expect(pc.action.length, pc.label).toBeGreaterThan(20);
      if (pc.cause !== undefined) expect(CAUSES).toContain(pc.cause);
    }
  });

  it('gives every blocklist an operator', () => {
    for (const b of BLOCKLISTS) expect(b.operator.length, b.name).toBeGreaterThan(1);
  });
});
