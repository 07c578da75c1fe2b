import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCKLIST_REGEXES } from '../../../classify/blocklists.js';
import { STAGE_REGEXES } from '../../../classify/extract.js';
import { createPrefilter, requiredLiterals } from '../../../classify/prefilter.js';
import { STRONG_MEANINGS, WEAK_MEANINGS } from '../../../classify/meanings.js';
import { PROVIDER_RULES } from '../../../classify/provider-codes.js';
import { PROVIDER_MARKER_REGEXES } from '../../../classify/providers.js';
import { OWN_REPLIES } from './own-replies.js';

const ALL: RegExp[] = [
  ...STRONG_MEANINGS.map((r) => r.re),
  ...WEAK_MEANINGS.map((r) => r.re),
  ...PROVIDER_RULES.map((p) => p.re),
  ...BLOCKLIST_REGEXES,
  ...PROVIDER_MARKER_REGEXES,
  ...STAGE_REGEXES,
];

describe('requiredLiterals', () => {
  it('finds the words every match must contain', () => {
    expect(requiredLiterals(/user unknown|no such user/i)).toEqual(['user unknown', 'no such user']);
    expect(requiredLiterals(/\bSPF\b|DKIM/)).toEqual(['spf', 'dkim']);
    expect(requiredLiterals(/(?:mailbox|account) (?:is )?full/i)?.sort()).toEqual(['account', 'mailbox']);
    expect(requiredLiterals(/5\.7\.6\d\d/)).toEqual(['5.7.6']);
    expect(requiredLiterals(/(?:black|block)?listed/)).toEqual(['listed']);
  });

  it('gives up (the regex then always runs) where no word is required', () => {
    expect(requiredLiterals(/\d+|user/)).toBeNull();
    expect(requiredLiterals(/ab|user/)).toBeNull();
    expect(requiredLiterals(/(?:user)?x/)).toBeNull();
  });
});

describe('prefilter', () => {
  const prefilter = createPrefilter(ALL);

  function check(text: string) {
    prefilter.scan(text);
    ALL.forEach((re, i) => {
      if (re.test(text))
        expect(prefilter.may(i), `${re.source.slice(0, 60)} on ${text.slice(0, 80)}`).toBe(true);
    });
  }

  it('never rules out a regex that matches our own replies', () => {
    for (const r of OWN_REPLIES) check(r.text);
  });

  it('never rules out a regex that matches generated text', () => {
    const pieces = ALL.flatMap((re) => (requiredLiterals(re) ?? []).slice(0, 3));
    const text = fc
      .array(
        fc.oneof(
          fc.tuple(fc.constantFrom(...pieces), fc.boolean()).map(([p, up]) => (up ? p.toUpperCase() : p)),
          fc.string({ maxLength: 6 }),
        ),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(text, (t) => check(t)),
      { numRuns: 1500 },
    );
  });

  it('reduces every regex we use to literals', () => {
    expect(prefilter.reduced).toBe(ALL.length);
  });
});
