/**
 * Scores the classifier against labelled bounce replies (Sisimai's dev set, or any file of the same
 * shape) the way docs/design.md describes, by source group, with a confusion table and the score on
 * the provider catalogue (the replies large receivers document).
 *
 *   npm run score:replies -- [FILE] [--misses] [--save OUT.json] [--compare BEFORE.json]
 *
 * --save writes each reply's answer; --compare shows which replies (and source groups) a change fixed
 * or broke against such a file: look at the groups before keeping a rule.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../classify/index.js';
import type { Cause, Classification } from '../classify/types.js';
import { idFamily, sourceGroup } from './score/groups.js';

const SHARED_FILE = '/work/shared/corpus/replies/sisimai-dev.jsonl';
const FIXTURE_FILE = 'test/fixtures/classify/sisimai-dev.jsonl';
const CATALOGUE_FILE = 'test/fixtures/classify/provider-replies.jsonl';

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

interface Tally {
  right: number;
  total: number;
}

export interface Score {
  withCode: Tally;
  textOnly: Tally;
  classAgree: Tally;
  /** Our hardBounce against Sisimai's hard flag (information, no target). */
  hardAgree: Tally;
  /** Per source group (from the reply text), with a code and text only together. */
  groups: Map<string, Tally>;
  /** Per Sisimai id family, where the ids name one. */
  families: Map<string, Tally>;
  /** expected reason -> our cause -> count, for the misses. */
  confusion: Map<string, Map<string, { count: number; example: Row }>>;
  misses: { row: Row; got: Classification; kind: 'cause' | 'class' }[];
  /** Each scored row's answer (for --save and --compare). */
  answers: { id: string; reason: string; group: string; right: boolean; cause: string | null }[];
  skipped: number;
}

function codeClass(row: Row): 'temporary' | 'permanent' | 'success' | null {
  const digit = row.status ? row.status.charAt(0) : row.reply !== null ? String(row.reply).charAt(0) : null;
  if (digit === '4') return 'temporary';
  if (digit === '5') return 'permanent';
  if (digit === '2') return 'success';
  return null;
}

function bump(map: Map<string, Tally>, key: string, right: boolean): void {
  const t = map.get(key) ?? { right: 0, total: 0 };
  t.total++;
  if (right) t.right++;
  map.set(key, t);
}

export function scoreRows(rows: readonly Row[]): Score {
  const score: Score = {
    withCode: { right: 0, total: 0 },
    textOnly: { right: 0, total: 0 },
    classAgree: { right: 0, total: 0 },
    hardAgree: { right: 0, total: 0 },
    groups: new Map(),
    families: new Map(),
    confusion: new Map(),
    misses: [],
    answers: [],
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
    const right = got.cause !== null && allowed.includes(got.cause);
    const group = sourceGroup(row.diagnostic);
    bucket.total++;
    bump(score.groups, group, right);
    const family = idFamily(row.id);
    if (family !== null) bump(score.families, family, right);
    score.answers.push({ id: row.id, reason: row.reason, group, right, cause: got.cause });
    if (right) bucket.right++;
    else {
      score.misses.push({ row, got, kind: 'cause' });
      const byCause = score.confusion.get(row.reason) ?? new Map<string, { count: number; example: Row }>();
      const cell = byCause.get(got.cause ?? '-') ?? { count: 0, example: row };
      cell.count++;
      byCause.set(got.cause ?? '-', cell);
      score.confusion.set(row.reason, byCause);
    }
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

export interface CatalogueRow {
  provider: string;
  host: string;
  text: string;
  cause: Cause;
  source: string;
}

/** The provider catalogue's documented replies: each must classify to its documented cause. */
export function scoreCatalogue(
  rows: readonly CatalogueRow[],
): Tally & { misses: { row: CatalogueRow; got: Classification }[] } {
  const result = { right: 0, total: 0, misses: [] as { row: CatalogueRow; got: Classification }[] };
  for (const row of rows) {
    const got = classify({ diagnostic: row.text, remoteHost: row.host });
    result.total++;
    if (got.cause === row.cause) result.right++;
    else result.misses.push({ row, got });
  }
  return result;
}

function pct(x: Tally): string {
  return x.total === 0 ? 'n/a' : `${((100 * x.right) / x.total).toFixed(1)}% (${x.right}/${x.total})`;
}

function parseJsonl<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

function table(title: string, map: Map<string, Tally>): string[] {
  const lines = [title];
  const keys = [...map.keys()].sort((a, b) => map.get(b)!.total - map.get(a)!.total || a.localeCompare(b));
  for (const k of keys) lines.push(`  ${k.padEnd(26)} ${pct(map.get(k)!)}`);
  return lines;
}

/** The misses grouped as "expected reason -> our cause", most common first, each with one example. */
export function topConfusions(
  score: Score,
  n: number,
): { reason: string; cause: string; count: number; example: Row }[] {
  const all: { reason: string; cause: string; count: number; example: Row }[] = [];
  for (const [reason, byCause] of score.confusion)
    for (const [cause, cell] of byCause)
      all.push({ reason, cause, count: cell.count, example: cell.example });
  return all.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)).slice(0, n);
}

function main(argv: string[]): number {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const valued = new Set([flag('--save'), flag('--compare')]);
  const file =
    argv.find((a) => !a.startsWith('--') && !valued.has(a)) ??
    (existsSync(SHARED_FILE) ? SHARED_FILE : FIXTURE_FILE);
  if (!existsSync(file)) {
    process.stderr.write(`score-replies: ${file} not found; nothing to score\n`);
    return 1;
  }
  const score = scoreRows(parseJsonl<Row>(readFileSync(file, 'utf8')));
  const out: string[] = [];
  if (argv.includes('--misses')) {
    for (const m of score.misses) {
      const r = m.row;
      out.push(
        `MISS ${m.kind} ${r.id} reason=${r.reason} got=${m.got.cause ?? '-'}/${m.got.class ?? '-'} reply=${r.reply ?? '-'} status=${r.status ?? '-'} | ${r.diagnostic.slice(0, 200)}`,
      );
    }
    out.push('');
  }
  out.push(`Labelled replies: ${file}`);
  out.push(`cause right, with a code:  ${pct(score.withCode)}`);
  out.push(`cause right, text only:    ${pct(score.textOnly)}`);
  out.push(`class agrees with code:    ${pct(score.classAgree)}`);
  out.push(`hard bounce agrees:        ${pct(score.hardAgree)}   (information)`);
  out.push(`left out:                  ${score.skipped}`, '');
  out.push(...table('By source (provider or MTA, from the reply text):', score.groups), '');
  if (score.families.size > 0) out.push(...table('By Sisimai id family:', score.families), '');
  out.push('Per expected reason: right of total, and the causes given instead:');
  const reasons = new Map<string, Tally>();
  for (const a of score.answers) bump(reasons, a.reason, a.right);
  for (const [reason, t] of [...reasons].sort((a, b) => b[1].total - a[1].total)) {
    const wrong = [...(score.confusion.get(reason) ?? new Map<string, { count: number }>())]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([cause, cell]) => `${cause} ${cell.count}`)
      .join(', ');
    out.push(`  ${reason.padEnd(16)} ${String(t.right).padStart(3)}/${String(t.total).padEnd(3)} ${wrong}`);
  }
  out.push('');
  out.push('Confusions (expected reason -> our cause: count, one example):');
  for (const c of topConfusions(score, Number.POSITIVE_INFINITY)) {
    out.push(
      `  ${`${c.reason} -> ${c.cause}`.padEnd(40)} ${String(c.count).padStart(3)}  ${c.example.diagnostic.slice(0, 110)}`,
    );
  }
  out.push('');
  const catalogueFile = join(process.cwd(), CATALOGUE_FILE);
  if (existsSync(catalogueFile)) {
    const cat = scoreCatalogue(parseJsonl<CatalogueRow>(readFileSync(catalogueFile, 'utf8')));
    out.push(`Provider catalogue (documented replies): ${pct(cat)}`);
    for (const m of cat.misses)
      out.push(
        `  MISS ${m.row.provider}: want ${m.row.cause}, got ${m.got.cause ?? '-'} | ${m.row.text.slice(0, 100)}`,
      );
    out.push('');
  }
  const save = flag('--save');
  if (save !== undefined) writeFileSync(save, `${JSON.stringify(score.answers, null, 1)}\n`);
  const compare = flag('--compare');
  if (compare !== undefined) {
    const before = new Map(
      (JSON.parse(readFileSync(compare, 'utf8')) as Score['answers']).map((a) => [a.id, a] as const),
    );
    const changed = score.answers.filter((a) => before.has(a.id) && before.get(a.id)!.right !== a.right);
    out.push(
      `Against ${compare}: ${changed.filter((a) => a.right).length} fixed, ${changed.filter((a) => !a.right).length} broken`,
    );
    for (const a of changed)
      out.push(`  ${a.right ? 'fixed ' : 'broken'} ${a.group.padEnd(22)} ${a.id} -> ${a.cause ?? '-'}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  process.exitCode = main(process.argv.slice(2));
}
