import { describe, expect, it } from 'vitest';
import { classify } from '../../../classify/index.js';
import { CAUSES } from '../../../classify/types.js';
import { OWN_REPLIES, type OwnReply } from './own-replies.js';

function run(r: OwnReply) {
  return classify({
    diagnostic: r.text,
    replyCode: r.reply ?? null,
    enhancedStatus: r.status ?? null,
    stage: r.stage ?? null,
    remoteHost: r.host ?? null,
    outcome: r.outcome ?? null,
  });
}

describe('classify: own reply set, per cause', () => {
  for (const cause of CAUSES) {
    if (cause === 'unclassified') continue;
    const cases = OWN_REPLIES.filter((r) => r.cause === cause);
    it(`has at least five replies for ${cause}`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(5);
    });
    for (const r of cases) {
      it(`${cause}: ${r.text.slice(0, 90) || '(no text)'}`, () => {
        const got = run(r);
        expect(got.cause).toBe(r.cause);
        if (r.provider !== undefined) expect(got.provider).toBe(r.provider);
        if (r.blocklist !== undefined) expect(got.blocklist).toBe(r.blocklist);
        expect(got.action.length).toBeGreaterThan(20);
      });
    }
  }
});
