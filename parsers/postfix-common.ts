/** What the Postfix readers share: the record base, queue ids, and record builders. */

import type { RecordBase } from './types.js';

export type PostfixBase = RecordBase & { mta: 'postfix' };

export { ignored, messageRecord, unparsed } from './records.js';

function isUpperHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Vowels never appear in long queue ids: their base-52 alphabet leaves them out. */
function isVowel(c: number): boolean {
  const l = c | 32;
  return l === 97 || l === 101 || l === 105 || l === 111 || l === 117;
}

/**
 * Short queue ids are upper-case hex; long ones (enable_long_queue_ids: seconds and microseconds
 * in base 52, a 'z', the inode in base 51) are 12 or more letters and digits with no vowel. So
 * words like "warning", "statistics" or "NOQUEUE" never pass.
 */
export function isQueueId(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n < 5 || n > 24) return false;
  let hex = true;
  let vowel = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c)) return false;
    if (!isUpperHex(c)) hex = false;
    if (isVowel(c)) vowel = true;
  }
  return hex || (n >= 12 && !vowel);
}

export function isIpLike(s: string): boolean {
  if (s.length === 0 || s.length > 45) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isUpperHex(c) || (c >= 97 && c <= 102) || c === 46 || c === 58)) {
      // IPv6 zone ids and the "ipv6:" prefix are rare enough to keep as they are.
      return false;
    }
  }
  return true;
}
