/**
 * Exim lines that are understood but carry no delivery, reject or message fact: connection notes,
 * queue runs, per-host errors (the `==`/`**` line that follows carries the outcome), daemon life,
 * and warnings and panics (counted by severity).
 */

import type { IgnoredRecord } from './types.js';

type Severity = IgnoredRecord['severity'];

/** Informational prefixes on lines that follow a message id. */
const WITH_ID_INFO: readonly string[] = [
  'SMTP error from remote mail',
  'H=',
  'Spool file is locked',
  'Spool file',
  'SA: ',
  'DKIM: ',
  'DMARC',
  'SPF',
  'ARC: ',
  'no immediate delivery',
  'Message is unfrozen',
  'Unfrozen',
  'unfrozen',
  'retry time not reached',
  'Sender identification',
  'Warning: ',
  'warning: ',
  'cancelled by',
  'removed by',
  'Error in ',
  'error ignored',
  'Connection refused',
  'Connection timed out',
  'Failed to connect',
  'no host name found',
  'original recipients ignored',
  'routing defer',
  'Remote host',
  'TLS session',
  'tls_',
  'TLS error',
  'lock',
  'SMTP connection',
  'Delivery ',
  'delivery ',
  '==',
  'CRL',
  'DANE',
  'cipher',
  'queue',
  'Message ',
];

/** Informational prefixes on lines without a message id. */
const WITHOUT_ID_INFO: readonly string[] = [
  'SMTP connection',
  'SMTP protocol',
  'SMTP command',
  'SMTP data timeout',
  'SMTP call',
  'SMTP syntax',
  'Start queue run',
  'End queue run',
  'exim ',
  'Exim ',
  'no host name found',
  'no IP address found',
  'TLS error',
  'TLS ',
  'unexpected disconnection',
  'Connection from',
  'connection count',
  'H=',
  'Warning: ',
  'warning: ',
  'LOG: ',
  'cwd=',
  'ACL ',
  'daemon ',
  'pid ',
  'Received from',
  'SA: ',
  'DKIM: ',
  'SPF',
  'DMARC',
  'ARC',
  'host name ',
  'Failed to ',
  'failed to ',
  'Connection ',
  'lowest numbered MX',
  'remote host ',
  'Spool ',
  'spool ',
  'socket ',
  'rate limit',
  'ratelimit',
  'sender verify',
  'recipient verify',
  'verify ',
  '[',
];

function severityOf(s: string): Severity | null {
  if (s.startsWith('PANIC') || s.startsWith('panic')) return 'panic';
  if (s.startsWith('Warning: ') || s.startsWith('warning: ')) return 'warning';
  if (s.includes('authenticator failed')) return 'warning';
  return null;
}

/** Severity of an Exim note, 'message-other' for message-level notes worth keeping, or null. */
export function classifyEximNote(s: string, withId: boolean): Severity | 'message-other' | null {
  const sev = severityOf(s);
  if (sev !== null) return sev;
  const list = withId ? WITH_ID_INFO : WITHOUT_ID_INFO;
  for (const p of list) if (s.startsWith(p)) return 'info';
  return null;
}
