// DNSBL checks of our own IPs against a stub resolver on loopback: listings, error answers and clean results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blocklistQueryName,
  createBlocklistChecker,
  SPAMHAUS_ERROR_CODES,
  type BlocklistConfig,
} from '../../../server/mta/dnsbl.js';
import { ipsNamedInRefusals } from '../../../server/mta/monitor.js';
import { startStubDns, type StubDns } from '../../helpers/stub-dns.js';

const ZEN: BlocklistConfig = {
  zone: 'zen.test',
  delistUrl: 'https://delist.example/lookup',
  codes: { '127.0.0.2': 'SBL', '127.0.0.4': 'XBL' },
  errorCodes: Object.keys(SPAMHAUS_ERROR_CODES),
};
const OTHER: BlocklistConfig = { zone: 'other.test', codes: {}, errorCodes: [] };

describe('blocklistQueryName', () => {
  it('reverses IPv4 octets and IPv6 nibbles', () => {
    expect(blocklistQueryName('192.0.2.99', 'zen.test')).toBe('99.2.0.192.zen.test');
    expect(blocklistQueryName('2001:db8::1', 'zen.test')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.test',
    );
    expect(blocklistQueryName('not-an-ip', 'zen.test')).toBeNull();
  });
});

describe('the blocklist checker on a stub resolver', () => {
  let dns: StubDns;
  beforeAll(async () => {
    dns = await startStubDns();
  });
  afterAll(() => dns.close());

  const checker = () =>
    createBlocklistChecker({ lists: [ZEN, OTHER], servers: [dns.address], timeoutMs: 2_000, now: () => 1 });

  it('finds a listing with its documented meaning and delisting page, and a clean IP as clear', async () => {
    dns.setAnswers({ '99.2.0.192.zen.test': ['127.0.0.4', '127.0.0.2'] });
    const results = await checker().check(['192.0.2.99', '192.0.2.100']);
    expect(results.map((r) => [r.zone, r.ip, r.status])).toEqual([
      ['zen.test', '192.0.2.99', 'listed'],
      ['zen.test', '192.0.2.100', 'clear'],
      ['other.test', '192.0.2.99', 'clear'],
      ['other.test', '192.0.2.100', 'clear'],
    ]);
    expect(results[0]).toMatchObject({
      meanings: ['SBL', 'XBL'],
      delistUrl: 'https://delist.example/lookup',
    });
    expect(dns.queries).toContain('100.2.0.192.other.test');
  });

  it('reads the error answers as configuration problems, never as listings', async () => {
    dns.setAnswers({
      '1.2.0.192.zen.test': ['127.255.255.254'],
      '2.2.0.192.zen.test': ['127.255.255.255'],
      '3.2.0.192.zen.test': ['127.255.255.252'],
    });
    const results = await checker().check(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    const zen = results.filter((r) => r.zone === 'zen.test');
    expect(zen.map((r) => r.status)).toEqual(['config-error', 'config-error', 'config-error']);
    expect(zen[0]?.detail).toMatch(/open resolver/);
    expect(zen[1]?.detail).toMatch(/too many queries/);
    expect(zen[2]?.detail).toMatch(/malformed/);
  });

  it('reads an answer outside 127/8 as a resolver that rewrites missing names', async () => {
    dns.setAnswers({ '5.2.0.192.other.test': ['198.51.100.80'] });
    const [, result] = await checker().check(['192.0.2.5']);
    expect(result).toMatchObject({ zone: 'other.test', status: 'config-error' });
  });

  it('says a lookup failed when the resolver does not answer', async () => {
    const deaf = createBlocklistChecker({
      lists: [ZEN],
      resolveA: () => Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })),
      now: () => 1,
    });
    expect(await deaf.check(['192.0.2.9'])).toMatchObject([{ status: 'lookup-failed' }]);
  });
});

describe('our sending IPs learned from refusals', () => {
  it('takes the addresses blocklist refusals name as the client, most named first', () => {
    expect(
      ipsNamedInRefusals([
        '550 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org',
        '554 5.7.1 Service unavailable; client [192.0.2.25] blocked using b.barracudacentral.org',
        '550 5.7.606 Access denied, banned sending IP [192.0.2.26]. To request removal ...',
        '421 4.7.0 IP 999.1.2.3 is not an address',
      ]),
    ).toEqual(['192.0.2.25', '192.0.2.26']);
  });
});
