/** Groups the MTA's own warnings, fatal errors and panics by shape, and names what each shape is about. */

import { diagnosticPattern } from '../services/reply-groups.js';

type WarningSeverity = 'warning' | 'fatal' | 'panic';
export type WarningTopic = 'disk' | 'tls' | 'dns' | 'config' | 'crash' | 'sasl' | 'client' | 'other';

export interface WarningLike {
  ts: number;
  /** The parser's severity; `error` counts as a warning. */
  severity: 'warning' | 'error' | 'fatal' | 'panic';
  text: string;
}

export interface WarningGroup {
  /** The text with its variable parts replaced. */
  text: string;
  severity: WarningSeverity;
  topic: WarningTopic;
  count: number;
  first: number;
  last: number;
  /** The newest line of the shape, as written. */
  example: string;
}

/** Host names become `<host>` (a file name such as `main.cf` or `smtpd.pem` stays): the same warning about two hosts is one shape. */
const FILE_SUFFIX = /\.(?:cf|db|lmdb|cdb|pem|key|crt|conf|cfg|so|log|txt|sock|pid|lock|regexp|pcre)$/i;
const HOST_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+\.?$/i;
const PUNCT_END = /[:,;)]+$/;

function maskHosts(word: string): string {
  // `name[ip]` and `name[ip]:port`: the name goes with the address.
  const bracket = word.indexOf('[');
  if (bracket > 0) {
    const name = word.slice(0, bracket);
    return name.toLowerCase() === 'unknown' ? word : `<host>${word.slice(bracket)}`;
  }
  const trail = PUNCT_END.exec(word)?.[0] ?? '';
  const core = trail === '' ? word : word.slice(0, -trail.length);
  if (core.includes('/') || core.includes('@') || FILE_SUFFIX.test(core) || !HOST_NAME.test(core))
    return word;
  // A dotted word with no letters is a number or an address, which the reply masking handles.
  if (!/[a-z]/i.test(core)) return word;
  return `<host>${trail}`;
}

/** The shape of a warning text: the reply normaliser's masking (addresses, IPs, ids, numbers), host names too. */
export function warningShape(text: string): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  return diagnosticPattern(words.map(maskHosts).join(' '));
}

/** Key words of each topic; the first topic whose word appears wins, so crashes and disk come before the rest. */
const TOPICS: readonly (readonly [WarningTopic, RegExp])[] = [
  [
    'crash',
    /\b(?:terminated with (?:status|signal)|killed by signal|pid \d+ (?:exit status|killed by signal)|bad command startup|throttling|panic)\b/i,
  ],
  [
    'disk',
    /\b(?:no space left|not enough free space|disk (?:space|full)|insufficient (?:disk|system storage|space)|spool (?:file|directory) is \d+% full|file system full|over quota)\b/i,
  ],
  ['tls', /\b(?:tls|ssl|starttls|certificate|cipher|handshake)\b/i],
  ['sasl', /\b(?:sasl|authentication failed|authenticator)\b/i],
  [
    'dns',
    /\b(?:does not resolve|name resolution|dns|nameserver|host not found|lookup (?:error|failure)|resolv)/i,
  ],
  [
    'config',
    /\b(?:main\.cf|master\.cf|configuration|unknown (?:parameter|transport)|unsupported|table lookup|is not a valid|database|\.db|hash:|lmdb:|permission denied|not owned by|mismatch)/i,
  ],
  [
    'client',
    /\b(?:non-smtp command|pipelining|lost connection|timeout after|too many errors|improper command)\b/i,
  ],
];

export function warningTopic(text: string): WarningTopic {
  // Long texts are cut before matching, so the topic costs no more than a fixed prefix whatever a client wrote.
  const head = text.length > 512 ? text.slice(0, 512) : text;
  for (const [topic, pattern] of TOPICS) if (pattern.test(head)) return topic;
  return 'other';
}

const asSeverity = (s: WarningLike['severity']): WarningSeverity => (s === 'error' ? 'warning' : s);

/** Groups warnings by severity and shape, most frequent first (then the most recent). */
export function groupWarnings(
  warnings: Iterable<WarningLike>,
  limit = Number.POSITIVE_INFINITY,
): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const w of warnings) {
    const severity = asSeverity(w.severity);
    const text = warningShape(w.text);
    const key = `${severity}\u0000${text}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        text,
        severity,
        topic: warningTopic(w.text),
        count: 1,
        first: w.ts,
        last: w.ts,
        example: w.text,
      });
      continue;
    }
    g.count++;
    if (w.ts < g.first) g.first = w.ts;
    if (w.ts >= g.last) {
      g.last = w.ts;
      g.example = w.text;
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.last - a.last).slice(0, limit);
}
