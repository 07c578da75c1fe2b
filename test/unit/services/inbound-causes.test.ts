/** Rejects by inbound cause: stored ids folded into the receiver's terms, our own faults kept as ours. */

import { describe, expect, it } from 'vitest';
import { CAUSE_INFO } from '../../../classify/index.js';
import { inboundCauses } from '../../../server/services/inbound.js';

describe('inboundCauses', () => {
  it('keeps a refusal caused by our own disk as ours, with the action for our side', () => {
    const out = inboundCauses(
      new Map([
        ['local-disk', 2],
        ['client-blocklisted', 5],
        ['reputation-blocklist', 1],
      ]),
    );
    expect(out.map((c) => [c.cause, c.count])).toEqual([
      ['client-blocklisted', 6],
      ['local-disk', 2],
    ]);
    expect(out[1]!.action).toBe(CAUSE_INFO['local-disk'].inboundAction);
    expect(out[1]!.title).toBe(CAUSE_INFO['local-disk'].title);
  });
});
