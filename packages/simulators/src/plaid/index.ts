export {
  PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS,
  PLAID_REFUSAL_STYLES,
  PLAID_SIMULATOR_API_VERSION,
  PLAID_SIMULATOR_CLIENT_ID,
  PLAID_SIMULATOR_LIST_PAGE_SIZE,
  PLAID_SIMULATOR_SECRET,
  PLAID_SIMULATOR_TEMPLATE_ID,
  PLAID_WEBHOOK_RETRY_DELAYS_MS,
} from './plaid-settings';
export type { PlaidRefusalStyle, PlaidSimulatorOptions, PlaidWebhookCode } from './plaid-settings';
export { startPlaidSimulator } from './plaid-simulator';
export type { PlaidSimulator } from './plaid-simulator';
export {
  LESLIE_KNOPE,
  PLAID_RETRY_STRATEGIES,
  PLAID_STATUSES,
  PLAID_STEPS,
  plaidConventionalOutcome,
} from './plaid-attempts';
export type { ConventionalOutcome, PlaidRetryStrategy, PlaidStatus, PlaidStep } from './plaid-attempts';
