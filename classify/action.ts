/** The action text for one classification: provider and code knowledge first, then the cause's general advice. */

import { blocklistInfo } from './blocklists.js';
import { CAUSE_INFO } from './causes.js';
import { ENHANCED_BY_KEY } from './codes-enhanced.js';
import type { ProviderCode } from './provider-codes.js';
import { providerInfo } from './providers.js';
import type { Cause } from './types.js';

export function composeAction(
  cause: Cause,
  status: string | null,
  pc: ProviderCode | null,
  blocklist: string | null,
  provider: string | null,
): string {
  const base = CAUSE_INFO[cause].action;
  if (pc) return pc.cause ? pc.action : `${pc.action} ${base}`;
  if (blocklist !== null && (cause === 'reputation-blocklist' || cause === 'spam-content')) {
    const info = blocklistInfo(blocklist);
    const where = info?.url ? ` (lookup and removal: ${info.url})` : '';
    const what = info?.content === true ? 'a domain or URL in the message' : 'your sending IP or domain';
    return `The reply names ${info?.operator ?? blocklist} (${blocklist}), which lists ${what}${where}. ${base}`;
  }
  const entry = status !== null ? ENHANCED_BY_KEY.get(status.slice(2)) : undefined;
  if (entry && entry.weak !== true && entry.causes[0] === cause) return `${entry.action} ${base}`;
  if (provider !== null && CAUSE_INFO[cause].side === 'sender') {
    const p = providerInfo(provider);
    if (p?.url) return `${base} ${p.name} sender help: ${p.url}`;
  }
  return base;
}

/** The action for our own server's reject of a remote client: we are the receiver. */
export function inboundAction(cause: Cause, blocklist: string | null): string {
  const base = CAUSE_INFO[cause].inboundAction;
  if (blocklist !== null && cause === 'reputation-blocklist')
    return `The client is listed on ${blocklist}. ${base}`;
  return base;
}
