/**
 * The P100 simulator's fixed credentials, limits and webhook schedule, and the options of
 * `startP100Simulator`.
 */
import type { SimulatorOptions } from '../provider-simulator';

/** Fixed, well-known test credentials (never valid at P100). */
export const P100_SIMULATOR_API_KEY = 'p100-simulator-api-key';
export const P100_SIMULATOR_WEBHOOK_TOKEN = 'p100-simulator-webhook-token';
/** The simulator's cap on verifications per user (P100 enforces one, P430, but does not document it). */
export const P100_SIMULATOR_MAX_ATTEMPTS = 3;
/** P100's re-delivery delays (~8, 16, 32, 64 s after the first attempt: 5 attempts), scaled down 1000x. */
export const P100_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [8, 16, 32, 64];
/** The real schedule, for `webhookRetryDelaysMs` when reproducing it. */
export const P100_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [8_000, 16_000, 32_000, 64_000];
/** The rejection reason of a denied attempt (P100's only documented example). */
export const P100_SIMULATOR_REJECTION_REASON = 'NO_FACE_FOUND';

export interface P100SimulatorOptions extends SimulatorOptions {
  /** Verifications (`POST /v1/kyc`, and Method A submissions) a user may start; then P430. Default 3. */
  readonly maxVerificationAttempts?: number;
  /**
   * `true`: an accepted hosted capture stops at `NOT_VERIFIED/SUCCESSFUL` and the user becomes
   * `VERIFIED` only after Add User Verification (P100's Method B step 5, strictly). Default `false`:
   * an approved hosted flow verifies the user at once, and Add User Verification is still accepted
   * once afterwards.
   */
  readonly requireDocumentData?: boolean;
}

export interface P100ProviderErrorRule {
  /** Default `P501` ("Service temporarily unavailable"). Both arrive with HTTP 400, as at P100. */
  readonly code?: 'P500' | 'P501';
  readonly method?: string;
  readonly path?: string;
  /** Default 1. */
  readonly times?: number;
}
