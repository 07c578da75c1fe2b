/** What the Exim readers share: the record base, record builders, and field readers. */

import type { RecordBase } from './types.js';

export type EximBase = RecordBase & { mta: 'exim' };

export { ignored, messageRecord, policyRecord, unparsed, warning } from './records.js';

/** The value of ` KEY=` (a space-delimited token; `"..."` quoted values kept whole), or null. */
export function field(s: string, key: string, from = 0): string | null {
  let at = s.indexOf(key, from);
  while (at > 0 && s.charCodeAt(at - 1) !== 32) at = s.indexOf(key, at + 1);
  if (at < 0) return null;
  const start = at + key.length;
  if (s.charCodeAt(start) === 34) {
    // Quoted: find the closing quote not preceded by a backslash.
    let q = s.indexOf('"', start + 1);
    while (q > 0 && s.charCodeAt(q - 1) === 92) q = s.indexOf('"', q + 1);
    return q < 0 ? s.slice(start + 1) : s.slice(start + 1, q);
  }
  let end = s.indexOf(' ', start);
  if (end < 0) end = s.length;
  return s.slice(start, end);
}

export function stripAngles(s: string): string {
  return s.length >= 2 && s.charCodeAt(0) === 60 && s.charCodeAt(s.length - 1) === 62 ? s.slice(1, -1) : s;
}
