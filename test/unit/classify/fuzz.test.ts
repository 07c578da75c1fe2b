import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT } from '../../../classify/classify.js';
import { BLOCKLIST_REGEXES } from '../../../classify/blocklists.js';
import { STAGE_REGEXES } from '../../../classify/extract.js';
import { classify, classifyInbound, explain, recogniseLocalFault } from '../../../classify/index.js';
import { STRONG_MEANINGS, WEAK_MEANINGS } from '../../../classify/meanings.js';
import { PROVIDER_RULES } from '../../../classify/provider-codes.js';
import { PROVIDER_MARKER_REGEXES } from '../../../classify/providers.js';
import { CAUSES, INBOUND_CAUSES, type ClassifyInput } from '../../../classify/types.js';

const fragments = [
  '550',
  '5.1.1',
  '4.7.0',
  '554 5.7.1',
  'user unknown',
  'blocked using zen.spamhaus.org',
  'greylisted',
  'DMARC',
  'Relay access denied',
  'in reply to end of DATA command',
  'after RCPT TO:',
  'gsmtp',
  '(S3150)',
  '[TSS04]',
  'Connection timed out',
  '550-5.7.26 ',
  'x'.repeat(300),
  '\u0000',
  '\n',
  'ü',
  '🐈',
  '((((((((',
  '.*+?',
  '5.7.606',
];

const replyText = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string(), fc.string({ unit: 'binary', maxLength: 40 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(' '));

const anyValue = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
);

describe('classify and explain never throw', () => {
  it('classify answers any typed input with a valid classification', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            replyCode: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constant(null)),
            enhancedStatus: fc.oneof(
              fc.constantFrom('5.1.1', '4.7.0', '2.0.0', '9.9.9', 'X.7.1', ''),
              fc.string(),
              fc.constant(null),
            ),
            dsn: fc.oneof(fc.string(), fc.constant(null)),
            diagnostic: fc.oneof(replyText, fc.constant(null)),
            stage: fc.oneof(
              fc.constantFrom('connect', 'helo', 'mail', 'rcpt', 'data', 'end-of-data' as const),
              fc.constant(null),
            ),
            remoteHost: fc.oneof(fc.domain(), fc.string(), fc.constant(null)),
            outcome: fc.oneof(
              fc.constantFrom('sent', 'deferred', 'bounced', 'expired' as const),
              fc.constant(null),
            ),
            recipientDomain: fc.oneof(fc.domain(), fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          const c = classify(input);
          expect(['success', 'temporary', 'permanent', null]).toContain(c.class);
          if (c.class === 'success') expect(c.cause).toBeNull();
          else expect(CAUSES).toContain(c.cause);
          // Only a reply that says nothing leaves the class open.
          if (c.class === null) expect(c.cause).toBe('unclassified');
          expect(c.reason.length).toBeGreaterThan(0);
          expect(typeof c.action).toBe('string');
          expect(c.action.length).toBeGreaterThan(0);
          if (c.hardBounce) expect(['recipient-unknown', 'domain-invalid']).toContain(c.cause);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('classify survives values of the wrong type (parsed JSON from anywhere)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'replyCode',
            'enhancedStatus',
            'dsn',
            'diagnostic',
            'stage',
            'remoteHost',
            'outcome',
            'recipientDomain',
          ),
          anyValue,
        ),
        (input) => {
          expect(() => classify(input as ClassifyInput)).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
    expect(() => classify(null as unknown as ClassifyInput)).not.toThrow();
    expect(() => classify(42 as unknown as ClassifyInput)).not.toThrow();
  });

  it('explain answers any string with an explanation or null', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.stringMatching(/^[2-5X]\.\d{1,3}\.\d{1,3}$/),
          fc.stringMatching(/^\d{3}( [245]\.\d\.\d{1,2})?$/),
        ),
        (s) => {
          const e = explain(s);
          if (e !== null) expect(e.actions.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 3000 },
    );
    expect(explain(undefined as unknown as string)).toBeNull();
  });

  // How long this takes is measured by the bench (classify section, "hostile reply"), not here.
  it('classifies long hostile input as a permanent failure with a cause', () => {
    const hostile = `550 ${'a'.repeat(20000)} ${'user '.repeat(5000)} ${'5.'.repeat(5000)}`;
    const c = classify({ diagnostic: hostile });
    expect(c.class).toBe('permanent');
    expect(CAUSES).toContain(c.cause);
  });

  it('reads at most MAX_TEXT characters of a reply, so regex work is bounded by it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: MAX_TEXT, maxLength: MAX_TEXT * 3 }), fc.string(), (head, tail) => {
        const long = `${head}${tail}`;
        expect(classify({ diagnostic: long })).toEqual(classify({ diagnostic: long.slice(0, MAX_TEXT) }));
      }),
      { numRuns: 200 },
    );
    const hostile = `550 ${'a'.repeat(20000)} ${'user '.repeat(5000)} ${'5.'.repeat(5000)}`;
    expect(classify({ diagnostic: hostile })).toEqual(classify({ diagnostic: hostile.slice(0, MAX_TEXT) }));
  });

  it('uses no regex that can backtrack without bound (no nested or adjacent unbounded repeats)', () => {
    const all = [
      ...STRONG_MEANINGS.flatMap((m) => m.alts.flatMap((a) => [a.re, ...a.parts])),
      ...WEAK_MEANINGS.flatMap((m) => m.alts.flatMap((a) => [a.re, ...a.parts])),
      ...PROVIDER_RULES.map((p) => p.re),
      ...BLOCKLIST_REGEXES,
      ...PROVIDER_MARKER_REGEXES,
      ...STAGE_REGEXES,
    ];
    // A group repeated without bound that itself ends in an unbounded repeat: (a+)+, (\w*\.)*.
    const nested = /\((?:[^()\\]|\\.)*[+*]\)[+*{]/;
    // Two unbounded wildcards in a row can try every split of the text: .*.*, .+\s*.+
    const adjacent = /(?:\.|\\S|\\w)[*+]\??(?:\\s\*)?(?:\.|\\S|\\w)[*+]/;
    for (const re of all) {
      expect(re.source, re.source.slice(0, 80)).not.toMatch(nested);
      expect(re.source, re.source.slice(0, 80)).not.toMatch(adjacent);
    }
  });

  it('classifyInbound and recogniseLocalFault answer any input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.oneof(replyText, fc.string()), (junk, text) => {
        const i = classifyInbound({ diagnostic: text });
        expect(INBOUND_CAUSES).toContain(i.cause);
        expect(() => classifyInbound(junk as never)).not.toThrow();
        expect(() => recogniseLocalFault({ diagnostic: text })).not.toThrow();
        expect(() => recogniseLocalFault(junk as never)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});
