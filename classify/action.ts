/**
 * The action text for one classification: first what the class means for retries, then the provider
 * or code knowledge, then the cause's general advice; no sentence twice, none against the class.
 */

import { blocklistInfo } from './blocklists.js';
import { CAUSE_INFO, classStep } from './causes.js';
import { ENHANCED_BY_KEY } from './codes-enhanced.js';
import type { ProviderCode } from './provider-codes.js';
import { providerHelp, providerInfo } from './providers.js';
import { joinSentences } from './sentences.js';
import type { Cause, FailureClass } from './types.js';

export function composeAction(
  cause: Cause,
  klass: FailureClass | null,
  status: string | null,
  pc: ProviderCode | null,
  blocklist: string | null,
  provider: string | null,
): string {
  const parts: string[] = [];
  const step = classStep(cause, klass);
  if (step !== null) parts.push(step);
  const help = providerHelp(provider, cause);
  const helpLine = help !== null ? `${providerInfo(provider!)?.name ?? provider} help: ${help}` : null;
  if (pc) {
    parts.push(pc.action);
    if (pc.cause === undefined) parts.push(CAUSE_INFO[cause].action);
    if (helpLine !== null && !pc.action.includes(help!)) parts.push(helpLine);
    return joinSentences(parts);
  }
  if (blocklist !== null && (cause === 'reputation-blocklist' || cause === 'spam-content')) {
    const info = blocklistInfo(blocklist);
    const where = info?.url ? ` (lookup and removal: ${info.url})` : '';
    const what = info?.content === true ? 'a domain or URL in the message' : 'your sending IP or domain';
    parts.push(`The reply names ${info?.operator ?? blocklist} (${blocklist}), which lists ${what}${where}.`);
  } else {
    const entry = status !== null ? ENHANCED_BY_KEY.get(status.slice(2)) : undefined;
    if (entry && entry.weak !== true && entry.causes[0] === cause) parts.push(entry.action);
  }
  parts.push(CAUSE_INFO[cause].action);
  if (helpLine !== null) parts.push(helpLine);
  return joinSentences(parts);
}

/** The action for our own server's reject of a remote client: we are the receiver. */
export function inboundAction(cause: Cause, blocklist: string | null): string {
  const base = CAUSE_INFO[cause].inboundAction;
  if (blocklist !== null && cause === 'reputation-blocklist')
    return `The client is listed on ${blocklist}. ${base}`;
  return base;
}
