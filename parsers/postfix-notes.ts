/**
 * Postfix lines that are understood but carry no delivery, reject or message fact: connection
 * notes, TLS notes, per-attempt errors (the status= line that follows carries the outcome),
 * statistics, daemon life, and warnings, errors, fatal errors and panics (counted by severity).
 */

import type { IgnoredRecord } from './types.js';

type Severity = IgnoredRecord['severity'];

/** Severity prefixes Postfix's msg(3) writes. */
function severityPrefix(s: string): Severity | null {
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

/** Severity of an informational line after a queue id (or after NOQUEUE), or null if unknown. */
export function classifyPostfixQueuedNote(rest: string): Severity | 'message-other' | null {
  const sev = severityPrefix(rest);
  if (sev !== null) return sev;
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

/** Severity of a line without a queue id, or null when the shape is unknown. */
export function classifyPostfixUnqueued(message: string): Severity | null {
  const sev = severityPrefix(message);
  if (sev !== null) return sev;
  const sp = message.indexOf(' ');
  const first = sp < 0 ? message : message.slice(0, sp);
  if (UNQUEUED_FIRST_WORDS.has(first)) return 'info';
  // postfix-script: "the Postfix mail system is running: PID: 123"
  if (message.startsWith('the Postfix mail system')) return 'info';
  return null;
}
