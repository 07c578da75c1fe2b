/**
 * The only way the dashboard builds DOM: elements from tag names, attributes from a fixed list, children as text
 * nodes. Log text is attacker-controlled, so nothing here ever parses a string as markup.
 */

export type Child = Node | string | number | null | undefined | false;

type Attrs = { [K in keyof AttrMap]?: AttrMap[K] | undefined };

interface AttrMap {
  class: string;
  id: string;
  href: string;
  title: string;
  role: string;
  type: string;
  name: string;
  value: string;
  placeholder: string;
  for: string;
  scope: string;
  colspan: string;
  'aria-label': string;
  'aria-live': string;
  'aria-current': string;
  'aria-sort': string;
  'aria-pressed': string;
  'aria-busy': string;
  'aria-describedby': string;
  'aria-labelledby': string;
  'aria-expanded': string;
  'aria-controls': string;
  'data-testid': string;
  'data-kind': string;
  'data-label': string;
  autocomplete: string;
  inputmode: string;
  spellcheck: string;
  min: string;
  max: string;
  tabindex: string;
  sandbox: string;
  src: string;
  referrerpolicy: string;
  loading: string;
  hidden: string;
  disabled: string;
  required: string;
  pattern: string;
  maxlength: string;
  open: string;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    const entries: [string, string | undefined][] = Object.entries(attrs);
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      if (name === 'href' || name === 'src') {
        if (!isSafeUrl(value)) throw new Error(`refusing unsafe URL in ${name}`);
      }
      el.setAttribute(name, value);
    }
  }
  append(el, ...children);
  return el;
}

function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(
      typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c,
    );
  }
}

/** Only same-origin hash routes, the API and our own static files: never `javascript:` or another origin. */
function isSafeUrl(url: string): boolean {
  return /^#\//.test(url) || /^\/(?!\/)[\w\-./?=&%#:+@,]*$/.test(url);
}

/** The element with this id, checked to be of the expected kind. */
export function byId<T extends HTMLElement>(id: string, kind: abstract new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`missing #${id}`);
  return el;
}

/**
 * Knowledge-base prose with its `code spans` (the commands an action names) as children: each span a <code>
 * element, all of it text nodes. An unbalanced backtick leaves the text as it is. The reports split the same
 * way (codeSpans, server/report/escape.ts); the dashboard imports nothing but the API's types, so it has its own.
 */
export function withCode(text: string): Child[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [text];
  // A short command is kept on one line (`nc -v <mx> 25` broke after its dash); a long one may wrap on a phone.
  return parts.map((part, i) =>
    i % 2 === 1 ? h('code', part.length <= 24 ? { class: 'nowrap' } : null, part) : part,
  );
}
