// Warnings grouped by shape: the same warning about other hosts, ids and numbers is one group, with its counts.
import { describe, expect, it } from 'vitest';
import { groupWarnings, warningShape, warningTopic } from '../../../server/mta/warning-shapes.js';

describe('warningShape', () => {
  it('masks host names, addresses, ids and numbers, and keeps file names', () => {
    expect(warningShape('hostname mail.example.net does not resolve to address 192.0.2.7')).toBe(
      warningShape('hostname relay.example.org does not resolve to address 198.51.100.3'),
    );
    expect(warningShape('mx.example.com[192.0.2.1]: SASL LOGIN authentication failed')).toBe(
      warningShape('other.example.net[203.0.113.9]: SASL LOGIN authentication failed'),
    );
    expect(warningShape('database /etc/postfix/virtual.db is older than source file')).toContain(
      'virtual.db',
    );
    expect(warningShape('unknown[192.0.2.1]: SASL PLAIN authentication failed')).toContain('unknown[');
  });

  it('takes linear time on a long hostile line', () => {
    const line = `${'a.'.repeat(50_000)}[${'1.'.repeat(50_000)} ${'x@'.repeat(50_000)}`;
    expect(warningShape(line).length).toBeGreaterThan(0);
    expect(warningTopic(line)).toBe('other');
  });
});

describe('warningTopic', () => {
  it.each([
    ['not enough free space in mail queue: 1048576 bytes < 1.5*message size limit', 'disk'],
    ['4A1B2C3D5E: write queue file: No space left on device', 'disk'],
    ['process /usr/lib/postfix/sbin/smtpd pid 4242 killed by signal 11', 'crash'],
    ['TLS library problem: error:0A000126:SSL routines::unexpected eof while reading', 'tls'],
    ['hostname mail.example.net does not resolve to address 192.0.2.7', 'dns'],
    ['unknown[203.0.113.50]: SASL LOGIN authentication failed: UGFzc3dvcmQ6', 'sasl'],
    ['database /etc/postfix/virtual.db is older than source file /etc/postfix/virtual', 'config'],
    ['something else entirely', 'other'],
  ])('%s is about %s', (text, topic) => {
    expect(warningTopic(text)).toBe(topic);
  });
});

describe('groupWarnings', () => {
  it('groups by severity and shape, with counts, first and last seen and the newest example', () => {
    const groups = groupWarnings([
      { ts: 10, severity: 'warning', text: 'hostname a.example.net does not resolve to address 192.0.2.1' },
      { ts: 30, severity: 'warning', text: 'hostname b.example.org does not resolve to address 192.0.2.2' },
      { ts: 20, severity: 'error', text: 'hostname c.example.com does not resolve to address 192.0.2.3' },
      { ts: 25, severity: 'fatal', text: 'open /etc/postfix/main.cf: No such file or directory' },
      { ts: 26, severity: 'panic', text: 'myfree: corrupt or unallocated memory block' },
    ]);
    expect(groups).toHaveLength(3);
    expect(groups[0]).toMatchObject({ severity: 'warning', topic: 'dns', count: 3, first: 10, last: 30 });
    expect(groups[0]?.example).toContain('b.example.org');
    expect(groups.map((g) => g.severity).sort()).toEqual(['fatal', 'panic', 'warning']);
  });
});
