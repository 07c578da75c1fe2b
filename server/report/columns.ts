/** The tables both the md and the html report draw: their columns, written once so that the two formats keep the same ones. */

import type { Report } from '../http/contract/report.js';
import type { PeriodUnit } from './periods.js';

/** The two rates, as the summary lists them. */
export const RATES = [
  ['Bounce rate', 'bounceRate'],
  ['Deferral rate', 'deferralRate'],
] as const;

/** The tables of worst rates under the domains: their titles and the rate each ranks by. */
export const WORST_RATES = [
  ['Worst bounce rates', 'bounceRate'],
  ['Worst deferral rates', 'deferralRate'],
] as const;

/** What the summary's counts and rates mean (design, Counting). */
export const COUNTING_NOTE =
  'Sent, deferred and bounced count delivery attempts; expired counts messages the server gave up on ' +
  '(per domain, per cause and in the rates: their recipients still undelivered); rejected counts refused ' +
  'connections or recipients. Bounce rate = (bounced + expired recipients) / (sent + bounced + expired recipients); ' +
  'deferral rate = deferred / (sent + deferred + bounced).';

/** A comparison column, only when there is a previous period to compare with. */
const against = (hasPrev: boolean): string[] => (hasPrev ? ['Failures vs before'] : []);

export const summaryColumns = (period: string, hasPrev: boolean): string[] =>
  hasPrev ? ['', `This ${period}`, 'Previous', 'Change'] : ['', `This ${period}`];

export const periodColumns = (unit: PeriodUnit): string[] => [
  unit === 'day' ? 'Day' : unit === 'week' ? 'Week' : 'Month',
  'Temporary',
  'Permanent',
  'Sent',
  'Deferred',
  'Bounced',
  'Expired',
  'Rejected',
];

export const CODE_COLUMNS = ['Code', 'Failures', 'Temporary', 'Permanent'];

export const domainColumns = (hasPrev: boolean): string[] => [
  'Domain',
  'Sent',
  'Deferred',
  'Bounced',
  'Expired',
  'Bounce rate',
  'Deferral rate',
  ...against(hasPrev),
];

export const changeColumns = (period: string): string[] => [
  'Domain',
  `Failures this ${period}`,
  'Before',
  'Change',
  'Bounce rate',
  'Before',
];

export const providerColumns = (hasPrev: boolean): string[] => [
  'Provider',
  'Domains',
  'Sent',
  'Deferred',
  'Bounced',
  'Bounce rate',
  'Deferral rate',
  ...against(hasPrev),
];

export const HOST_COLUMNS = ['Host', 'Share', 'Sent', 'Deferred', 'Bounced', 'Expired', 'Rejected'];

type HostStat = Report['hosts'][number];

const events = (h: HostStat): number => h.sent + h.deferred + h.bounced + h.expired + h.rejected;

/** The hosts of a fleet's report with the name their row shows and their share of all events (null: none). */
export function hostRows(hosts: readonly HostStat[]): (HostStat & { name: string; share: number | null })[] {
  const all = hosts.reduce((n, h) => n + events(h), 0);
  return hosts.map((h) => ({
    ...h,
    name: h.host === '' ? '(no host name)' : h.host,
    share: all > 0 ? events(h) / all : null,
  }));
}
