/** Sentences of advice texts: split, compared and joined, so that no advice says the same thing twice. */

// A sentence ends at . ! or ? followed by space and a capital, a backtick or a parenthesis.
const boundaryRe = /(?<=[.!?])\s+(?=[A-Z`("])/;

export function splitSentences(text: string): string[] {
  return text
    .split(boundaryRe)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function words(sentence: string): Set<string> {
  return new Set(
    sentence
      .toLowerCase()
      .replace(/https?:\/\/\S+/g, ' ')
      .split(/[^a-z0-9@._-]+/)
      .map((w) => w.replace(/^[._-]+|[._-]+$/g, ''))
      .filter((w) => w.length > 2),
  );
}

/** Two sentences say the same thing: equal, or sharing at least 80% of their words. */
export function sameSentence(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return false;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / Math.min(wa.size, wb.size) >= 0.8 && Math.min(wa.size, wb.size) >= 4;
}

/**
 * Two sentences give the same advice in part: a clause of one (four words or more) is, for at least
 * 80% of its words, in the other ("Read the text and any URL it gives" / "Read the full reply text
 * and any URL it gives; ..."). Stricter than sameSentence; the tests hold the knowledge base to it.
 */
export function overlapping(a: string, b: string): boolean {
  if (sameSentence(a, b)) return true;
  const clauses = (s: string) =>
    s
      .split(/[;:]\s+/)
      .map(words)
      .filter((w) => w.size >= 4);
  const wa = words(a);
  const wb = words(b);
  const covered = (clause: Set<string>, other: Set<string>) => {
    let shared = 0;
    for (const w of clause) if (other.has(w)) shared++;
    return shared / clause.size >= 0.8;
  };
  return clauses(a).some((c) => covered(c, wb)) || clauses(b).some((c) => covered(c, wa));
}

/** Joins advice texts, leaving out every sentence that repeats an earlier one, even in part. */
export function joinSentences(parts: readonly string[]): string {
  const kept: string[] = [];
  for (const part of parts) {
    for (const s of splitSentences(part)) {
      if (!kept.some((k) => overlapping(k, s))) kept.push(s);
    }
  }
  return kept.join(' ');
}

/** Leaves out every item that repeats a sentence of an earlier item (for lists of actions). */
export function uniqueAdvice(items: readonly string[]): string[] {
  const seen: string[] = [];
  const out: string[] = [];
  for (const item of items) {
    const fresh = splitSentences(item).filter((s) => !seen.some((k) => overlapping(k, s)));
    if (fresh.length === 0) continue;
    seen.push(...fresh);
    out.push(fresh.join(' '));
  }
  return out;
}
