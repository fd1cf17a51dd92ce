export {
  P100_REAL_WEBHOOK_RETRY_DELAYS_MS,
  P100_SIMULATOR_API_KEY,
  P100_SIMULATOR_MAX_ATTEMPTS,
  P100_SIMULATOR_REJECTION_REASON,
  P100_SIMULATOR_WEBHOOK_TOKEN,
  P100_WEBHOOK_RETRY_DELAYS_MS,
  p100ConventionalOutcome,
  startP100Simulator,
} from './p100-simulator';
export type { P100ProviderErrorRule, P100Simulator, P100SimulatorOptions } from './p100-simulator';
