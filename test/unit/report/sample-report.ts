/** A small hand-made report model for renderer tests; `evil` is put into every field that carries log text. */

import type { Report } from '../../../server/http/contract/report.js';

export const EVIL = '<img src=x onerror="alert(1)">|*_[x](javascript:alert(2))';

export function sampleReport(evil = EVIL): Report {
  const counts = { sent: 90, deferred: 6, bounced: 4, expired: 1, rejected: 2 };
  return {
    from: '2026-11-16T00:00:00+00:00',
    to: '2026-11-23T00:00:00+00:00',
    label: '2026-W47',
    dates: '2026-11-16 to 2026-11-22',
    kind: 'week',
    timeZone: 'UTC',
    generatedAt: '2026-11-23T06:00:00+00:00',
    previous: { from: '2026-11-09T00:00:00+00:00', to: '2026-11-16T00:00:00+00:00', label: '2026-W46' },
    totals: counts,
    rates: { bounceRate: 4 / 94, deferralRate: 6 / 100 },
    previousTotals: { sent: 80, deferred: 2, bounced: 4, expired: 0, rejected: 2 },
    previousRates: { bounceRate: 4 / 84, deferralRate: 2 / 86 },
    days: ['2026-11-16', '2026-11-17'].map((date, i) => ({
      date,
      from: `${date}T00:00:00+00:00`,
      sent: 45,
      deferred: 3,
      bounced: 2,
      expired: i,
      rejected: 1,
      temporary: 3,
      permanent: 2 + i,
    })),
    domains: [
      {
        domain: `bad${evil}.example`,
        provider: null,
        ...counts,
        bounceRate: 4 / 94,
        deferralRate: 0.06,
        failures: 11,
        previous: {
          sent: 80,
          deferred: 2,
          bounced: 4,
          expired: 0,
          rejected: 2,
          bounceRate: 0.05,
          deferralRate: 0.02,
          failures: 6,
        },
      },
    ],
    providers: [
      {
        provider: 'google',
        name: `Google ${evil}`,
        ...counts,
        bounceRate: 0.04,
        deferralRate: 0.06,
        failures: 11,
        domains: 1,
        previous: null,
      },
    ],
    causes: [
      {
        cause: 'recipient-unknown',
        title: `Unknown ${evil}`,
        meaning: `Meaning ${evil}`,
        action: `Action ${evil}`,
        temporary: 0,
        permanent: 4,
        deferred: 0,
        bounced: 4,
        expired: 0,
        rejected: 2,
        total: 4,
        previousTotal: 4,
        topDomains: [{ domain: `d${evil}`, count: 4 }],
        examples: [
          {
            text: `550 5.1.1 ${evil}`,
            code: '5.1.1',
            domain: `d${evil}`,
            count: 4,
            lastSeen: '2026-11-17T10:00:00+00:00',
          },
        ],
      },
    ],
    domainCauses: [
      {
        domain: `bad${evil}.example`,
        cause: 'recipient-unknown',
        sent: 0,
        deferred: 0,
        bounced: 4,
        expired: 0,
        rejected: 0,
        temporary: 0,
        permanent: 4,
      },
    ],
    codes: [{ code: `5.1.1${evil}`, count: 4, temporary: 0, permanent: 4 }],
    changes: [],
    newProblems: [{ kind: 'domain', id: `new${evil}`, count: 5 }],
    hardBounces: [
      {
        address: `=cmd|x${evil}@d.example`,
        domain: 'd.example',
        cause: 'recipient-unknown',
        code: '5.1.1',
        reply: `550 ${evil}`,
        bounces: 2,
        lastSeen: '2026-11-17T10:00:00+00:00',
      },
    ],
    hardBouncesTruncated: false,
    expiredMessages: [
      {
        host: 'mail1',
        queueId: `Q${evil}`,
        sender: `s${evil}@x.example`,
        expiredAt: '2026-11-17T10:00:00+00:00',
        recipients: [{ recipient: `r${evil}@y.example`, cause: 'network', reply: `timeout ${evil}` }],
      },
    ],
    completeness: {
      linesRead: 1000,
      unparsed: 3,
      unparsedByProgram: [{ program: `postfix/${evil}`, count: 3 }],
      unparsedShapes: [{ program: 'postfix/smtp', reason: `odd ${evil}`, count: 3 }],
      unparsedShare: 0.003,
      dataFrom: '2026-11-01T00:00:00+00:00',
      dataTo: '2026-11-23T00:00:00+00:00',
      rawFrom: '2026-11-01T00:00:00+00:00',
      detailsTrimmed: false,
    },
  };
}
