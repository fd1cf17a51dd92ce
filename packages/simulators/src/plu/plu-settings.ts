/**
 * The Plu simulator's fixed credentials, Plu's documented limits and schedules, and the options of
 * `startPluSimulator`.
 */
import type { SimulatorOptions } from '../provider-simulator';

/** Fixed, well-known test credentials (never valid at Plu). The `sk_staging_` prefix selects staging. */
export const PLU_SIMULATOR_API_KEY = 'sk_staging_kycport_simulator';
/**
 * The Plu simulator's webhook secret for the default `x-webhook-signature` scheme (set it as the
 * adapter's `webhookSecret`).
 */
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
/** The `event` of the Plu simulator's KYC webhooks. */
export const PLU_SIMULATOR_KYC_EVENT = 'user.kyc-event';
/** The header of the default signature scheme: a hex HMAC-SHA256 of the raw body. */
export const PLU_SIMULATOR_SIGNATURE_HEADER = 'X-Webhook-Signature';
/**
 * The secret of the Standard Webhooks / Svix variants: `whsec_` and base64 (of 24 bytes, as Svix
 * issues them), since those schemes key the HMAC with the base64-decoded part after the prefix.
 */
export const PLU_SIMULATOR_BASE64_WEBHOOK_SECRET = 'whsec_a3ljcG9ydC1wbHUtc2ltdWxhdG9yLTAx';
/** The header of the `timestamped` variant (`t=<unix>,v1=<hex>`); Plu documents none (assumption). */
export const PLU_SIMULATOR_TIMESTAMPED_HEADER = 'Plu-Signature';

/**
 * How retry-kyc refuses a user who is not denied, or who used the 3 retries. Plu documents neither
 * answer (https://docs.getplu.com/errors lists no retry code), so each is an assumption:
 * - `generic-code` (default): 400, one code for every refusal (`BAD_REQUEST`), a text saying why;
 * - `distinct-codes`: 400 `KYC_NOT_DENIED` / `KYC_RETRY_LIMIT_EXCEEDED`;
 * - `bare-400`: 400 with an empty body.
 */
export const PLU_RETRY_REFUSALS = ['generic-code', 'distinct-codes', 'bare-400'] as const;
/** How the Plu simulator's retry-kyc refuses (see `PLU_RETRY_REFUSALS`). */
export type PluRetryRefusal = (typeof PLU_RETRY_REFUSALS)[number];

/**
 * How a reused idempotency-key is refused: Plu documents a 400 ("Same key + same body (duplicate
 * request)") but no code: `generic-code` (default, `BAD_REQUEST`), `named-code`
 * (`IDEMPOTENCY_KEY_REUSED`) or `bare-400` (empty body).
 */
export const PLU_KEY_REUSE_REFUSALS = ['generic-code', 'named-code', 'bare-400'] as const;
/** How the Plu simulator refuses a reused idempotency key (see `PLU_KEY_REUSE_REFUSALS`). */
export type PluKeyReuseRefusal = (typeof PLU_KEY_REUSE_REFUSALS)[number];

/**
 * How webhooks are signed. Documented (earlier webhooks-page revision): `x-webhook-signature`, hex
 * HMAC-SHA256 of the raw body keyed with the secret as-is (the default). Plausible (the current page
 * names only the `whsec_` secret): `standard-webhooks` (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64>` over `id.timestamp.body`, key = base64 after `whsec_`), `svix`
 * (the same with `svix-` headers), `timestamped` (`Plu-Signature: t=<unix>,v1=<hex>` over `t.body`,
 * key = the secret as-is, as Persona signs).
 */
export const PLU_SIGNATURE_SCHEMES = [
  'x-webhook-signature',
  'standard-webhooks',
  'svix',
  'timestamped',
] as const;
/** How the Plu simulator signs webhooks (see `PLU_SIGNATURE_SCHEMES`). */
export type PluSignatureScheme = (typeof PLU_SIGNATURE_SCHEMES)[number];

/**
 * Options of `startPluSimulator`: the common simulator options plus Plu's verification URLs, ids,
 * retry cap, clock, list paging, and the variants of behaviour Plu does not document.
 */
export interface PluSimulatorOptions extends SimulatorOptions {
  /** Origin (https) of the verification URLs handed out; default `PLU_SIMULATOR_VERIFICATION_BASE_URL`. */
  readonly verificationBaseUrl?: string;
  /** The `{slug}` of `{slug}-user-{uid}` service ids; default `kycsim`. */
  readonly partnerSlug?: string;
  /** Retries per user before the cap answers; default 3. */
  readonly maxRetries?: number;
  /** The clock (ms since epoch) for idempotency-key expiry and timestamps; default `Date.now`. */
  readonly now?: () => number;
  /** How retry-kyc refuses (see `PLU_RETRY_REFUSALS`); default `generic-code`. */
  readonly retryRefusal?: PluRetryRefusal;
  /** How a reused idempotency-key is refused (see `PLU_KEY_REUSE_REFUSALS`); default `generic-code`. */
  readonly keyReuseRefusal?: PluKeyReuseRefusal;
  /**
   * The most users one List Users page returns, whatever `limit` asks. Plu documents the default
   * (50) and no maximum, so the default is no cap; set it (e.g. 50) to play a server that caps.
   */
  readonly pageLimitCap?: number;
  /** Leave `pagination.total` out of List Users answers (documented in the example; may be absent). */
  readonly omitTotal?: boolean;
  /** How webhooks are signed (see `PLU_SIGNATURE_SCHEMES`); default `x-webhook-signature`. */
  readonly signatureScheme?: PluSignatureScheme;
}
