/** Building blocks of the html report: mail-safe tables with inline styles, and the page's small stylesheet. */

import { escapeHtml } from './escape.js';

export const COLORS = {
  text: '#1f2430',
  muted: '#5b6270',
  border: '#dde1e6',
  head: '#f3f5f8',
  temporary: '#e8a33d',
  permanent: '#c8423b',
  good: '#237a48',
  bad: '#b3261e',
  accent: '#2b5fad',
};

/** Trusted markup: only renderers build it, from escaped text. */
export interface Html {
  html: string;
}

export function raw(html: string): Html {
  return { html };
}

export type Content = string | number | Html;

function content(c: Content): string {
  if (typeof c === 'number') return c.toLocaleString('en-US');
  if (typeof c === 'string') return escapeHtml(c);
  return c.html;
}

const CELL = `padding:6px 8px;border-bottom:1px solid ${COLORS.border};vertical-align:top;`;

/** Column alignment: l left (wraps long words), n left without wrapping (codes, dates, ids), r right (numbers). */
export type Align = 'l' | 'n' | 'r';

function cellStyle(align: Align | undefined): string {
  if (align === 'r') return 'text-align:right;white-space:nowrap;';
  if (align === 'n') return 'text-align:left;white-space:nowrap;';
  return 'text-align:left;word-break:break-word;';
}

export function table(head: string[], rows: Content[][], align: Align[] = []): string {
  const th = head
    .map(
      (h, i) =>
        `<th style="${CELL}background:${COLORS.head};font-weight:600;${cellStyle(align[i] === 'l' ? 'n' : align[i])}">${escapeHtml(h)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td style="${CELL}${cellStyle(align[i])}">${content(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table role="table" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;font-size:13px;margin:0 0 16px 0"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

export function heading(text: string, note = ''): string {
  const small = note
    ? ` <span style="font-weight:400;font-size:13px;color:${COLORS.muted}">${escapeHtml(note)}</span>`
    : '';
  return `<h2 style="font-size:18px;margin:28px 0 10px 0;padding-bottom:4px;border-bottom:2px solid ${COLORS.text}">${escapeHtml(text)}${small}</h2>`;
}

export function paragraph(html: string, muted = false): string {
  return `<p style="margin:0 0 10px 0;line-height:1.45;${muted ? `color:${COLORS.muted};font-size:12px;` : ''}">${html}</p>`;
}

/** Colours a change: more failures is bad, more sent mail is good. */
export function changeBadge(text: string, delta: number, moreIsBad: boolean): Html {
  if (text === '' || delta === 0)
    return raw(`<span style="color:${COLORS.muted}">${escapeHtml(text)}</span>`);
  const bad = moreIsBad ? delta > 0 : delta < 0;
  return raw(
    `<span style="color:${bad ? COLORS.bad : COLORS.good};font-weight:600">${escapeHtml(text)}</span>`,
  );
}

export const STYLESHEET = `
body{margin:0;padding:0;background:#ffffff;color:${COLORS.text};font-family:Helvetica,Arial,sans-serif;font-size:14px}
code{font-family:Menlo,Consolas,monospace;font-size:12px;background:${COLORS.head};padding:0 3px}
@media screen and (max-width:560px){
  table[role=presentation]{table-layout:fixed}
  .wrap{overflow-wrap:anywhere}
  td.tile{display:inline-block;width:50%!important;box-sizing:border-box}
  table[role=table]{display:block;overflow-x:auto;overflow-wrap:normal}
}
@media print{
  body{font-size:11px}
  h2{page-break-after:avoid;break-after:avoid}
  table,svg,.cause{page-break-inside:avoid;break-inside:avoid}
  .wrap{width:100%!important;max-width:none!important}
}`;
