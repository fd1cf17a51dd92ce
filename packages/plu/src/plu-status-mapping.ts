/**
 * Plu status values -> the neutral `KycState`. Plu documents no full enum, so the known values
 * form a closed union mapped exhaustively, and anything else is kept visible as `providerStatus`
 * and mapped by `unknownProviderState` to `pending` (never `approved`). Where each value was seen:
 * - `approved`, `pending_kyc`: List Users `status` (https://docs.getplu.com/api-reference/users/list-users)
 * - `approved`, `denied`, `needsVerification`: `user.kyc-event` `data.status` (https://docs.getplu.com/webhooks)
 * - `pending`: Retry KYC `applicationStatus` (https://docs.getplu.com/api-reference/users/retry-kyc)
 * - `manualReview`: the earlier webhooks-page revision (`user.kyc.manualReview`, "submitted for manual review")
 */
import { HttpsUrl, assertNever, unknownProviderState } from '@kycport/core';
import type { KycState } from '@kycport/core';

export const PLU_KNOWN_STATUSES = [
  'approved',
  'pending_kyc',
  'pending',
  'denied',
  'needsVerification',
  'manualReview',
] as const;
export type PluKnownStatus = (typeof PLU_KNOWN_STATUSES)[number];

export function isPluKnownStatus(value: string): value is PluKnownStatus {
  return (PLU_KNOWN_STATUSES as ReadonlyArray<string>).includes(value);
}

export interface PluStatusDetails {
  /** `data.reason` of a denied event: comma-separated denial codes. */
  readonly reason?: string;
  /** `data.verificationLink` of a needsVerification event (or a retry's `verificationUrl`). */
  readonly verificationLink?: string;
  /** 1 for the first attempt, where known (retry responses). */
  readonly attempt?: number;
}

/** `"WRONG_USER_REGION, REGULATIONS_VIOLATIONS"` -> `["WRONG_USER_REGION", "REGULATIONS_VIOLATIONS"]`. */
export function pluReasonCodes(reason: string | undefined): ReadonlyArray<string> {
  if (reason === undefined) return [];
  return reason
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
}

function redirectOrSupport(link: string | undefined): KycState['nextAction'] {
  // Only an absolute https URL is handed to the user's browser.
  return link !== undefined && HttpsUrl.is(link)
    ? { type: 'redirect', url: link }
    : { type: 'contact_support' };
}

function knownState(
  status: PluKnownStatus,
  details: PluStatusDetails,
): Omit<KycState, 'providerStatus' | 'attempt'> {
  switch (status) {
    case 'approved':
      // "User KYC approved — user can now create cards".
      return { status: 'approved', reasonCodes: [], nextAction: { type: 'none' } };
    case 'pending_kyc':
      // Listed users only; the list carries no verification URL, so nothing can be asked of the user here.
      return { status: 'pending', reasonCodes: [], nextAction: { type: 'await_provider' } };
    case 'pending':
      // Retry KYC `applicationStatus`: "the retry is fully automated — listen for KYC webhook events".
      return { status: 'pending', reasonCodes: [], nextAction: { type: 'await_provider' } };
    case 'denied':
      // A verdict; `retry` may start another attempt (up to 3 retries), so no next action is implied.
      return { status: 'denied', reasonCodes: pluReasonCodes(details.reason), nextAction: { type: 'none' } };
    case 'needsVerification':
      // "Additional verification required — includes verificationLink". Without a link only Plu can help.
      return {
        status: 'action_required',
        reasonCodes: [],
        nextAction: redirectOrSupport(details.verificationLink),
      };
    case 'manualReview':
      // Legacy `user.kyc.manualReview`: "submitted for manual review".
      return { status: 'in_review', reasonCodes: [], nextAction: { type: 'await_provider' } };
    default:
      return assertNever(status, 'Plu status');
  }
}

/**
 * Maps any Plu status string. An unknown value follows the one rule for unknown statuses
 * (`unknownProviderState`: `pending`, await the provider, the value kept in `providerStatus`); a
 * `reason` Plu sent with it is still split into `reasonCodes`, as information, never a verdict.
 */
export function pluKycState(providerStatus: string, details: PluStatusDetails = {}): KycState {
  if (!isPluKnownStatus(providerStatus)) {
    return {
      ...unknownProviderState(providerStatus, details.attempt),
      reasonCodes: pluReasonCodes(details.reason),
    };
  }
  return {
    ...knownState(providerStatus, details),
    providerStatus,
    ...(details.attempt !== undefined ? { attempt: details.attempt } : {}),
  };
}

/** Plu allows 3 retries after the first attempt ("Each user can be retried up to 3 times"). */
export const PLU_MAX_RETRIES = 3;
export const PLU_MAX_ATTEMPTS = PLU_MAX_RETRIES + 1;

/** The label used as `providerStatus` when Plu answers with a `verificationUrl` and no status (create, retry). */
export const PLU_VERIFICATION_URL_ISSUED = 'verification_url_issued';
/** The label used when a retry returns neither `verificationUrl` nor `applicationStatus` (maps like an unknown status). */
export const PLU_RETRY_INITIATED_STATUS = 'retry_initiated';

/**
 * A Retry KYC response -> state and attempts. `verificationUrl` wins over `applicationStatus`
 * (the user must act). `retryCount` is "total number of retries attempted", so the attempt just
 * started is `retryCount + 1` (the first attempt plus the retries) and `3 - retryCount` retries remain.
 */
export function pluRetryState(data: {
  readonly applicationStatus?: string;
  readonly verificationUrl?: string;
  readonly retryCount?: number;
}): { state: KycState; attempts: { count?: number; remaining?: number } } {
  const retryCount =
    data.retryCount !== undefined && Number.isInteger(data.retryCount) && data.retryCount >= 0
      ? data.retryCount
      : undefined;
  const attempt = retryCount === undefined ? undefined : retryCount + 1;
  const attempts =
    retryCount === undefined
      ? {}
      : { count: retryCount + 1, remaining: Math.max(0, PLU_MAX_RETRIES - retryCount) };
  const details = attempt === undefined ? {} : { attempt };
  if (data.verificationUrl !== undefined && HttpsUrl.is(data.verificationUrl)) {
    return {
      state: {
        status: 'action_required',
        providerStatus: data.applicationStatus ?? PLU_VERIFICATION_URL_ISSUED,
        reasonCodes: [],
        nextAction: { type: 'redirect', url: data.verificationUrl },
        ...details,
      },
      attempts,
    };
  }
  return { state: pluKycState(data.applicationStatus ?? PLU_RETRY_INITIATED_STATUS, details), attempts };
}
