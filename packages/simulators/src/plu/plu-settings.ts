/**
 * The Plu simulator's fixed credentials, Plu's documented limits and schedules, and the options of
 * `startPluSimulator`.
 */
import type { SimulatorOptions } from '../provider-simulator';

/** Fixed, well-known test credentials (never valid at Plu). The `sk_staging_` prefix selects staging. */
export const PLU_SIMULATOR_API_KEY = 'sk_staging_kycport_simulator';
export const PLU_SIMULATOR_WEBHOOK_SECRET = 'whsec_kycport_simulator';
/** "Each user can be retried up to 3 times. After that, contact support." */
export const PLU_SIMULATOR_MAX_RETRIES = 3;
/** "Keys expire after 5 minutes." */
export const PLU_IDEMPOTENCY_WINDOW_MS = 5 * 60_000;
/**
 * Plu documents "retried with exponential backoff", the first retry after 5 minutes; the later
 * delays and the number of attempts are the simulator's assumption (doubling, 3 re-deliveries).
 */
export const PLU_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [300_000, 600_000, 1_200_000];
/** The same schedule scaled down 1000x (the default). */
export const PLU_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [300, 600, 1_200];
/** The denial codes of Plu's documented denied example. */
export const PLU_SIMULATOR_DENIAL_REASON = 'WRONG_USER_REGION, REGULATIONS_VIOLATIONS';
/** The simulator's own reason for a failed Persona inquiry (Plu documents no code for it). */
export const PLU_SIMULATOR_PERSONA_FAILED_REASON = 'PERSONA_VERIFICATION_FAILED';
/**
 * The default origin of `verificationUrl` / `verificationLink`. The adapter only hands https URLs to
 * the user, so the simulator cannot give its own `http://127.0.0.1` origin; `.invalid` never
 * resolves, so nothing reaches a real Persona. The same page is served by the simulator at
 * `${baseUrl}/persona/verify?inquiry-id=...` (`verificationPageUrl`).
 */
export const PLU_SIMULATOR_VERIFICATION_BASE_URL = 'https://persona.plu-simulator.invalid';
export const PLU_SIMULATOR_KYC_EVENT = 'user.kyc-event';
export const PLU_SIMULATOR_SIGNATURE_HEADER = 'X-Webhook-Signature';

export interface PluSimulatorOptions extends SimulatorOptions {
  /** Origin (https) of the verification URLs handed out; default `PLU_SIMULATOR_VERIFICATION_BASE_URL`. */
  readonly verificationBaseUrl?: string;
  /** The `{slug}` of `{slug}-user-{uid}` service ids; default `kycsim`. */
  readonly partnerSlug?: string;
  /** Retries per user before the cap answers; default 3. */
  readonly maxRetries?: number;
  /** The clock (ms since epoch) for idempotency-key expiry and timestamps; default `Date.now`. */
  readonly now?: () => number;
}
