/** Helpers for follow tests: line writers with unique recipients, waiting on database counts. */

import type { Db } from '../../../db/sqlite/open.js';
import { postfixSent } from '../../fixtures/ingest/lines.js';

export const T0 = Date.UTC(2026, 10, 27, 6, 0, 0);

/** Lines n..n+k-1: one status=sent line each, recipient user<i>@example.net. */
export function sentBlock(from: number, k: number): string {
  let s = '';
  for (let i = from; i < from + k; i++) s += postfixSent(i, T0 + i * 10) + '\n';
  return s;
}

/** k lines of which every 100th is a delivery (recipient user<n>@example.net, n from `from`), the rest smtpd noise. */
export function burstBlock(from: number, k: number): string {
  let s = '';
  for (let i = 0; i < k; i++) {
    s +=
      i % 100 === 0
        ? postfixSent(from + i / 100, T0 + i) + '\n'
        : `Nov 27 06:00:00 mx1 postfix/smtpd[${3000 + (i % 97)}]: disconnect from client${i % 89}.example.org[192.0.2.${i % 250}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5\n`;
  }
  return s;
}

export function attempts(db: Db): { total: number; distinct: number } {
  const row = db
    .prepare<[], { total: number; distinct: number }>(
      'SELECT count(*) AS total, count(DISTINCT recipient) AS "distinct" FROM attempts',
    )
    .get();
  return row ?? { total: 0, distinct: 0 };
}

export function readLines(db: Db): number {
  return (
    db.prepare<[], { n: number | null }>("SELECT sum(count) AS n FROM line_stats WHERE name = 'read'").get()
      ?.n ?? 0
  );
}

export async function waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
