// Number formatting, and the MIME message the report is mailed as.
import { describe, expect, it } from 'vitest';
import { changeAgainst, formatChange, formatRate, formatRateChange } from '../../../server/report/format.js';
import { composeReportMail, reportSubject } from '../../../server/report/mail.js';
import { sampleReport } from './sample-report.js';

describe('formatting', () => {
  it.each([
    [null, '–'],
    [0, '0%'],
    [0.0004, '0.04%'],
    [0.0123, '1.2%'],
    [1, '100.0%'],
  ])('rate %s is %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it.each([
    [10, 8, '+2 (+25%)'],
    [6, 8, '−2 (−25%)'],
    [5, 5, '='],
    [3, 0, 'new'],
    [3, null, ''],
    [12_345, 10_000, '+2,345 (+23%)'],
    [81_916, 81_685, '+231 (+0.3%)'],
    [2_209_327, 2_209_450, '−123 (−0.01%)'],
    [2_000_001, 2_000_000, '+1 (+<0.01%)'],
    [199, 200, '−1 (−0.5%)'],
  ])('change %i against %s is %s', (now, before, text) => {
    expect(formatChange(now, before)).toBe(text);
  });

  it('speaks of rate changes in percentage points and names the earlier period', () => {
    expect(formatRateChange(0.05, 0.02)).toBe('+3.0 pp');
    expect(formatRateChange(0.02, 0.05)).toBe('−3.0 pp');
    expect(formatRateChange(0.02, null)).toBe('');
    expect(changeAgainst(4, 0, '2026-W46')).toBe('none in 2026-W46');
    expect(changeAgainst(4, 4, '2026-W46')).toBe('same as 2026-W46');
    expect(changeAgainst(5, 4, '2026-W46')).toBe('+1 (+25%) against 2026-W46');
  });
});

describe('report mail', () => {
  const report = sampleReport('plain');
  const message = composeReportMail(
    {
      report,
      to: ['ops@example.org', 'lead@example.org\r\nBcc: evil@example.com'],
      html: '<!DOCTYPE html><p>héllo</p>',
      text: '# Report\nhéllo',
      from: 'Bounce Watch <bw@example.org>',
      now: Date.parse('2026-11-23T06:00:00Z'),
    },
    'fixedseed',
  );

  it('is multipart/alternative with a text and an html part in base64', () => {
    const cut = message.indexOf('\r\n\r\n');
    const head = message.slice(0, cut);
    const body = message.slice(cut + 4);
    expect(head.split('\r\n')).toEqual([
      'From: Bounce Watch <bw@example.org>',
      'To: ops@example.org, lead@example.org Bcc: evil@example.com',
      `Subject: ${reportSubject(report)}`,
      'Date: Mon, 23 Nov 2026 06:00:00 +0000',
      expect.stringMatching(/^Message-ID: <report-fixedseed@[\w.-]+>$/),
      'MIME-Version: 1.0',
      'Auto-Submitted: auto-generated',
      'Content-Type: multipart/alternative; boundary="bouncewatch-fixedseed"',
    ]);
    const parts = body.split('--bouncewatch-fixedseed');
    expect(parts).toHaveLength(4);
    expect(parts[3]).toBe('--\r\n');
    expect(parts[1]).toContain(
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64',
    );
    expect(parts[2]).toContain('Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64');
    const decode = (p: string) =>
      Buffer.from(p.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(decode(parts[1]!)).toBe('# Report\nhéllo');
    expect(decode(parts[2]!)).toBe('<!DOCTYPE html><p>héllo</p>');
  });

  it('never lets a header value add a header', () => {
    expect(message.split('\r\n\r\n')[0]).not.toMatch(/^Bcc:/m);
  });

  it('sums the week up in the subject', () => {
    expect(reportSubject(report)).toBe(
      'Deliverability report 2026-W47: 4.3% bounced, 6.0% deferred, 1 new problem',
    );
  });
});
