import { describe, expect, it } from 'vitest';
import { explain } from '../../../classify/index.js';

describe('explain', () => {
  it('explains basic codes with the quick fixes of the guide', () => {
    const e550 = explain('550');
    expect(e550).toMatchObject({ kind: 'basic', class: 'permanent', source: 'RFC 5321' });
    expect(e550?.actions.join(' ')).toMatch(/spelling/);
    expect(e550?.actions.join(' ')).toMatch(/MX/);
    expect(explain('530')?.actions.join(' ')).toMatch(/authentication.*full address.*password/i);
    expect(explain('421')?.actions.join(' ')).toMatch(/firewall/);
    expect(explain('552')?.actions.join(' ')).toMatch(/clear it|attachments/);
    expect(explain('554')?.actions.join(' ')).toMatch(/SPF\/DKIM.*blocklists/);
    expect(explain('421')?.class).toBe('temporary');
    expect(explain('250')?.class).toBe('success');
    expect(explain('521')?.source).toMatch(/customary/);
  });

  it('explains enhanced status codes, with the first-digit rule and x.7 notes', () => {
    const e = explain('4.7.1');
    expect(e).toMatchObject({ kind: 'enhanced', class: 'temporary', code: '4.7.1' });
    expect(e?.notes.join(' ')).toMatch(/retr/i);
    expect(e?.notes.join(' ')).toMatch(/SPF, DKIM or DMARC/);
    expect(explain('5.7.26')?.causes).toContain('authentication');
    expect(explain('5.7.26')?.providerNotes.map((n) => n.label)).toContain('4.7.26 / 5.7.26');
    expect(explain('5.1.10')?.causes[0]).toBe('domain-invalid');
    expect(explain('5.7.25')?.causes[0]).toBe('reverse-dns');
    expect(explain('5.7.30')?.causes[0]).toBe('tls');
  });

  it('accepts the X. form and says the class is open', () => {
    const e = explain('X.7.26');
    expect(e?.class).toBeNull();
    expect(e?.code).toBe('X.7.26');
    expect(explain('x.1.1')?.causes[0]).toBe('recipient-unknown');
  });

  it('accepts a reply code and enhanced status together', () => {
    const e = explain('550 5.7.1');
    expect(e).toMatchObject({ kind: 'combined', class: 'permanent', code: '550 5.7.1' });
    expect(explain('550-5.1.1')?.causes[0]).toBe('recipient-unknown');
    expect(explain('450 5.7.1')?.notes.join(' ')).toMatch(/enhanced status decides/);
  });

  it('knows provider-only codes', () => {
    expect(explain('5.7.606')?.causes).toContain('reputation-blocklist');
    expect(explain('5.7.509')?.causes).toContain('authentication');
    expect(explain('4.7.650')?.source).toMatch(/^provider documentation \(https:\/\/learn\.microsoft\.com/);
  });

  it('explains provider codes found in reply texts', () => {
    expect(explain('S3150')).toMatchObject({ kind: 'provider', causes: ['reputation-blocklist'] });
    expect(explain('tss04')?.causes).toEqual(['rate-limited']);
    expect(explain('TS03')?.causes).toEqual(['reputation-blocklist']);
    expect(explain('BL21')?.actions.join(' ')).toMatch(/senders\.yahooinc\.com/);
    expect(explain('S9999')).toBeNull();
  });

  it('returns null for unknown codes and non-codes', () => {
    expect(explain('599')).toBeNull();
    expect(explain('5.9.1')).toBeNull();
    expect(explain('5.7.999')).toBeNull();
    expect(explain('hello')).toBeNull();
    expect(explain('')).toBeNull();
  });
});
