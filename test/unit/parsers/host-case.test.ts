// Host names are case-insensitive: the same server logged as MX1 and mx1 is one host.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';

const line = (host: string) =>
  `Nov 28 10:00:00 ${host} postfix/smtp[123]: 4F1A2B3C4D: to=<u@example.net>, relay=mx.example.net[192.0.2.1]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)`;

describe('host names', () => {
  it('are kept in lower case, whatever case the log wrote', () => {
    const upper = parseLine(line('MX1.Example.ORG'), { referenceMs: Date.UTC(2026, 10, 28) });
    const lower = parseLine(line('mx1.example.org'), { referenceMs: Date.UTC(2026, 10, 28) });
    expect(upper.kind).toBe('delivery');
    expect(upper.host).toBe('mx1.example.org');
    expect(upper).toEqual(lower);
  });
});
