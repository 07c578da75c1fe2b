/** Number, rate and change formatting shared by the md and html renderers. */

import type { Counts } from '../http/contract/report.js';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1.2%`, `0.04%`, or an en dash when there was nothing to divide by. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '–';
  const pct = rate * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return `${pct.toFixed(2)}%`;
  return `${pct.toFixed(1)}%`;
}

/**
 * Change of a count: `+12 (+8%)`, `−3 (−50%)`, `+231 (+0.3%)`, `new`, `=`, or '' without a previous period.
 * Under 1% the percentage keeps its first digits, so a small change never reads as `(−0%)`.
 */
export function formatChange(current: number, previous: number | null | undefined): string {
  if (previous === null || previous === undefined) return '';
  if (current === previous) return '=';
  if (previous === 0) return 'new';
  const delta = current - previous;
  const pct = Math.abs((delta / previous) * 100);
  const digits = pct >= 1 ? pct.toFixed(0) : pct >= 0.1 ? pct.toFixed(1) : pct.toFixed(2);
  return `${signed(delta)} (${delta > 0 ? '+' : '−'}${digits === '0.00' ? '<0.01' : digits}%)`;
}

/** Change of a rate in percentage points: `+0.4 pp`. */
export function formatRateChange(current: number | null, previous: number | null | undefined): string {
  if (previous === null || previous === undefined || current === null) return '';
  const pp = (current - previous) * 100;
  if (Math.abs(pp) < 0.05) return '=';
  return `${pp > 0 ? '+' : '−'}${Math.abs(pp).toFixed(1)} pp`;
}

function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : `−${formatCount(Math.abs(n))}`;
}

/** `1 failure`, `2 failures`. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** A change against a named earlier period, in words: `none in 2026-W46`, `+4 (+25%) against 2026-W46`. */
export function changeAgainst(current: number, previous: number | null, label: string): string {
  const change = formatChange(current, previous);
  if (change === '') return '';
  if (change === 'new') return `none in ${label}`;
  if (change === '=') return `same as ${label}`;
  return `${change} against ${label}`;
}

/** `2026-11-28 09:00` from an ISO time with offset. */
export function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export const OUTCOME_LABELS: Record<keyof Counts, string> = {
  sent: 'Sent',
  deferred: 'Deferred',
  bounced: 'Bounced',
  expired: 'Expired',
  rejected: 'Rejected',
};

export const COUNT_KEYS: readonly (keyof Counts)[] = ['sent', 'deferred', 'bounced', 'expired', 'rejected'];

/** A domain as shown to people: rejects without a recipient have no domain. */
export function domainLabel(domain: string): string {
  return domain === '' ? '(unknown recipient)' : domain;
}

export function codeLabel(code: string): string {
  return code === '' ? '(no code)' : code;
}

/** Cuts long log text for tables; the full text stays in json. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** How many of a list md and html show. */
export const TOP = {
  domains: 15,
  providers: 10,
  causes: 10,
  codes: 15,
  changes: 10,
  hardBounces: 50,
  expired: 25,
  senders: 10,
  warnings: 15,
  authKeys: 10,
};

/** `512 B`, `1.4 MiB`: binary units, as mail sizes are usually read. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(n)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A delay in seconds as people read it: `0.4 s`, `12 s`, `3.5 min`, `2.1 h`, `1.5 d`; an en dash for none. */
export function formatDelay(seconds: number | null): string {
  if (seconds === null) return '–';
  const unit = (v: number, name: string) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${name}`;
  if (seconds < 60) return unit(seconds, 's');
  if (seconds < 3_600) return unit(seconds / 60, 'min');
  if (seconds < 86_400) return unit(seconds / 3_600, 'h');
  return unit(seconds / 86_400, 'd');
}
