/**
 * Checks the counting contract on real logs: for every log under ../shared/corpus/logs (or the
 * folders given), ingest it with the built CLI into a fresh database, take `report --all --format
 * json`, and compare sent/deferred/bounced per recipient domain with counts made here from the raw
 * lines by the design's rules, with plain regexes that share no code with the parsers.
 *   node dist/scripts/check-corpus-counts.js [DIR...]
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

type Counts = Map<string, { sent: number; deferred: number; bounced: number }>;
type Outcome = 'sent' | 'deferred' | 'bounced';

const bin = join(import.meta.dirname, '../server/cli/bin.js');
const dirs = process.argv.slice(2);
const roots = dirs.length > 0 ? dirs : [join(import.meta.dirname, '../../../shared/corpus/logs')];

function logFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return logFiles(p);
    return name === 'SOURCE.txt' || name.endsWith('.md') ? [] : [p];
  });
}

const domainOf = (address: string) => {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
};

// Postfix: every `status=sent|deferred|bounced` line of any delivery agent.
const POSTFIX =
  /\spostfix[^\s/[]*\/(?:[\w.-]+\/)*[\w.-]+\[\d+\]:\s+[0-9A-Za-z]+: to=<((?:"[^"]*"|[^>])*)>,.*?\bstatus=(sent|deferred|bounced)\b/;
// Exim: `=>` and `->` sent, `**` bounced, `==` deferred; the address after the flag, or the one in <...> when it has no @.
const EXIM = /(?:^|\s)[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} (=>|->|\*\*|==) (.*)$/;
const EXIM_OUTCOME: Record<string, Outcome> = {
  '=>': 'sent',
  '->': 'sent',
  '**': 'bounced',
  '==': 'deferred',
};

/**
 * The design's rule: the address right after the flag (for a pipe or file it runs up to the
 * `<original>`, and a redirection's `(intermediate)` is not part of it); where it is not a mail
 * address, the address in angle brackets after it.
 */
function eximRecipient(rest: string): string {
  // The address part ends where the fields (F=, P=, R=, T=, H=, ...) or, for a routing failure, the reason begin.
  const fields = rest.search(/ [A-Z]{1,3}=/);
  let head = fields >= 0 ? rest.slice(0, fields) : rest;
  if (fields < 0) {
    const reason = head.indexOf('>: ');
    head = reason >= 0 ? head.slice(0, reason + 1) : head.replace(/: .*$/, '');
  }
  const angle = /^(.*?) <((?:\\.|[^>])*)>$/.exec(head);
  const address = (angle ? angle[1]! : head.split(' ')[0]!).replace(/ \([^()]*\)$/, '').replace(/:$/, '');
  const mailbox = address.includes('@') && !/^[|/>]/.test(address);
  return mailbox || !angle ? address : angle[2]!;
}

function countRaw(file: string): Counts {
  const counts: Counts = new Map();
  const add = (domain: string, outcome: Outcome) => {
    const c = counts.get(domain) ?? { sent: 0, deferred: 0, bounced: 0 };
    c[outcome]++;
    counts.set(domain, c);
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const p = POSTFIX.exec(line);
    if (p) {
      add(domainOf(p[1]!), p[2] as Outcome);
      continue;
    }
    const e = EXIM.exec(line);
    if (e) add(domainOf(eximRecipient(e[2]!)), EXIM_OUTCOME[e[1]!]!);
  }
  return counts;
}

interface ReportJson {
  domains: { domain: string; sent: number; deferred: number; bounced: number }[];
}

function countProduct(file: string): Counts {
  const dir = mkdtempSync(join(tmpdir(), 'bw-corpus-'));
  try {
    const db = join(dir, 'c.db');
    const ing = spawnSync(process.execPath, [bin, 'ingest', '--db', db, file], { encoding: 'utf8' });
    if (ing.status !== 0) throw new Error(`ingest failed: ${ing.stderr}`);
    const rep = spawnSync(process.execPath, [bin, 'report', '--all', '--format', 'json', '--db', db], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    // A log with no mail events (only other programs, or connections) has nothing to report.
    if (rep.status !== 0 && rep.stderr.includes('holds no mail events')) return new Map();
    if (rep.status !== 0) throw new Error(`report failed: ${rep.stderr}`);
    const json = JSON.parse(rep.stdout) as ReportJson;
    const counts: Counts = new Map();
    for (const d of json.domains) {
      if (d.sent + d.deferred + d.bounced > 0)
        counts.set(d.domain, { sent: d.sent, deferred: d.deferred, bounced: d.bounced });
    }
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let failures = 0;
let files = 0;
for (const root of roots) {
  if (!existsSync(root)) {
    process.stderr.write(
      `check-corpus-counts: ${root} not found (the corpus is beside the repository in ../shared)\n`,
    );
    process.exit(2);
  }
  for (const file of logFiles(root)) {
    files++;
    const raw = countRaw(file);
    let product: Counts;
    try {
      product = countProduct(file);
    } catch (err) {
      failures++;
      process.stdout.write(`FAIL ${file}: ${(err as Error).message}\n`);
      continue;
    }
    const domains = new Set([...raw.keys(), ...product.keys()]);
    const diffs: string[] = [];
    let total = 0;
    for (const d of domains) {
      const a = raw.get(d) ?? { sent: 0, deferred: 0, bounced: 0 };
      const b = product.get(d) ?? { sent: 0, deferred: 0, bounced: 0 };
      total += a.sent + a.deferred + a.bounced;
      for (const k of ['sent', 'deferred', 'bounced'] as const) {
        if (a[k] !== b[k]) diffs.push(`${d || '(no domain)'} ${k}: raw ${a[k]}, report ${b[k]}`);
      }
    }
    if (diffs.length > 0) failures++;
    const name = `${basename(join(file, '..'))}/${basename(file)}`;
    process.stdout.write(
      `${diffs.length === 0 ? 'ok  ' : 'DIFF'} ${name}: ${domains.size} domains, ${total} attempts\n`,
    );
    for (const d of diffs.slice(0, 20)) process.stdout.write(`       ${d}\n`);
  }
}
process.stdout.write(`\n${files - failures} of ${files} logs agree with the raw lines\n`);
process.exitCode = failures > 0 ? 1 : 0;
