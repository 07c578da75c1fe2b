/**
 * A 32-bit key of an address or Message-ID, for indexes that would otherwise hold the whole text: 4 bytes instead
 * of 20 to 40 in every index entry. Many texts share a key, so a query always compares the text as well; the key
 * only narrows the rows it reads. ASCII letters are folded and one pair of angle brackets is dropped first, so
 * `<Id@X>`, `id@x` and `ID@X` share a key and a search for any of them reaches the rows of the others.
 */
export function textKey(text: string): number {
  let start = 0;
  let end = text.length;
  if (text.charCodeAt(0) === 60 && text.charCodeAt(end - 1) === 62 && end >= 2) {
    start = 1;
    end--;
  }
  // FNV-1a over UTF-16 code units.
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  // Signed: SQLite stores it in 4 bytes.
  return h | 0;
}

/**
 * The key of an attempt's recipient from what its row stores (migration 0013): the address kept whole when `whole`,
 * else its part before `@<domain>` and the domain's name id. Null when the domain is unknown (no row has it).
 */
export function recipientKey(stored: string, domainId: number | null, whole: boolean): number | null {
  if (whole) return textKey(stored);
  return domainId === null ? null : textKey(`${stored}@${domainId}`);
}

/** The key of a life's Message-ID from what its row stores: the left-hand side and its host's name id, or the whole. */
export function messageKey(stored: string, domainId: number | null): number {
  return textKey(domainId === null ? stored : `${stored}@${domainId}`);
}
