export {
  createPlaidProvider,
  newestAttempt,
  PLAID_CAPABILITIES,
  PLAID_MAX_LIST_PAGES,
  PLAID_SUBMIT_UNSUPPORTED_REASON,
} from './plaid-provider';
export type { PlaidDependencies, PlaidProvider } from './plaid-provider';
export { plaidAdapter } from './plaid-adapter';
export {
  PLAID_API_VERSION,
  PLAID_BASE_URLS,
  PLAID_ENVIRONMENT_VARIABLES,
  PlaidConfigCodec,
  parsePlaidConfig,
  plaidBaseUrl,
  plaidConfigFromEnvironment,
} from './plaid-config';
export type { PlaidConfig, PlaidEnvironment } from './plaid-config';
export { PlaidCreateUserOptionsCodec, PlaidRetryOptionsCodec } from './plaid-options';
export type { PlaidCreateUserOptions, PlaidProviderOptions, PlaidRetryOptions } from './plaid-options';
export {
  PLAID_ID_NUMBER_TYPES,
  plaidCreateRequest,
  plaidRetryRequest,
  plaidStrategyOf,
  plaidUserFromApplicant,
} from './plaid-request-mapping';
export type { PlaidIdNumberType } from './plaid-request-mapping';
export { PLAID_IDV_STATUSES, PLAID_IDV_STEPS, failedSteps, plaidStateOf } from './plaid-status-mapping';
export type { PlaidIdvStatus } from './plaid-status-mapping';
export { PLAID_ERROR_CODES, PLAID_ERROR_TYPES, mapPlaidError } from './plaid-error';
export {
  PLAID_IDV_WEBHOOK_CODES,
  PLAID_VERIFICATION_HEADER,
  PLAID_WEBHOOK_MAX_AGE_SECONDS,
  createPlaidWebhookHandler,
  createPlaidWebhookVerifier,
  plaidDedupeKey,
} from './plaid-webhooks';
export type { PlaidWebhookVerifier, PlaidWebhookVerifierOptions } from './plaid-webhooks';
export type * from './plaid-api';
