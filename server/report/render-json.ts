/** The json format: the whole report model, every domain and cause, as one object. */

import type { Report } from '../http/contract/report.js';

/** The text of `value` as JSON.stringify(value, null, 2) writes it, nested `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  // JSON escapes every line break inside a string, so each one in its text starts a line of its layout.
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/**
 * The report as JSON.stringify(report, null, 2) writes it, byte for byte, in pieces: one per list item, so that
 * a week's hard-bounced addresses are never one string of tens of megabytes beside the model they come from.
 */
export function* jsonChunks(report: Report): Generator<string> {
  yield '{';
  let first = true;
  for (const [key, value] of Object.entries(report)) {
    // As JSON.stringify: a key without a value is left out.
    if ((value as unknown) === undefined) continue;
    yield `${first ? '' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (Array.isArray(value) && value.length > 0) {
      yield '[';
      for (let i = 0; i < value.length; i++)
        yield `${i === 0 ? '' : ','}\n    ${nested(value[i] ?? null, 2)}`;
      yield '\n  ]';
    } else yield nested(value, 1);
  }
  yield first ? '}\n' : '\n}\n';
}

export function renderJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}
