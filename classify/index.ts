/** The classification knowledge base: classifier, code explanations, cause and provider information. */

export { classify } from './classify.js';
export { explain } from './explain.js';
export { CAUSE_INFO, causeInfo } from './causes.js';
export { providerInfo, providerFromHost, providerFromDomain, providerHelp, PROVIDERS } from './providers.js';
export { BLOCKLISTS, findBlocklist } from './blocklists.js';
export { BASIC_CODES } from './codes-basic.js';
export { ENHANCED_CODES, ENHANCED_SUBJECTS } from './codes-enhanced.js';
export { PROVIDER_CODES } from './provider-codes.js';
export { STRONG_MEANINGS, WEAK_MEANINGS } from './meanings.js';
export { extractEnhancedStatus, extractReplyCode, extractSpecificStatus, extractStage } from './extract.js';
export { classOfOutcome } from './reply-class.js';
export { recogniseLocalFault, type LocalFaultInput } from './local-faults.js';
export { classifyInbound, INBOUND_CAUSE_INFO } from './inbound.js';
export { CAUSES, INBOUND_CAUSES, type Cause, type Explanation, type InboundCause } from './types.js';
/**
 * Causes of our own faults, which the inbound service imports on the issue-17 branch (f17-rest).
 * @public until that branch lands: before it, nothing here imports them.
 */
export { LOCAL_CAUSES, type LocalCause } from './types.js';
