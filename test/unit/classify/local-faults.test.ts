import { describe, expect, it } from 'vitest';
import { CAUSE_INFO, recogniseLocalFault, type LocalFaultInput } from '../../../classify/index.js';
import { LOCAL_CAUSES } from '../../../classify/types.js';

// Shapes this server writes about its own failures, written here in Postfix's and Exim's words.
const CASES: readonly (LocalFaultInput & { cause: string; certain: boolean; shape?: string })[] = [
  // local-filter: the content filter on a loopback port
  {
    diagnostic: 'delivery temporarily suspended: connect to 127.0.0.1[127.0.0.1]:10024: Connection refused',
    cause: 'local-filter',
    certain: true,
    shape: 'content-filter-unreachable',
  },
  { diagnostic: 'connect to localhost[::1]:10026: Connection refused', cause: 'local-filter', certain: true },
  {
    diagnostic:
      'lost connection with 127.0.0.1[127.0.0.1] while sending end of data -- message may be sent more than once',
    cause: 'local-filter',
    certain: true,
  },
  {
    diagnostic: 'conversation with [127.0.0.1]:10024 timed out while receiving the initial server greeting',
    cause: 'local-filter',
    certain: true,
  },
  {
    diagnostic:
      'host 127.0.0.1[127.0.0.1] said: 451 4.5.0 Error in processing, id=12345-01, virus_scan FAILED',
    cause: 'local-filter',
    certain: true,
  },
  {
    diagnostic: '451 4.3.0 Error: queue file write error',
    relayIp: '127.0.0.1',
    relayHost: '127.0.0.1',
    cause: 'local-disk',
    certain: true,
  },
  {
    diagnostic: "milter inet:127.0.0.1:8891: can't connect: Connection refused",
    cause: 'local-filter',
    certain: true,
  },
  // local-config
  {
    diagnostic: 'mail for example.org loops back to myself',
    cause: 'local-config',
    certain: true,
    shape: 'loops-back-to-myself',
  },
  { diagnostic: 'lowest numbered MX record points to local host', cause: 'local-config', certain: true },
  {
    diagnostic: 'TLS library problem: error:0A000086:SSL routines::certificate verify failed',
    cause: 'local-config',
    certain: true,
  },
  {
    diagnostic: 'mail transport unavailable',
    cause: 'local-config',
    certain: true,
    shape: 'transport-unavailable',
  },
  {
    diagnostic: '451 4.3.0 <a@example.com>: Temporary lookup failure',
    cause: 'local-config',
    certain: true,
    shape: 'missing-table',
  },
  {
    diagnostic:
      'hash:/etc/postfix/transport is unavailable. open database /etc/postfix/transport.db: No such file or directory',
    cause: 'local-config',
    certain: true,
  },
  { diagnostic: 'Unrouteable address', cause: 'local-config', certain: false },
  // local-disk
  { diagnostic: '452 4.3.1 Insufficient system storage', cause: 'local-disk', certain: true },
  { diagnostic: 'cannot write to queue file: No space left on device', cause: 'local-disk', certain: true },
  {
    diagnostic:
      'host mx.example.net[192.0.2.3] said: 452 4.3.1 Insufficient system storage (in reply to MAIL FROM command)',
    cause: 'local-disk',
    certain: false,
  },
  // local-dns: ours only when other mail to the domain went through in the same window
  {
    diagnostic:
      'Host or domain name not found. Name service error for name=gmail.com type=MX: Host not found, try again',
    cause: 'local-dns',
    certain: false,
  },
  { diagnostic: 'Temporary failure in name resolution', cause: 'local-dns', certain: false },
  { diagnostic: 'all relevant MX records point to non-existent hosts', cause: 'local-dns', certain: false },
];

describe('recogniseLocalFault', () => {
  for (const c of CASES) {
    it(`${c.cause}: ${c.diagnostic?.slice(0, 80) ?? ''}`, () => {
      const s = recogniseLocalFault(c);
      expect(s).not.toBeNull();
      expect(s!.cause).toBe(c.cause);
      expect(s!.certain).toBe(c.certain);
      if (c.shape !== undefined) expect(s!.shape).toBe(c.shape);
      // What is not certain says what correlation has to confirm.
      if (!c.certain) expect(s!.confirmWith).not.toBeNull();
      else expect(s!.confirmWith).toBeNull();
    });
  }

  it("leaves remote servers' own trouble to them", () => {
    for (const diagnostic of [
      'host mx.example.net[192.0.2.3] said: 550 5.1.1 <a@example.net>: Recipient address rejected: User unknown',
      'host mx.example.net[192.0.2.3] said: 451 4.3.0 <a@example.net>: Temporary lookup failure',
      'SMTP error from remote mail server after RCPT TO:<a@example.net>: 450 4.7.1 TLS library problem on their side',
      'connect to mx.example.com[192.0.2.9]:25: Connection refused',
      '550 5.7.1 blocked using zen.spamhaus.org',
    ])
      expect(recogniseLocalFault({ diagnostic }), diagnostic).toBeNull();
  });

  it('has a title, meaning and local action for each local cause, which never suppresses an address', () => {
    for (const cause of LOCAL_CAUSES) {
      const info = CAUSE_INFO[cause];
      expect(info.side).toBe('local');
      expect(info.title.length).toBeGreaterThan(5);
      expect(info.action).toMatch(/never suppress/);
    }
    expect(CAUSE_INFO['local-disk'].action).toMatch(/disk|space/i);
    expect(CAUSE_INFO['local-dns'].action).toMatch(/resolver/i);
    expect(CAUSE_INFO['local-config'].action).toMatch(/mydestination|TLS|table/);
    expect(CAUSE_INFO['local-filter'].action).toMatch(/filter/);
  });
});
