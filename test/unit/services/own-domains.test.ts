import { describe, expect, it } from 'vitest';
import { decideOwnDomains } from '../../../server/services/own-domains.js';

const evidence = [
  { domain: 'example.org', fact: 0, count: 4 },
  { domain: 'example.org', fact: 3, count: 12 },
  { domain: 'example.net', fact: 6, count: 1 },
  { domain: 'guess.example', fact: 0, count: 3 },
];

describe('decideOwnDomains', () => {
  it('gives each learned domain its strongest reason: where its mail was delivered before who sent it', () => {
    const own = decideOwnDomains(evidence, { ownDomains: [] });
    expect(own.list.find((d) => d.domain === 'example.org')?.why).toMatch(/LMTP/);
    expect(own.list.find((d) => d.domain === 'guess.example')?.why).toMatch(/3 outside clients/);
    expect(own.isOwn('example.net')).toBe(true);
    expect(own.isOwn('gmail.com')).toBe(false);
  });

  it('lets the config name a domain, and say with ! that a guess is wrong', () => {
    const own = decideOwnDomains(evidence, { ownDomains: ['!guess.example', 'Extra.Example'] });
    expect(own.isOwn('guess.example')).toBe(false);
    expect(own.isOwn('extra.example')).toBe(true);
    expect(own.list.find((d) => d.domain === 'extra.example')?.source).toBe('config');
  });
});
