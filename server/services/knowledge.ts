/** The one adapter over the classifier's knowledge base: cause, code and provider texts in the API's words. */

import { CAUSE_INFO, CAUSES, explain, providerHelp, providerInfo, type Cause } from '../../classify/index.js';
import type { CauseInfoBody, CodeExplanation, ProviderInfoBody } from '../http/contract/reference.js';

export const isCause = (id: string): id is Cause => (CAUSES as readonly string[]).includes(id);

export interface Knowledge {
  /** A cause's title, meaning and action, or null for an id the classifier does not know. */
  cause(id: string): CauseInfoBody | null;
  /**
   * What to do about a cause's failures of mail to our own domains (the inbound flow), where the sender-side
   * action does not apply; null for an unknown id.
   */
  inboundAction(id: string): string | null;
  causes(): CauseInfoBody[];
  /** Explanation of a basic (550), enhanced (5.7.1) or provider code, or null when the text is not one. */
  explain(code: string): CodeExplanation | null;
  provider(id: string): ProviderInfoBody | null;
  /** The provider's help page that fits a cause (never an unrelated one), or null. */
  providerHelp(provider: string, cause: string): string | null;
}

const causeBody = (id: Cause): CauseInfoBody => {
  const info = CAUSE_INFO[id];
  return { cause: info.cause, title: info.title, meaning: info.meaning, action: info.action };
};

/** An unknown cause id is shown as itself, with nothing said about it. */
const describeCause = (knowledge: Knowledge, id: string): CauseInfoBody =>
  knowledge.cause(id) ?? { cause: id, title: id, meaning: '', action: '' };

/**
 * A cause as its failures call for, by the flow they are in: when all of them are of mail to our own domains,
 * the receiving side's action (an unknown user here is not an address to stop mailing); otherwise the sender's.
 */
export function describeCauseByFlow(
  knowledge: Knowledge,
  id: string,
  flows: { outbound: number; inbound: number },
): CauseInfoBody {
  const info = describeCause(knowledge, id);
  if (flows.outbound > 0 || flows.inbound === 0) return info;
  return { ...info, action: knowledge.inboundAction(id) ?? info.action };
}

/** Codes explained and kept: a drill-down explains every code of its breakdown, on the thread that serves. */
const EXPLAINED_KEPT = 1024;

export function classifierKnowledge(): Knowledge {
  // Codes come from logs and URLs: the memo is bounded, and emptied when full.
  const explained = new Map<string, CodeExplanation | null>();
  const explainCode = (code: string): CodeExplanation | null => {
    const e = explain(code);
    if (!e) return null;
    return {
      code: e.code,
      kind: e.kind,
      class: e.class,
      title: e.title,
      meaning: e.meaning,
      actions: e.actions,
      causes: e.causes.map((c) => ({ cause: c, title: CAUSE_INFO[c].title })),
      notes: e.notes,
      source: e.source,
      // The same provider usage as `explain` gives, with its cause and the page it comes from.
      providerNotes: e.providerNotes.map((n) => ({
        provider: n.provider,
        label: n.label,
        meaning: n.meaning,
        action: n.action,
        cause: n.cause === null ? null : { cause: n.cause, title: CAUSE_INFO[n.cause].title },
        source: n.source,
      })),
    };
  };
  return {
    cause: (id) => (isCause(id) ? causeBody(id) : null),
    inboundAction: (id) => (isCause(id) ? CAUSE_INFO[id].inboundAction : null),
    causes: () => CAUSES.map(causeBody),
    explain: (code) => {
      if (explained.has(code)) return explained.get(code) ?? null;
      if (explained.size >= EXPLAINED_KEPT) explained.clear();
      const e = explainCode(code);
      explained.set(code, e);
      return e;
    },
    provider: (id) => {
      const p = providerInfo(id);
      return p ? { id: p.id, name: p.name, url: p.url } : null;
    },
    providerHelp: (provider, cause) => (isCause(cause) ? providerHelp(provider, cause) : null),
  };
}
