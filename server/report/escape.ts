/** HTML escaping for log text, which remote servers and clients write (attacker-controlled). */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Knowledge-base prose split at its `code spans` (the commands an action names): the odd parts are code. An
 * unbalanced backtick leaves the text whole.
 */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [{ text, code: false }];
  return parts.map((part, i) => ({ text: part, code: i % 2 === 1 }));
}

/** Knowledge-base prose for html, escaped, its code spans in <code>: inline style, as mail clients drop style sheets. */
export function escapeProse(text: string): string {
  return codeSpans(text)
    .map((p) =>
      p.code
        ? `<code style="font-family:Menlo,Consolas,monospace;font-size:12px">${escapeHtml(p.text)}</code>`
        : escapeHtml(p.text),
    )
    .join('');
}
