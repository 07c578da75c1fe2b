/** Whole fixture logs of five kinds of server: every line understood, each kind and outcome where it belongs. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../parsers/index.js';
import type { ParseContext, ParsedRecord } from '../../../parsers/types.js';

const dir = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));
const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 29), utcOffsetMinutes: 0 };

/** `kind`, or `delivery:outcome` (`delivery:hop` for a hand-over), per line. */
function tally(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(dir + file, 'utf8').split('\n')) {
    if (line === '') continue;
    const r: ParsedRecord = parseLine(line, ctx);
    const key = r.kind !== 'delivery' ? r.kind : 'flow' in r ? 'delivery:hop' : `delivery:${r.outcome}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('fixture logs', () => {
  it.each([
    [
      'mx-refuses-spam/mail.log',
      {
        'delivery:sent': 7,
        'delivery:deferred': 3,
        'delivery:bounced': 3,
        'delivery:discarded': 2,
        reject: 10,
        note: 3,
        probe: 3,
        notification: 2,
        warning: 1,
        session: 4,
        message: 48,
        ignored: 43,
      },
    ],
    [
      'gateway-content-filter/mail.log',
      {
        'delivery:hop': 8,
        'delivery:sent': 8,
        'delivery:deferred': 3,
        'delivery:bounced': 4,
        reject: 2,
        notification: 4,
        debug: 49,
        warning: 1,
        session: 1,
        message: 63,
        ignored: 28,
      },
    ],
    [
      'outbound-relay/mail.log',
      {
        'delivery:sent': 19,
        'delivery:deferred': 7,
        'delivery:bounced': 2,
        'delivery:discarded': 1,
        notification: 5,
        warning: 1,
        session: 2,
        message: 46,
        ignored: 11,
      },
    ],
    [
      'exim-host/mainlog',
      {
        'delivery:sent': 13,
        'delivery:hop': 1,
        'delivery:deferred': 2,
        'delivery:wait': 3,
        'delivery:bounced': 2,
        'delivery:discarded': 3,
        reject: 8,
        warning: 1,
        session: 1,
        message: 28,
        ignored: 11,
      },
    ],
    [
      'local-faults/mail.log',
      {
        'delivery:sent': 8,
        'delivery:deferred': 6,
        'delivery:wait': 1,
        'delivery:bounced': 2,
        reject: 2,
        notification: 2,
        warning: 9,
        debug: 11,
        message: 30,
        ignored: 8,
      },
    ],
  ])('%s', (file, want) => {
    expect(tally(file)).toEqual(want);
  });
});
