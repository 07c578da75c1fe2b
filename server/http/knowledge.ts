/** What the server needs from the classifier's knowledge base, in the API's words (cause, code, provider texts). */

import type { CauseInfoBody, CodeExplanation, ProviderInfoBody } from './contract.js';

export interface Knowledge {
  cause(id: string): CauseInfoBody | null;
  causes(): CauseInfoBody[];
  /** Explanation of a basic (550) or enhanced (5.7.1) code, or null when the text is not a code. */
  explain(code: string): CodeExplanation | null;
  provider(id: string): ProviderInfoBody | null;
}
