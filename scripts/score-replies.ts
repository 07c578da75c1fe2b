/**
 * Scores the classifier against labelled bounce replies (Sisimai's dev set, or any file of the
 * same shape) the way docs/design.md describes, and prints the misses.
 *
 *   node dist/scripts/score-replies.js [FILE] [--quiet]
 */

import { existsSync, readFileSync } from 'node:fs';
import { classify } from '../classify/index.js';
import type { Cause, Classification } from '../classify/types.js';

const DEFAULT_FILE = '/work/shared/corpus/replies/sisimai-dev.jsonl';

/** Which of our causes count as right for each Sisimai reason (design table plus its allowances). */
export const REASON_CAUSES: Readonly<Record<string, readonly Cause[]>> = {
  userunknown: ['recipient-unknown'],
  hasmoved: ['recipient-unknown'],
  hostunknown: ['domain-invalid'],
  notaccept: ['domain-invalid', 'network'],
  mailboxfull: ['mailbox-full'],
  suspend: ['mailbox-disabled'],
  filtered: ['recipient-filtered', 'recipient-unknown'],
  rejected: ['sender-rejected'],
  blocked: ['reputation-blocklist', 'reverse-dns'],
  badreputation: ['reputation-blocklist'],
  requireptr: ['reverse-dns'],
  authfailure: ['authentication'],
  spamdetected: ['spam-content'],
  virusdetected: ['spam-content'],
  notcompliantrfc: ['message-format'],
  contenterror: ['message-format'],
  mesgtoobig: ['message-too-large'],
  exceedlimit: ['message-too-large'],
  emailtoolarge: ['message-too-large'],
  policyviolation: ['policy'],
  securityerror: ['policy', 'auth-required', 'tls', 'authentication'],
  norelaying: ['relay-denied', 'auth-required'],
  speeding: ['rate-limited'],
  toomanyconn: ['rate-limited'],
  ratelimited: ['rate-limited'],
  failedstarttls: ['tls'],
  networkerror: ['network'],
  systemerror: ['remote-error'],
  systemfull: ['remote-error'],
  mailererror: ['remote-error'],
  syntaxerror: ['remote-error'],
  expired: ['expired', 'network'],
};

/** Labels that are not failures or carry no reason: left out of the score. */
const LEFT_OUT = new Set(['delivered', 'feedback', 'vacation', 'onhold', 'undefined']);

export interface Row {
  id: string;
  reply: number | null;
  status: string | null;
  diagnostic: string;
  reason: string;
  label_in_text?: boolean;
  /** Sisimai's hard-bounce flag (the address is dead), when given. */
  hard?: boolean | null;
}

export interface Score {
  withCode: { right: number; total: number };
  textOnly: { right: number; total: number };
  classAgree: { right: number; total: number };
  /** Our hardBounce against Sisimai's hard flag (information, no target). */
  hardAgree: { right: number; total: number };
  misses: { row: Row; got: Classification; kind: 'cause' | 'class' }[];
  skipped: number;
}

function codeClass(row: Row): 'temporary' | 'permanent' | 'success' | null {
  const digit = row.status ? row.status.charAt(0) : row.reply !== null ? String(row.reply).charAt(0) : null;
  if (digit === '4') return 'temporary';
  if (digit === '5') return 'permanent';
  if (digit === '2') return 'success';
  return null;
}

export function scoreRows(rows: readonly Row[]): Score {
  const score: Score = {
    withCode: { right: 0, total: 0 },
    textOnly: { right: 0, total: 0 },
    classAgree: { right: 0, total: 0 },
    hardAgree: { right: 0, total: 0 },
    misses: [],
    skipped: 0,
  };
  for (const row of rows) {
    const allowed = REASON_CAUSES[row.reason];
    if (LEFT_OUT.has(row.reason) || row.label_in_text === true || !allowed) {
      score.skipped++;
      continue;
    }
    const got = classify({ diagnostic: row.diagnostic, replyCode: row.reply, enhancedStatus: row.status });
    const hasCode = row.reply !== null || row.status !== null;
    const bucket = hasCode ? score.withCode : score.textOnly;
    bucket.total++;
    if (got.cause !== null && allowed.includes(got.cause)) bucket.right++;
    else score.misses.push({ row, got, kind: 'cause' });
    if (typeof row.hard === 'boolean') {
      score.hardAgree.total++;
      if (row.hard === got.hardBounce) score.hardAgree.right++;
    }
    const expected = codeClass(row);
    if (expected !== null) {
      score.classAgree.total++;
      if (expected === got.class) score.classAgree.right++;
      else score.misses.push({ row, got, kind: 'class' });
    }
  }
  return score;
}

function pct(x: { right: number; total: number }): string {
  return x.total === 0 ? 'n/a' : `${((100 * x.right) / x.total).toFixed(1)}% (${x.right}/${x.total})`;
}

function parseRows(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    rows.push(JSON.parse(line) as Row);
  }
  return rows;
}

function main(argv: string[]): number {
  const quiet = argv.includes('--quiet');
  const file = argv.find((a) => !a.startsWith('--')) ?? DEFAULT_FILE;
  if (!existsSync(file)) {
    process.stderr.write(`score-replies: ${file} not found; nothing to score\n`);
    return 0;
  }
  const score = scoreRows(parseRows(readFileSync(file, 'utf8')));
  if (!quiet) {
    for (const m of score.misses) {
      const r = m.row;
      process.stdout.write(
        `MISS ${m.kind} ${r.id} reason=${r.reason} got=${m.got.cause ?? '-'}/${m.got.class} reply=${r.reply ?? '-'} status=${r.status ?? '-'} | ${r.diagnostic.slice(0, 220)}\n`,
      );
    }
  }
  process.stdout.write(
    [
      `cause right, with a code:  ${pct(score.withCode)}   (target >= 92%)`,
      `cause right, text only:    ${pct(score.textOnly)}   (target >= 75%)`,
      `class agrees with code:    ${pct(score.classAgree)}   (target >= 98%)`,
      `hard bounce agrees:        ${pct(score.hardAgree)}   (information)`,
      `left out:                  ${score.skipped}`,
      '',
    ].join('\n'),
  );
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  process.exitCode = main(process.argv.slice(2));
}
