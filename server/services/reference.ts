/** What the code reference answers: the meaning of a reply code, and every cause with its meaning and action. */

import { HttpError } from '../http/errors.js';
import type { CausesReferenceResponse, CodeExplanation } from '../http/contract/reference.js';
import type { Knowledge } from './knowledge.js';

export interface ReferenceService {
  /** Throws a 404 HttpError for a text that is not a known code. */
  explain(code: string): CodeExplanation;
  causes(): CausesReferenceResponse;
}

export function createReferenceService(deps: { knowledge: Knowledge }): ReferenceService {
  return {
    explain(code) {
      const e = deps.knowledge.explain(code);
      if (!e) throw new HttpError(404, 'unknown-code', `no explanation for ${code}: not a known reply code`);
      return e;
    },
    causes: () => ({ causes: deps.knowledge.causes() }),
  };
}
