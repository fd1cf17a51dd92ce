/**
 * The kycport adapter for the P100 Partner API (onboarding and KYC): the provider, its
 * configuration, options, status mapping and webhooks.
 *
 * @module @kycport/p100
 */
export { buildP100Provider, p100Capabilities } from './p100-provider';
export type { P100Provider, P100ProviderDependencies } from './p100-provider';
export { createP100Provider, p100Adapter } from './p100-adapter';
export {
  P100Config,
  P100Environment,
  P100KycMethod,
  P100_BASE_URLS,
  P100_ENVIRONMENT_VARIABLES,
  P100_PROVIDER_ID,
  p100BaseUrl,
  p100Settings,
} from './p100-config';
export type { P100Settings } from './p100-config';
export { P100_ENDPOINTS, P100_ENDPOINT_ERROR_CODES } from './p100-api';
export {
  P100DocumentType,
  P100IncomeSource,
  P100Occupation,
  P100OpenAccountReason,
  P100ProviderOptions,
} from './p100-options';
export {
  P100_ACCESS_DENIED_CODES,
  P100_ERROR_CODES,
  P100_VERIFICATION_CAP_CODES,
  mapP100Error,
  mapP100VerificationError,
} from './p100-error';
export {
  MISSING_DOCUMENT_DATA,
  MISSING_HOSTED_VERIFICATION,
  P100_ATTEMPT_STATUSES,
  P100_VERIFICATION_STATUSES,
  kycNotFoundState,
  p100KycState,
} from './p100-status-mapping';
export type { P100AttemptStatus, P100VerificationStatus } from './p100-status-mapping';
export { p100VerificationUrl } from './p100-start-verification';
export {
  P100_WEBHOOK_EVENT_TYPES,
  P100_WEBHOOK_SIGNATURE_HEADERS,
  createP100WebhookHandler,
  isAuthenticP100Token,
  p100DedupeKey,
  parseP100WebhookBody,
} from './p100-webhooks';
export type { P100WebhookEventType } from './p100-webhooks';
