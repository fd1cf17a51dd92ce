/**
 * The P100 simulator's fixed credentials, limits and webhook schedule, and the options of
 * `startP100Simulator`.
 */
import type { SimulatorOptions } from '../provider-simulator';

/** Fixed, well-known test credentials (never valid at P100). */
export const P100_SIMULATOR_API_KEY = 'p100-simulator-api-key';
/**
 * The Webhook Security Token the P100 simulator sends in `Authorization` (set it as the adapter's
 * `webhookToken`).
 */
export const P100_SIMULATOR_WEBHOOK_TOKEN = 'p100-simulator-webhook-token';
/** The simulator's cap on verifications per user (P100 enforces one, P430, but does not document it). */
export const P100_SIMULATOR_MAX_ATTEMPTS = 3;
/** P100's re-delivery delays (~8, 16, 32, 64 s after the first attempt: 5 attempts), scaled down 1000x. */
export const P100_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [8, 16, 32, 64];
/** The real schedule, for `webhookRetryDelaysMs` when reproducing it. */
export const P100_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [8_000, 16_000, 32_000, 64_000];
/** The rejection reason of a denied attempt (P100's only documented example). */
export const P100_SIMULATOR_REJECTION_REASON = 'NO_FACE_FOUND';

/**
 * What Get KYC Status shows between an Add User Verification that completes a hosted capture
 * (Method B step 5) and P100's verdict on it. P100 documents only that the call "initiates the
 * asynchronous KYC verification process" and that a webhook follows its completion:
 * - `pending` (default): a new attempt, `NOT_VERIFIED/PENDING`, until `completeHostedFlow`;
 * - `unchanged`: still `NOT_VERIFIED/SUCCESSFUL` until `completeHostedFlow`;
 * - `immediate`: `VERIFIED/SUCCESSFUL` at once (no processing visible).
 */
export type P100DocumentDataProcessing = 'pending' | 'unchanged' | 'immediate';

/**
 * What `POST /v1/kyc` answers once a user's verifications reach `maxVerificationAttempts`. P100
 * lists P430 on Add User Verification only; for this endpoint it documents no error at all:
 * - `allow` (default): no cap on starts;
 * - `P430`: 400 P430 "Too many verifications", as on Add User Verification;
 * - `other_code`: 400 with a code P100 does not document (`P499`, the simulator's own).
 */
export type P100StartVerificationCap = 'allow' | 'P430' | 'other_code';

/**
 * Options of `startP100Simulator`: the common simulator options plus P100's attempt cap and the
 * variants of behaviour P100 does not document.
 */
export interface P100SimulatorOptions extends SimulatorOptions {
  /**
   * Verifications a user may have reviewed: Method A Add User Verification answers P430 after this
   * many (and `POST /v1/kyc` too, with `startVerificationCap` other than `allow`). Default 3.
   */
  readonly maxVerificationAttempts?: number;
  /**
   * Default `true`: an accepted hosted capture stops at `NOT_VERIFIED/SUCCESSFUL` until the host
   * sends Add User Verification (P100's Method B step 5). `false` (a variant, the simulator's old
   * default): an approved hosted flow verifies the user at once, and Add User Verification is still
   * accepted once afterwards.
   */
  readonly requireDocumentData?: boolean;
  /** Default `pending` (see `P100DocumentDataProcessing`). */
  readonly documentDataProcessing?: P100DocumentDataProcessing;
  /** Default `allow` (see `P100StartVerificationCap`). */
  readonly startVerificationCap?: P100StartVerificationCap;
}

/** Which requests `injectProviderError` fails, and with which P100 code. */
export interface P100ProviderErrorRule {
  /** Default `P501` ("Service temporarily unavailable"). Both arrive with HTTP 400, as at P100. */
  readonly code?: 'P500' | 'P501';
  /** Only requests with this method (any when absent). */
  readonly method?: string;
  /** Only requests whose path matches this pattern (`{param}` allowed; any when absent). */
  readonly path?: string;
  /** Default 1. */
  readonly times?: number;
}
