export { createPluProvider, PLU_CAPABILITIES, PLU_LIST_PAGE_SIZE } from './plu-provider';
export type { PluProvider, PluProviderDependencies } from './plu-provider';
export { pluAdapter } from './plu-adapter';
export {
  PLU,
  PLU_BASE_URLS,
  PLU_ENVIRONMENT_VARIABLES,
  PluConfig,
  parsePluConfig,
  pluBaseUrl,
  pluConfigFromEnv,
  pluEnvironment,
} from './plu-config';
export type { PluEnvironment } from './plu-config';
export { EthereumAddress, PluProgram, PluProviderOptions } from './plu-options';
export { PLU_SANDBOX_KEYWORDS, pluSandboxLastName } from './plu-sandbox';
export type { PluSandboxOutcome } from './plu-sandbox';
export {
  PLU_KYC_EVENT,
  PLU_KYC_EVENT_ALIAS,
  PLU_SIGNATURE_HEADER,
  createPluWebhookHandler,
  isPluKycEventType,
  pluWebhookDedupeKey,
  signPluWebhook,
  verifyPluWebhookSignature,
} from './plu-webhooks';
export { PLU_ERROR_CODES, mapPluError, pluErrorCode } from './plu-error';
export { PLU_MAX_ATTEMPTS, PLU_MAX_RETRIES, pluKycState, pluReasonCodes } from './plu-status-mapping';
export { toPluCreateUserRequest } from './plu-request-mapping';
