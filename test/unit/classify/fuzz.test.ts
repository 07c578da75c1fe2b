import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, explain } from '../../../classify/index.js';
import { CAUSES, type ClassifyInput } from '../../../classify/types.js';

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
          expect(['success', 'temporary', 'permanent']).toContain(c.class);
          if (c.class === 'success') expect(c.cause).toBeNull();
          else expect(CAUSES).toContain(c.cause);
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
});
