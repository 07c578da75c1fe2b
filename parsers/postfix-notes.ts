/**
 * Postfix lines that are understood but carry no delivery, reject or message fact: connection
 * notes, TLS notes, per-attempt errors (the status= line that follows carries the outcome),
 * statistics, daemon life; the severity prefixes of warnings; and the shapes of verbose output.
 */

import type { WarningRecord } from './types.js';

type Severity = WarningRecord['severity'];

/** The severity a word of Postfix's msg(3) prefixes names (`warning`, `error`, `fatal`, `panic`), or null. */
export function severityOfWord(word: string): Severity | null {
  switch (word) {
    case 'warning':
    case 'error':
    case 'fatal':
    case 'panic':
      return word;
    default:
      return null;
  }
}

/** The severity prefix Postfix's msg(3) writes (`warning: `, `error: `, `fatal: `, `panic: `), or null. */
export function severityPrefix(s: string): Severity | null {
  const c = s.charCodeAt(0);
  if (c === 119 && s.startsWith('warning: ')) return 'warning';
  if (c === 101 && s.startsWith('error: ')) return 'error';
  if (c === 102 && s.startsWith('fatal: ')) return 'fatal';
  if (c === 112 && s.startsWith('panic: ')) return 'panic';
  return null;
}

/** Informational lines after a queue id (the first words decide). */
const QUEUED_INFO_PREFIXES: readonly string[] = [
  'host ', // per-attempt reply: "host x[ip] said: ..." / "refused to talk to me"
  'lost connection with ',
  'conversation with ',
  'connect to ',
  'Cannot start TLS',
  'enabling PIX workarounds',
  'SASL authentication failed',
  'Server certificate not',
  'TLS is required',
  'TLS handshake failed',
  'skipped, still being delivered',
  'sender delivery status notification',
  'info: ',
  'replace: ',
  'prepend: ',
  'filter: ',
  'redirect: ',
  'bcc: ',
  'delay: ',
  'placed on hold',
  'released from hold',
  'requeued',
  'resent-message-id=',
  'discard: ', // cleanup/smtpd discard action without the reject shape
  'hold: ',
  'orig_queue_id=',
  'Remote host',
  'Untrusted TLS',
  'Trusted TLS',
  'Verified TLS',
  'Anonymous TLS',
  'passing ',
  'sasl_',
  'forwarded as',
  'not delivered',
  'mail for ',
  'Protocol error',
  'Used TLS for',
];

/** An informational line after a queue id (or after NOQUEUE), a message event, or null if unknown. */
export function classifyPostfixQueuedNote(rest: string): 'info' | 'message-other' | null {
  for (const p of QUEUED_INFO_PREFIXES) {
    if (rest.startsWith(p)) return 'info';
  }
  if (rest.startsWith('expired') || rest.startsWith('deleted')) return 'message-other';
  return null;
}

/** Lines with no queue id, recognised by their first word. */
const UNQUEUED_FIRST_WORDS: ReadonlySet<string> = new Set([
  // smtpd / postscreen / smtp connection notes
  'connect',
  'disconnect',
  'lost',
  'timeout',
  'too',
  'improper',
  'CONNECT',
  'DISCONNECT',
  'PASS',
  'DNSBL',
  'HANGUP',
  'PREGREET',
  'WHITELISTED',
  'BLACKLISTED',
  'ALLOWLISTED',
  'DENYLISTED',
  'WHITELIST',
  'ALLOWLIST',
  'BARE',
  'COMMAND',
  'NON-SMTP',
  'Anonymous',
  'Trusted',
  'Untrusted',
  'Verified',
  'SSL_accept',
  'SSL_connect',
  'proxy-accept:',
  'proxy-reject:',
  'NOQUEUE:',
  // daemon life and housekeeping
  'statistics:',
  'table', // "table hash:/etc/postfix/x has changed -- restarting"
  'cache', // postscreen/verify "cache btree:... full cleanup"
  'addr', // dnsblog "addr 192.0.2.1 listed by domain ..."
  'waiting', // "waiting for the Postfix mail system to terminate"
  'discarding', // smtp "discarding EHLO keywords: ..."
  'Deleted:', // postsuper summaries
  'Requeued:',
  'Expired:',
  'Placed',
  'Released',
  'setting', // "setting up TLS connection to ..."
  'SASL',
  'certificate', // "certificate verification failed for ..."
  'host',
  'conversation',
  'TLS',
  'daemon',
  'reload',
  'terminating',
  'starting',
  'stopping',
  'refreshing',
]);

/** Whether a line without a queue id (and without a severity prefix) is a known informational one. */
export function isPostfixInfo(message: string): boolean {
  const sp = message.indexOf(' ');
  const first = sp < 0 ? message : message.slice(0, sp);
  if (!UNQUEUED_FIRST_WORDS.has(first)) {
    // postfix-script: "the Postfix mail system is running: PID: 123"
    return message.startsWith('the Postfix mail system');
  }
  return !isIpcConnect(message);
}

/** `connect to subsystem private/rewrite`: a verbose note of a connection to a local service, with no `name[addr]`. */
function isIpcConnect(m: string): boolean {
  return m.startsWith('connect to ') && !m.includes('[');
}

/** A character of the words verbose output starts with: letters, digits, `_`, `/`, `.`, `-`. */
function isTraceWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 47 ||
    c === 46 ||
    c === 45
  );
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Postfix verbose output (`-v`, `debug_peer_list`) and TLS debug traces, told by their shapes rather than
 * their sentences: the SMTP dialogue and restriction traces (`> name[addr]:port: text`, `< name[addr]: text`,
 * `>>> START ... <<<`), connections to local services (`connect to subsystem private/rewrite`), a trace led by a
 * peer (`name[addr]:port: depth=0 verify=1 ...`, `SSL_connect:...`), the attribute exchange (`send attr
 * name = value`), a head of one to five words (a C function or socket name: `name_mask: all`,
 * `private/rewrite socket: wanted attribute: x`, `input attribute name: x`, `Compiled against Berkeley DB: x`)
 * before `: `, or up to three lower-case words alone on the line (`connection established`, `rewrite stream
 * disconnect`). Normal lines never start that way: they start with a severity, a queue id, NOQUEUE, or a
 * sentence checked before this.
 */
export function isPostfixDebug(m: string): boolean {
  const c0 = m.charCodeAt(0);
  // "> name[addr]: 250 Ok", "< name[addr]: QUIT", ">>> START Recipient address RESTRICTIONS <<<"
  if (c0 === 62 || c0 === 60) return true;
  if (c0 === 83 && m.startsWith('SSL_')) return true;
  if (m.startsWith('send attr ') || isIpcConnect(m)) return true;
  const sp = m.indexOf(' ');
  const firstEnd = sp < 0 ? m.length : sp;
  // "name[addr]:port: ..." or "name[addr]: ...": a peer-led trace.
  if (m.charCodeAt(firstEnd - 1) === 58) {
    const open = m.indexOf('[');
    const close = open > 0 && open < firstEnd ? m.indexOf(']', open) : -1;
    if (close > open && close < firstEnd) return true;
  }
  if (!isLetter(c0)) return false;
  let words = 1;
  let capital = c0 < 97;
  for (let i = 1; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 58) return m.charCodeAt(i + 1) === 32 || i + 1 === m.length;
    if (c === 32) {
      const next = m.charCodeAt(i + 1);
      if (++words > 5 || !isLetter(next)) return false;
      if (next < 97) capital = true;
    } else if (!isTraceWordChar(c)) {
      return false;
    }
  }
  return words <= 3 && !capital;
}
