/**
 * Exim notes: lines of the main log that carry no delivery, reject or message fact (connection
 * and TLS details, queue runs, per-host errors that a `==`/`**` line repeats, ACL logwrite text,
 * DKIM/SPF/DMARC results), graded by severity so that warnings and panics can be counted.
 */

import type { WarningRecord } from './types.js';

type Severity = WarningRecord['severity'] | 'info';

const WARNING_MARKS: readonly string[] = [
  'Warning: ',
  'warning: ',
  'WARNING: ',
  'authenticator failed',
  'SMTP protocol error',
  'SMTP protocol synchronization error',
  'SMTP command timeout',
  'SMTP data timeout',
  'TLS error',
  'SSL verify error',
  'unexpected disconnection',
  'failed to expand',
  'Failed to ',
  'error ignored',
  'temporarily rejected',
];

const ERROR_MARKS: readonly string[] = ['Error', 'error in ', 'Permission denied', 'Spool file is locked'];

/** Severity of an Exim note: anything but `info` makes it a warning record. */
export function classifyEximNote(s: string): Severity {
  if (s.startsWith('PANIC') || s.includes('panic')) return 'panic';
  for (const m of WARNING_MARKS) if (s.includes(m)) return 'warning';
  for (const m of ERROR_MARKS) if (s.startsWith(m)) return 'error';
  return 'info';
}
