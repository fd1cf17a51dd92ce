/**
 * The kycport adapter for Plaid Identity Verification (`/identity_verification/*`): the
 * provider, its configuration, options, status mapping and webhooks verified by their JWT.
 *
 * @module @kycport/plaid
 */
export { createPlaidProvider, plaidAdapter } from './plaid-adapter';
export {
  PLAID_SUBMIT_UNSUPPORTED_REASON,
  buildPlaidProvider,
  isPlaidProvider,
  plaidCapabilities,
} from './plaid-provider';
export type { PlaidKycProvider, PlaidProvider, PlaidProviderDependencies } from './plaid-provider';
export { PLAID_MAX_LIST_PAGES, inferMeansIncomplete, newestAttempt } from './plaid-attempts';
export {
  PLAID_API_VERSION,
  PLAID_BASE_URLS,
  PLAID_ENVIRONMENT_VARIABLES,
  PLAID_PROVIDER_ID,
  PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE,
  PlaidConfig,
  plaidBaseUrl,
  plaidRedirectPolicy,
} from './plaid-config';
export type { PlaidEnvironment } from './plaid-config';
export { PLAID_ENDPOINTS } from './plaid-api';
export { PlaidCreateUserOptions, PlaidRetryApplicant, PlaidRetryOptions } from './plaid-options';
export type { PlaidProviderOptions } from './plaid-options';
export {
  PLAID_ID_NUMBER_TYPES,
  toPlaidCreateRequest,
  toPlaidRequestUser,
  toPlaidRetryRequest,
  toPlaidRetryStrategy,
  toPlaidRetryUser,
} from './plaid-request-mapping';
export type { PlaidIdNumberType, PlaidUserFields } from './plaid-request-mapping';
export {
  PLAID_IDV_STATUSES,
  PLAID_IDV_STEPS,
  PLAID_NO_SHAREABLE_URL_REASON,
  failedSteps,
  plaidKycState,
} from './plaid-status-mapping';
export type { PlaidIdvStatus } from './plaid-status-mapping';
export {
  PLAID_ERROR_CODES,
  PLAID_ERROR_TYPES,
  mapPlaidError,
  mapPlaidListError,
  mapPlaidRetryError,
  plaidRefusalSubject,
} from './plaid-error';
export type { PlaidRefusalSubject } from './plaid-error';
export {
  IDENTITY_VERIFICATION_WEBHOOK_TYPE,
  PLAID_IDV_WEBHOOK_CODES,
  PLAID_VERIFICATION_HEADER,
  PLAID_WEBHOOK_MAX_AGE_SECONDS,
  createPlaidWebhookHandler,
  createPlaidWebhookVerifier,
  plaidDedupeKey,
} from './plaid-webhooks';
export type {
  PlaidWebhookEventType,
  PlaidWebhookVerifier,
  PlaidWebhookVerifierOptions,
} from './plaid-webhooks';
export { PLAID_KEY_FETCH_WINDOW_MS, PLAID_UNKNOWN_KID_TTL_MS } from './plaid-webhook-keys';
export type * from './plaid-api';
