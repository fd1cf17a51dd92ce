export {
  PLU_IDEMPOTENCY_WINDOW_MS,
  PLU_KEY_REUSE_REFUSALS,
  PLU_RETRY_REFUSALS,
  PLU_SIGNATURE_SCHEMES,
  PLU_SIMULATOR_BASE64_WEBHOOK_SECRET,
  PLU_SIMULATOR_TIMESTAMPED_HEADER,
  PLU_SIMULATOR_KYC_EVENT,
  PLU_REAL_WEBHOOK_RETRY_DELAYS_MS,
  PLU_SIMULATOR_SIGNATURE_HEADER,
  PLU_SIMULATOR_API_KEY,
  PLU_SIMULATOR_DENIAL_REASON,
  PLU_SIMULATOR_MAX_RETRIES,
  PLU_SIMULATOR_PERSONA_FAILED_REASON,
  PLU_SIMULATOR_VERIFICATION_BASE_URL,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  PLU_WEBHOOK_RETRY_DELAYS_MS,
} from './plu-settings';
export type {
  PluKeyReuseRefusal,
  PluRetryRefusal,
  PluSignatureScheme,
  PluSimulatorOptions,
} from './plu-settings';
export { pluSignatureHeaders, pluSimulatorWebhookSecret } from './plu-webhooks';
export { PLU_SIMULATOR_STATES, pluSimulatorOutcome } from './plu-state';
export type { PluSimulatorOutcome, PluSimulatorState } from './plu-state';
export { startPluSimulator } from './plu-simulator';
export { PLU_SIMULATOR_MAX_SEED } from './plu-seed';
export type { PluSeedOptions } from './plu-seed';
export type { PluSimulatedUser, PluSimulator } from './plu-simulator';
export { PLU_API_PREFIX, PLU_SIM_CODES, PLU_SIM_PATHS } from './plu-wire';
