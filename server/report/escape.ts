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
 * Knowledge-base prose for html, escaped, with its `code spans` (the commands an action names) in <code>; the
 * style is inline because mail clients drop style sheets. An unbalanced backtick leaves the text as it is.
 */
export function escapeProse(text: string): string {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return escapeHtml(text);
  return parts
    .map((part, i) =>
      i % 2 === 1
        ? `<code style="font-family:Menlo,Consolas,monospace;font-size:12px">${escapeHtml(part)}</code>`
        : escapeHtml(part),
    )
    .join('');
}
