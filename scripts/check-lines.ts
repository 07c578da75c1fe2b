/**
 * Field agreement with the reference parsers' expectations in the shared line corpus (queue id,
 * status, reply code, enhanced status, relay host and IP, recipient), and the share of its Postfix
 * and Exim lines that come out unparsed. Run outside the test suite:
 * `node dist/scripts/check-lines.js [DIR]`. Prints per-field agreement, every disagreement, the
 * unparsed share per file and every unparsed line.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine } from '../parsers/index.js';
import type { ParsedRecord, ParseContext } from '../parsers/types.js';

const DEFAULT_DIR = '/work/shared/corpus/lines';
const TARGET = 0.99;
/** The unparsed share of Postfix and Exim lines must stay below this (issue 17). */
const UNPARSED_TARGET = 0.001;
const FIELDS = [
  'queueId',
  'status',
  'replyCode',
  'enhancedStatus',
  'relayHost',
  'relayIp',
  'recipient',
] as const;
/** Scored and shown, but outside the target: the client address of rejects and auth failures. */
const EXTRA = ['clientIp'] as const;
type Field = (typeof FIELDS)[number] | (typeof EXTRA)[number];
type Expected = Partial<Record<Field, string | number | null>>;

interface Case {
  file: string;
  line: string;
  program: string | null;
  expected: Expected;
}

interface CorpusLine {
  line: string;
  program?: string | null;
  mta?: string;
  line_kind?: string;
  pattern?: string;
  case?: string;
  expected: Json;
}

/**
 * Not a log message: the reference tests of single fields (`line_kind: fragment`) and grok's
 * `POSTFIX_RELAY`, the value of a `relay=` field that the corpus labels as a message.
 */
function isFragment(o: CorpusLine): boolean {
  return o.line_kind === 'fragment' || (o.pattern ?? '').startsWith('^%{POSTFIX_RELAY}');
}

/**
 * Other programs' lines in the Sekoia corpus that carry no program name, told by their case names:
 * SpamAssassin's spamd, policyd-spf, and postgrey (whose `action=pass, reason=...` lines are also
 * its `pass` cases).
 */
const OTHER_PROGRAM_CASES: readonly [RegExp, string][] = [
  [/^wo_appname_spamd/, 'spamd'],
  [/^wo_appname_policydspf/, 'policyd-spf'],
  [/^wo_appname_(?:postgrey|pass)/, 'postgrey'],
];

/**
 * The program of a corpus line: its own, else that of the same line elsewhere in the corpus, else
 * the other program its case name tells; null when it may be Postfix (guessed later).
 */
function programOf(o: CorpusLine, known: ReadonlyMap<string, string>): string | null {
  if (o.program) return o.program;
  const twin = known.get(o.line);
  if (twin !== undefined) return twin;
  for (const [re, program] of OTHER_PROGRAM_CASES) if (re.test(o.case ?? '')) return program;
  return null;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function get(o: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = o;
  for (const k of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function str(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length > 0) return str(v[0]);
  return undefined;
}

const leadingCode = /^([245]\d\d)[ -]/;

/** Maps each reference's field names onto ours. */
function expectedOf(file: string, exp: Json): Expected {
  const e: Expected = {};
  if (file.startsWith('postfix-grok-patterns')) {
    const qid = str(get(exp, 'postfix_queueid'));
    if (qid !== undefined) e.queueId = qid === 'NOQUEUE' ? null : qid;
    const status = str(get(exp, 'postfix_status'));
    if (status !== undefined) e.status = status;
    const code = str(get(exp, 'postfix_status_code')) ?? str(get(exp, 'postfix_proxy_status_code'));
    if (code !== undefined) e.replyCode = Number(code);
    const resp = str(get(exp, 'postfix_smtp_response'));
    if (code === undefined && resp !== undefined) {
      const m = leadingCode.exec(resp.replace(/^host \S+ said: /, ''));
      if (m) e.replyCode = Number(m[1]);
    }
    const esc =
      str(get(exp, 'postfix_status_code_enhanced')) ?? str(get(exp, 'postfix_proxy_status_code_enhanced'));
    if (esc !== undefined) e.enhancedStatus = esc;
    const rh = str(get(exp, 'postfix_relay_hostname')) ?? str(get(exp, 'postfix_client_hostname'));
    if (rh !== undefined) e.relayHost = rh;
    const ri = str(get(exp, 'postfix_relay_ip')) ?? str(get(exp, 'postfix_client_ip'));
    if (ri !== undefined) e.relayIp = ri;
    const kv = str(get(exp, 'postfix_keyvalue_data'));
    const to = kv === undefined ? null : /(?:^|[ ,])to=<?([^>, ]*)>?/.exec(kv);
    if (to) e.recipient = to[1] ?? '';
  } else if (file.startsWith('sekoia-postfix')) {
    const qid = str(get(exp, 'postfix.queue_id.local'));
    if (qid !== undefined) e.queueId = qid;
    const action = str(get(exp, 'action.name'));
    if (action === 'sent' || action === 'deferred' || action === 'bounced') e.status = action;
    const to = str(get(exp, 'email.to.address'));
    if (to !== undefined && action !== undefined && ['sent', 'deferred', 'bounced'].includes(action))
      e.recipient = to;
    const ip = str(get(exp, 'destination.ip'));
    if (ip !== undefined) e.relayIp = ip;
  } else if (file.startsWith('fail2ban')) {
    const host = str(get(exp, 'host'));
    if (host !== undefined && get(exp, 'match') === true) e.clientIp = host;
  } else if (file.startsWith('crowdsec-hub')) {
    const code = str(get(exp, 'Parsed.smtp_basic_status_code'));
    if (code !== undefined) e.replyCode = Number(code);
    const esc = str(get(exp, 'Parsed.smtp_enhanced_status_code'));
    if (esc !== undefined) e.enhancedStatus = esc;
    const rh = str(get(exp, 'Parsed.remote_host'));
    if (rh !== undefined) e.relayHost = rh;
    const ra = str(get(exp, 'Parsed.remote_addr'));
    if (ra !== undefined) e.relayIp = ra;
  }
  return e;
}

/** The program a header-less line most likely came from, when the corpus does not say. */
function guessProgram(message: string): string {
  if (/: to=.*status=/.test(message)) return 'postfix/smtp';
  if (/: message-id=/.test(message) || /: (warning|replace|prepend|info): header/.test(message))
    return 'postfix/cleanup';
  if (/: uid=\d+ from=/.test(message)) return 'postfix/pickup';
  if (/: from=<.*(size=|status=)/.test(message)) return 'postfix/qmgr';
  if (/^statistics:/.test(message)) return 'postfix/anvil';
  if (/(Used TLS for|TLS connection established to|^connect to |said: )/.test(message)) return 'postfix/smtp';
  return 'postfix/smtpd';
}

/** A whole log line for a corpus case: corpus lines without a header get a classic syslog one. */
function wholeLine(c: Case): string {
  if (/^(\d{4}-\d\d-\d\d[ T]|[A-Z][a-z]{2} +\d{1,2} )/.test(c.line)) return c.line;
  // "host prog[pid]: message" without a time: give it one.
  if (/^\S+ [\w/.-]+\[\d+\]: /.test(c.line)) return `Nov 28 12:00:00 ${c.line}`;
  const program = c.program ?? guessProgram(c.line);
  return `Nov 28 12:00:00 testhost ${program}[123]: ${c.line}`;
}

function actualOf(r: ParsedRecord, field: Field): string | number | null | undefined {
  if (field === 'clientIp') {
    if (r.kind === 'reject' || r.kind === 'note' || r.kind === 'message') return r.clientIp;
    if (r.kind === 'delivery' && r.outcome === 'discarded') return r.clientIp;
    return r.kind === 'ignored' || r.kind === 'warning' ? r.remoteIp : undefined;
  }
  switch (r.kind) {
    case 'delivery':
      if (field === 'status') return r.outcome;
      // An smtpd discard names the client it came from, as a reject does.
      if (r.outcome === 'discarded' && r.clientIp !== null) {
        if (field === 'relayHost') return r.clientHost;
        if (field === 'relayIp') return r.clientIp;
      }
      return r[field];
    case 'probe':
      return r[field];
    case 'reject':
    case 'note':
      if (field === 'relayHost') return r.clientHost;
      if (field === 'relayIp') return r.clientIp;
      if (field === 'status') return r.kind === 'reject' ? 'rejected' : r.action;
      return r[field];
    case 'warning':
      if (field === 'relayHost') return r.remoteHost;
      if (field === 'relayIp') return r.remoteIp;
      return field === 'queueId' ? r.queueId : undefined;
    case 'message':
      if (field === 'queueId') return r.queueId;
      if (field === 'status') return r.status;
      return undefined;
    case 'notification':
      return field === 'queueId' ? r.queueId : undefined;
    case 'ignored':
      if (field === 'relayHost') return r.remoteHost;
      if (field === 'relayIp') return r.remoteIp;
      if (
        field === 'queueId' ||
        field === 'replyCode' ||
        field === 'enhancedStatus' ||
        field === 'recipient'
      ) {
        return r[field];
      }
      return undefined;
    default:
      return undefined;
  }
}

function main(): number {
  const dir = process.argv[2] ?? DEFAULT_DIR;
  const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 13), utcOffsetMinutes: 0 };
  const cases: Case[] = [];
  const shares: string[] = [];
  const unparsedLines: string[] = [];
  let allMta = 0;
  let allUnparsed = 0;
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    let mta = 0;
    let unparsed = 0;
    const entries = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text) => JSON.parse(text) as CorpusLine);
    const known = new Map<string, string>();
    for (const o of entries) if (o.program) known.set(o.line, o.program);
    for (const o of entries) {
      const program = programOf(o, known);
      if (!isFragment(o)) {
        const r = parseLine(wholeLine({ file: name, line: o.line, program, expected: {} }), ctx);
        if (r.kind !== 'foreign') mta++;
        if (r.kind === 'unparsed') {
          unparsed++;
          unparsedLines.push(`${name} (${r.reason}): ${o.line.slice(0, 160)}`);
        }
      }
      if (o.expected === null) continue;
      const expected = expectedOf(name, o.expected);
      if (Object.keys(expected).length === 0) continue;
      cases.push({ file: name, line: o.line, program, expected });
    }
    allMta += mta;
    allUnparsed += unparsed;
    shares.push(
      `${name.padEnd(28)} ${String(unparsed).padStart(4)}/${String(mta).padEnd(5)} ${mta === 0 ? '-' : `${((unparsed / mta) * 100).toFixed(2)}%`}`,
    );
  }
  const agree = new Map<Field, number>();
  const total = new Map<Field, number>();
  const misses: string[] = [];
  for (const c of cases) {
    const r = parseLine(wholeLine(c), ctx);
    for (const f of [...FIELDS, ...EXTRA]) {
      if (!(f in c.expected)) continue;
      const want = c.expected[f] ?? null;
      const got = actualOf(r, f) ?? null;
      total.set(f, (total.get(f) ?? 0) + 1);
      if (got === want) agree.set(f, (agree.get(f) ?? 0) + 1);
      else
        misses.push(
          `${c.file} ${f}: want ${JSON.stringify(want)} got ${JSON.stringify(got)} (${r.kind})\n    ${c.line.slice(0, 160)}`,
        );
    }
  }
  let all = 0;
  let allAgree = 0;
  for (const f of FIELDS) {
    const t = total.get(f) ?? 0;
    const a = agree.get(f) ?? 0;
    all += t;
    allAgree += a;
    process.stdout.write(
      `${f.padEnd(15)} ${String(a).padStart(4)}/${String(t).padEnd(4)} ${t === 0 ? '-' : ((a / t) * 100).toFixed(1)}%\n`,
    );
  }
  const rate = all === 0 ? 1 : allAgree / all;
  process.stdout.write(
    `all fields      ${allAgree}/${all} ${(rate * 100).toFixed(2)}% (target ${TARGET * 100}%), ${cases.length} cases\n`,
  );
  for (const f of EXTRA) {
    const t = total.get(f) ?? 0;
    const a = agree.get(f) ?? 0;
    const pct = t === 0 ? '-' : `${((a / t) * 100).toFixed(1)}%`;
    process.stdout.write(
      `${f.padEnd(15)} ${String(a).padStart(4)}/${String(t).padEnd(4)} ${pct} (extra, outside the target)\n`,
    );
  }
  if (misses.length > 0) process.stdout.write(`\ndisagreements:\n${misses.join('\n')}\n`);
  const share = allMta === 0 ? 0 : allUnparsed / allMta;
  process.stdout.write(
    `\nunparsed Postfix/Exim lines (fragments left out):\n${shares.join('\n')}\n` +
      `all ${allUnparsed}/${allMta} ${(share * 100).toFixed(3)}% (target < ${UNPARSED_TARGET * 100}%)\n`,
  );
  if (unparsedLines.length > 0) process.stdout.write(`${unparsedLines.join('\n')}\n`);
  return rate >= TARGET && share < UNPARSED_TARGET ? 0 : 1;
}

process.exitCode = main();
