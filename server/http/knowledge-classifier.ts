/** The Knowledge the server uses, read from the classifier's knowledge base (never restated here). */

import { CAUSE_INFO, CAUSES, explain, providerInfo, type Cause } from '../../classify/index.js';
import type { CauseInfoBody, CodeExplanation } from './contract.js';
import type { Knowledge } from './knowledge.js';

const isCause = (id: string): id is Cause => (CAUSES as readonly string[]).includes(id);

const causeBody = (id: Cause): CauseInfoBody => {
  const info = CAUSE_INFO[id];
  return { cause: info.cause, title: info.title, meaning: info.meaning, action: info.action };
};

export function classifierKnowledge(): Knowledge {
  return {
    cause: (id) => (isCause(id) ? causeBody(id) : null),
    causes: () => CAUSES.map(causeBody),
    explain: (code): CodeExplanation | null => {
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
        providerNotes: e.providerNotes,
      };
    },
    provider: (id) => {
      const p = providerInfo(id);
      return p ? { id: p.id, name: p.name, notes: p.url ? [`Sender help: ${p.url}`] : [] } : null;
    },
  };
}
