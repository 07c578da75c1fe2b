/**
 * The provider catalogue: what large receivers document about their own replies (codes, wording),
 * the cause each reply means and what they ask senders to do, with the page it comes from.
 * Facts from their documentation, written in our words. `explain` and the classifier both read it.
 */

import { GOOGLE_CODES } from './catalogue/google.js';
import { MICROSOFT_CODES } from './catalogue/microsoft.js';
import { OTHER_CODES } from './catalogue/others.js';
import { YAHOO_CODES } from './catalogue/yahoo.js';
import type { Cause } from './types.js';

export interface ProviderCode {
  /** Provider id the entry belongs to. */
  provider: string;
  /** Label shown by `explain` (e.g. "S3150", "5.7.606-649"). */
  label: string;
  /** The enhanced statuses and provider codes this entry documents ("5.4.1", "S3150", "TSS04"). */
  codes: readonly string[];
  /**
   * The provider's own code or wording, where the general meanings would miss or misread it.
   * Entries without one document how the provider uses a code that the general rules read right.
   */
  re?: RegExp;
  /** The cause the provider's documentation gives. */
  cause?: Cause;
  /** The rule fires even without knowing the provider (the code or wording belongs only to them). */
  distinctive?: boolean;
  meaning: string;
  action: string;
  /** The public page the facts come from. */
  source: string;
}

export const PROVIDER_CODES: readonly ProviderCode[] = [
  ...GOOGLE_CODES,
  ...MICROSOFT_CODES,
  ...YAHOO_CODES,
  ...OTHER_CODES,
];

/** The entries that carry a rule, in order: what the classifier tries. */
export const PROVIDER_RULES: readonly (ProviderCode & { re: RegExp })[] = PROVIDER_CODES.filter(
  (p): p is ProviderCode & { re: RegExp } => p.re !== undefined,
);
