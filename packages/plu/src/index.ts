/**
 * The kycport adapter for Plu v2 card users with Persona KYC: the provider, its configuration,
 * options, status mapping and signed webhooks.
 *
 * @module @kycport/plu
 */
export { createPluProvider, pluAdapter } from './plu-adapter';
export { pluCapabilities } from './plu-provider';
export type { PluProvider, PluProviderDependencies } from './plu-provider';
export { PLU_LIST_PAGE_SIZE, PLU_SCAN_PAGE_LIMIT_CODE } from './plu-user-scan';
export {
  PLU_BASE_URLS,
  PLU_DEFAULT_MAX_SCAN_PAGES,
  PLU_ENVIRONMENT_VARIABLES,
  PLU_PROVIDER_ID,
  PluConfig,
  pluBaseUrl,
  pluEnvironment,
  pluRedirectPolicy,
} from './plu-config';
export { PLU_CREATE_URL_LOST_REASON } from './plu-create-user';
export { PLU_RETRY_URL_LOST_REASON } from './plu-retry';
export type { PluEnvironment } from './plu-config';
export { EthereumAddress, PluProgram, PluProviderOptions } from './plu-options';
export { PLU_SANDBOX_KEYWORDS, pluSandboxLastName } from './plu-sandbox';
export type { PluSandboxOutcome } from './plu-sandbox';
export {
  PLU_EVENT_TOO_OLD_CODE,
  PLU_KYC_EVENT,
  PLU_KYC_EVENT_ALIAS,
  PLU_LEGACY_KYC_EVENT_PREFIX,
  createPluWebhookHandler,
  isPluKycEventType,
  pluDedupeKeyStrength,
  pluWebhookDedupeKey,
  verifyPluWebhookSignature,
} from './plu-webhooks';
export {
  PLU_SIGNATURE_HEADER,
  PLU_SIGNATURE_HEADERS,
  PLU_SIGNATURE_TOLERANCE_MS,
  PLU_TIMESTAMPED_SIGNATURE_HEADERS,
  checkPluWebhookSignature,
  pluStandardWebhookKey,
  signPluWebhook,
} from './plu-webhook-signature';
export type { PluSignatureOptions, PluSignatureScheme } from './plu-webhook-signature';
export type { PluWebhookEventType, PluWebhookIdentity, PluWebhookOptions } from './plu-webhooks';
export { PLU_ERROR_CODES, mapPluError, pluErrorCode } from './plu-error';
export {
  PLU_KNOWN_STATUSES,
  PLU_MAX_ATTEMPTS,
  PLU_MAX_RETRIES,
  pluKycState,
  pluReasonCodes,
} from './plu-status-mapping';
export type { PluKnownStatus, PluStatusDetails } from './plu-status-mapping';
export { PluRetryPreCheck } from './plu-config';
export { PLU_RETRY_MEMORY_CAPACITY, decidePluRetryRefusal, isPluRetryRefusal } from './plu-retry-refusal';
export { toPluCreateUserRequest } from './plu-request-mapping';
