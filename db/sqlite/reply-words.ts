/**
 * A reply text as a template and its words: each whitespace-separated word that holds a digit or an '@' (ids,
 * addresses, IPs, counters, times), or a lower-case letter followed by a capital (random ids such as
 * `gxYXASvHML`), is cut out, except reply codes and enhanced status codes, which the template
 * keeps because they tell replies apart. Real logs repeat a few thousand templates with different words, so a
 * template is stored once and each row keeps only its words. joinReply(...splitReply(t)) === t for every text.
 */

/** Marks a cut word in a template, and separates the words: a control character replies do not carry. */
const MARK = '\u001f';

/** A reply code (`550`, `550-`, `550-5.1.1`) or an enhanced status (`5.7.1`), maybe bracketed or before punctuation. */
const CODE = /^[([]?(?:[245]\d\d(?:-(?:[245]\.\d{1,3}\.\d{1,3})?)?|[245]\.\d{1,3}\.\d{1,3})[)\]:;,.]*$/;

/** Cut words at most per reply. */
const MAX_WORDS = 24;

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The template of `text` and its cut words joined by MARK (null when nothing was cut: the template is the text). */
export function splitReply(text: string): [template: string, words: string | null] {
  // A text that carries the mark itself is kept whole: its words could not be told apart.
  if (text.includes(MARK)) return [text, null];
  // Pieces are gathered and joined once: strings built by `+=` word by word are deep ropes, slow to store.
  const template: string[] = [];
  const words: string[] = [];
  let done = 0;
  const n = text.length;
  for (let i = 0; i < n;) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let variable = false;
    let lower = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) break;
      if ((c >= 48 && c <= 57) || c === 64 || (lower && c >= 65 && c <= 90)) variable = true;
      lower = c >= 97 && c <= 122;
    }
    if (!variable) continue;
    const word = text.slice(start, i);
    if (word.length <= 16 && CODE.test(word)) continue;
    // A reply of many variable words shares no template with others: it is kept whole, which costs nothing to read.
    if (words.length === MAX_WORDS) return [text, null];
    template.push(text.slice(done, start));
    done = i;
    words.push(word);
  }
  if (words.length === 0) return [text, null];
  template.push(text.slice(done));
  return [template.join(MARK), words.join(MARK)];
}

/** The text back from its template and words. */
export function joinReply(template: string, words: string | null): string {
  if (words === null) return template;
  const fixed = template.split(MARK);
  const cut = words.split(MARK);
  const out: string[] = [fixed[0] ?? ''];
  for (let i = 1; i < fixed.length; i++) out.push(cut[i - 1] ?? '', fixed[i] ?? '');
  return out.join('');
}
