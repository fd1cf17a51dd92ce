export {
  P100_REAL_WEBHOOK_RETRY_DELAYS_MS,
  P100_SIMULATOR_API_KEY,
  P100_SIMULATOR_MAX_ATTEMPTS,
  P100_SIMULATOR_REJECTION_REASON,
  P100_SIMULATOR_WEBHOOK_TOKEN,
  P100_WEBHOOK_RETRY_DELAYS_MS,
} from './p100-settings';
export type {
  P100DocumentDataProcessing,
  P100ProviderErrorRule,
  P100SimulatorOptions,
  P100StartVerificationCap,
} from './p100-settings';
export { p100ConventionalOutcome } from './p100-state';
export { startP100Simulator } from './p100-simulator';
export type { P100Simulator } from './p100-simulator';
