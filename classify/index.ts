/** The classification knowledge base: classifier, code explanations, cause and provider information. */

export { classify } from './classify.js';
export { explain } from './explain.js';
export { CAUSE_INFO, causeInfo, type CauseInfo } from './causes.js';
export {
  providerInfo,
  providerFromHost,
  providerFromDomain,
  providerHelp,
  PROVIDERS,
  type ProviderInfo,
} from './providers.js';
export { BLOCKLISTS, blocklistInfo, findBlocklist, type BlocklistInfo } from './blocklists.js';
export { BASIC_CODES, BASIC_BY_CODE, type BasicCode } from './codes-basic.js';
export {
  ENHANCED_CODES,
  ENHANCED_BY_KEY,
  ENHANCED_CLASSES,
  ENHANCED_SUBJECTS,
  type EnhancedCode,
} from './codes-enhanced.js';
export { PROVIDER_CODES, type ProviderCode } from './provider-codes.js';
export { STRONG_MEANINGS, WEAK_MEANINGS, type Meaning } from './meanings.js';
export { extractEnhancedStatus, extractReplyCode, extractSpecificStatus, extractStage } from './extract.js';
export { classOfOutcome } from './reply-class.js';
export { recogniseLocalFault, type LocalFaultInput, type LocalFaultSignal } from './local-faults.js';
export {
  classifyInbound,
  INBOUND_CAUSE_INFO,
  type InboundCauseInfo,
  type InboundClassification,
  type InboundInput,
} from './inbound.js';
export {
  CAUSES,
  INBOUND_CAUSES,
  LOCAL_CAUSES,
  type Cause,
  type Classification,
  type ClassifyInput,
  type Explanation,
  type FailureClass,
  type InboundCause,
  type LocalCause,
} from './types.js';
