/**
 * The Plaid simulator's fixed credentials, template and API version, its webhook schedule, and the
 * options of `startPlaidSimulator`.
 */
import type { SimulatorOptions } from '../provider-simulator';

/** Fixed, well-known test credentials (never valid at Plaid). */
export const PLAID_SIMULATOR_CLIENT_ID = 'kycport-sim-client-id';
/** The Plaid simulator's fixed secret (set it as the adapter's `secret`); never valid at Plaid. */
export const PLAID_SIMULATOR_SECRET = 'kycport-sim-sandbox-secret';
/** The only Identity Verification template the simulator knows. */
export const PLAID_SIMULATOR_TEMPLATE_ID = 'idvtmp_kycportSim0001';
/** The only `Plaid-Version` in Plaid's published spec. */
export const PLAID_SIMULATOR_API_VERSION = '2020-09-14';
/** `/identity_verification/list` page size: small so cursor paging is exercised. */
export const PLAID_SIMULATOR_LIST_PAGE_SIZE = 2;
/**
 * Plaid re-delivers a webhook answered with a non-2xx (or not answered within 10 s) for up to 24 h,
 * with exponential backoff from 30 s, each delay 4x the previous: 30 s, 2 min, 8 min, 32 min,
 * 2 h 8 min, 8 h 32 min (the next, 34 h, would end after the 24 h window).
 */
export const PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [
  30_000, 120_000, 480_000, 1_920_000, 7_680_000, 30_720_000,
];
/** The same schedule scaled down 1000x (the default). */
export const PLAID_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS.map(
  (ms) => ms / 1000,
);

/** The Identity Verification webhook codes the Plaid simulator sends. */
export type PlaidWebhookCode = 'STATUS_UPDATED' | 'STEP_UPDATED' | 'RETRIED';

/**
 * How the refusals whose answer Plaid does not document are worded: a `template_id` Plaid does not
 * know, a retry for a `client_user_id` without attempts, a retry strategy refused for the latest
 * attempt's state. Both are `INVALID_REQUEST` / `INVALID_FIELD` (the code Plaid's error reference
 * gives for a field value it refuses; an assumption). `field_named` (default): the message opens
 * with the field it is about, as Plaid's messages do ("client_id must be a properly formatted,
 * non-empty string"); `terse`: the message names nothing, so only the request tells them apart.
 */
export const PLAID_REFUSAL_STYLES = ['field_named', 'terse'] as const;
/**
 * How the simulator words the refusals whose answer Plaid does not document (see
 * `PLAID_REFUSAL_STYLES`).
 */
export type PlaidRefusalStyle = (typeof PLAID_REFUSAL_STYLES)[number];

/**
 * Options of `startPlaidSimulator`: the common simulator options plus the list page size, step
 * webhooks and the refusal wording.
 */
export interface PlaidSimulatorOptions extends SimulatorOptions {
  /** Attempts per `/identity_verification/list` page (default 2). */
  readonly listPageSize?: number;
  /** Send a STEP_UPDATED webhook for each step a hosted flow completes (default true). */
  readonly stepUpdatedWebhooks?: boolean;
  /** The wording of the undocumented refusals (default `field_named`); see `PLAID_REFUSAL_STYLES`. */
  readonly refusalStyle?: PlaidRefusalStyle;
}
