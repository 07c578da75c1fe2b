import { describe, expect, it } from 'vitest';
import { composeAction } from '../../../classify/action.js';
import {
  BASIC_CODES,
  BLOCKLISTS,
  ENHANCED_CODES,
  explain,
  PROVIDER_CODES,
  PROVIDERS,
  type Explanation,
} from '../../../classify/index.js';
import { overlapping, splitSentences } from '../../../classify/sentences.js';
import { CAUSES, type FailureClass } from '../../../classify/types.js';

function repeats(texts: readonly string[]): string[] {
  const sentences = texts.flatMap(splitSentences);
  const found: string[] = [];
  for (let i = 0; i < sentences.length; i++)
    for (let j = i + 1; j < sentences.length; j++)
      if (overlapping(sentences[i]!, sentences[j]!)) found.push(`"${sentences[i]}" / "${sentences[j]}"`);
  return found;
}

const classes: (FailureClass | null)[] = ['temporary', 'permanent', null];
const retries = /\b(?:retries|will retry|retry it by itself|keeps the message)\b/i;
const noRetry = /\b(?:will not retry|does not retry|was returned|were returned)\b/i;

/** Every action the knowledge base can compose: each cause and class, alone and with what sharpens it. */
function allActions(): { label: string; klass: FailureClass | null; text: string }[] {
  const out: { label: string; klass: FailureClass | null; text: string }[] = [];
  for (const cause of CAUSES) {
    for (const klass of classes) {
      const add = (label: string, text: string) =>
        out.push({ label: `${cause}/${klass}: ${label}`, klass, text });
      add('plain', composeAction(cause, klass, null, null, null, null));
      for (const e of ENHANCED_CODES)
        if (e.causes[0] === cause)
          add(e.code, composeAction(cause, klass, `5${e.code.slice(1)}`, null, null, null));
      for (const b of BLOCKLISTS) add(b.name, composeAction(cause, klass, null, null, b.name, null));
      for (const p of PROVIDERS) add(p.id, composeAction(cause, klass, null, null, null, p.id));
    }
  }
  for (const pc of PROVIDER_CODES) {
    const cause = pc.cause ?? 'policy';
    for (const klass of classes)
      out.push({
        label: `${pc.label}/${klass}`,
        klass,
        text: composeAction(cause, klass, null, pc, null, pc.provider),
      });
  }
  return out;
}

function allExplanations(): Explanation[] {
  const codes = new Set<string>();
  for (const b of BASIC_CODES) codes.add(String(b.code));
  for (const e of ENHANCED_CODES) {
    codes.add(e.code);
    for (const d of e.classes) codes.add(`${d}${e.code.slice(1)}`);
  }
  for (const pc of PROVIDER_CODES) for (const c of pc.codes) codes.add(c);
  codes.add('550 5.7.1');
  codes.add('450 5.7.1');
  codes.add('421 4.7.0');
  return [...codes].map((c) => explain(c)).filter((e): e is Explanation => e !== null);
}

describe('the knowledge base', () => {
  const actions = allActions();
  const explanations = allExplanations();

  it('composes many actions and explanations to check', () => {
    expect(actions.length).toBeGreaterThan(1000);
    expect(explanations.length).toBeGreaterThan(150);
  });

  it('never repeats a sentence within an action', () => {
    const bad = actions.flatMap((a) => repeats([a.text]).map((r) => `${a.label}: ${r}`));
    expect(bad).toEqual([]);
  });

  it('never gives an action that contradicts its class', () => {
    for (const a of actions) {
      if (a.klass === 'permanent') expect(a.text, a.label).not.toMatch(retries);
      if (a.klass === 'temporary') expect(a.text, a.label).not.toMatch(noRetry);
    }
  });

  it('never repeats a sentence within an explanation', () => {
    const bad = explanations.flatMap((e) =>
      repeats([
        e.meaning,
        ...e.actions,
        ...e.notes,
        ...e.providerNotes.flatMap((n) => [n.meaning, n.action]),
      ]).map((r) => `${e.code}: ${r}`),
    );
    expect(bad).toEqual([]);
  });
});
