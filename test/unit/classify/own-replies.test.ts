import { describe, expect, it } from 'vitest';
import { classify, providerHelp, PROVIDERS } from '../../../classify/index.js';
import { splitSentences, sameSentence } from '../../../classify/sentences.js';
import { CAUSES, LOCAL_CAUSES } from '../../../classify/types.js';
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

// Words that promise a retry, and words that rule one out.
const retries = /\b(?:retries|will retry|retry it by itself|keeps the message)\b/i;
const noRetry = /\b(?:will not retry|does not retry|was returned|were returned)\b/i;
const helpUrls = new Set<string>(
  PROVIDERS.flatMap((p): string[] =>
    [p.help?.guidelines, p.help?.delist, p.help?.codes].filter((u) => u !== undefined),
  ),
);

const remoteCauses = CAUSES.filter(
  (c) => c !== 'unclassified' && !(LOCAL_CAUSES as readonly string[]).includes(c),
);

describe('classify: own reply set, per cause', () => {
  for (const cause of remoteCauses) {
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
        // The action agrees with the class: no retry promised for a permanent failure, and the reverse.
        if (got.class === 'permanent') expect(got.action).not.toMatch(retries);
        if (got.class === 'temporary') expect(got.action).not.toMatch(noRetry);
        // No sentence twice.
        const sentences = splitSentences(got.action);
        for (let i = 0; i < sentences.length; i++)
          for (let j = i + 1; j < sentences.length; j++)
            expect(sameSentence(sentences[i]!, sentences[j]!), `${sentences[i]} / ${sentences[j]}`).toBe(
              false,
            );
        // The provider help page the action ends with is the one that matches the cause.
        const help = / help: (https:\/\/\S+)$/.exec(got.action)?.[1];
        if (help !== undefined && helpUrls.has(help))
          expect(help).toBe(providerHelp(got.provider, got.cause));
        // Only a dead address is a hard bounce.
        if (got.hardBounce) expect(['recipient-unknown', 'domain-invalid']).toContain(got.cause);
        // The reason says what decided the cause and the class.
        expect(got.reason).toMatch(/The text says|documents|The enhanced status|Reply \d{3}|gave up/);
        expect(got.reason).toMatch(/Class (?:temporary|permanent)/);
      });
    }
  }
});
