/**
 * Plu status values -> the neutral `KycState`. Plu documents no full enum, so the known values
 * form a closed union mapped exhaustively, and anything else is kept visible as `providerStatus`
 * and mapped by `unknownProviderState` to `pending` (never `approved`). Where each value was seen:
 * - `approved`, `pending_kyc`: List Users `status` (https://docs.getplu.com/api-reference/users/list-users)
 * - `approved`, `denied`, `needsVerification`: `user.kyc-event` `data.status` (https://docs.getplu.com/webhooks)
 * - `pending`: Retry KYC `applicationStatus` (https://docs.getplu.com/api-reference/users/retry-kyc)
 * - `manualReview`: the earlier webhooks-page revision (`user.kyc.manualReview`, "submitted for manual review")
 */
import * as E from 'fp-ts/Either';
import { assertNever, redirectTo, unknownProviderState } from '@kycport/core';
import type { KycState, NextAction, RedirectPolicy } from '@kycport/core';
import { PLU_PROVIDER_ID } from './plu-config';

/** Plu allows 3 retries after the first attempt ("Each user can be retried up to 3 times"). */
export const PLU_MAX_RETRIES = 3;
/** Attempts a Plu user gets in total: the first and 3 retries. */
export const PLU_MAX_ATTEMPTS = PLU_MAX_RETRIES + 1;

/** A retry count Plu may send (`retryCount`, "Total number of retries attempted"): an integer >= 0. */
export function pluRetryCountOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The KYC statuses Plu documents; another value maps to `pending`, kept in `providerStatus`. */
export const PLU_KNOWN_STATUSES = [
  'approved',
  'pending_kyc',
  'pending',
  'denied',
  'needsVerification',
  'manualReview',
] as const;
/** A KYC status Plu documents. */
export type PluKnownStatus = (typeof PLU_KNOWN_STATUSES)[number];

export function isPluKnownStatus(value: string): value is PluKnownStatus {
  return (PLU_KNOWN_STATUSES as ReadonlyArray<string>).includes(value);
}

/**
 * What a Plu answer or event tells besides its status, used to build the normalized state: denial
 * reasons, the verification link, attempt and retry counts.
 */
export interface PluStatusDetails {
  /** `data.reason` of a denied event: comma-separated denial codes. */
  readonly reason?: string;
  /** `data.verificationLink` of a needsVerification event (or a retry's `verificationUrl`). */
  readonly verificationLink?: string;
  /** 1 for the first attempt, where known (retry responses). */
  readonly attempt?: number;
  /**
   * Retries used, where known (a retry answer, Plu's listed user or event if it carries one, or the
   * last count the adapter saw): a denied user with 3 has none left, so `contact_support`.
   */
  readonly retryCount?: number;
  /** Where a link may send the browser besides https (see `pluRedirectPolicy`). Default: https only. */
  readonly redirectPolicy?: RedirectPolicy;
}

/** `"WRONG_USER_REGION, REGULATIONS_VIOLATIONS"` -> `["WRONG_USER_REGION", "REGULATIONS_VIOLATIONS"]`. */
export function pluReasonCodes(reason: string | undefined): ReadonlyArray<string> {
  if (reason === undefined) return [];
  return reason
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
}

function redirectOrSupport(link: string | undefined, policy: RedirectPolicy | undefined): NextAction {
  // Only a URL core's redirect check accepts is handed to the user's browser; without one (absent,
  // javascript:, plain http elsewhere) only Plu can help, and the event itself is still delivered.
  if (link === undefined) return { type: 'contact_support' };
  return E.getOrElseW((): NextAction => ({ type: 'contact_support' }))(
    redirectTo(PLU_PROVIDER_ID, link, 'data.verificationLink', policy),
  );
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
      // A verdict; `retry` may start another attempt (up to 3 retries), so no next action is implied,
      // unless all 3 are known to be used: "After that, contact support" (retry-kyc page).
      return {
        status: 'denied',
        reasonCodes: pluReasonCodes(details.reason),
        nextAction:
          details.retryCount !== undefined && details.retryCount >= PLU_MAX_RETRIES
            ? { type: 'contact_support' }
            : { type: 'none' },
      };
    case 'needsVerification':
      // "Additional verification required — includes verificationLink". Without a link only Plu can help.
      return {
        status: 'action_required',
        reasonCodes: [],
        nextAction: redirectOrSupport(details.verificationLink, details.redirectPolicy),
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
  // Object.assign, not `{ ...state, key }`: on Node 20 a key added after a leading spread takes a
  // slow path of about a microsecond (docs/performance.md).
  if (!isPluKnownStatus(providerStatus)) {
    return Object.assign(unknownProviderState(providerStatus, details.attempt), {
      reasonCodes: pluReasonCodes(details.reason),
    });
  }
  return Object.assign(
    {},
    knownState(providerStatus, details),
    details.attempt !== undefined ? { providerStatus, attempt: details.attempt } : { providerStatus },
  );
}

/** The label used as `providerStatus` when Plu answers with a `verificationUrl` and no status (create, retry). */
export const PLU_VERIFICATION_URL_ISSUED = 'verification_url_issued';
/** The label used when a retry returns neither `verificationUrl` nor `applicationStatus` (maps like an unknown status). */
export const PLU_RETRY_INITIATED_STATUS = 'retry_initiated';

/**
 * A Retry KYC response -> state and attempts. `verificationUrl` wins over `applicationStatus`
 * (the user must act) when core's redirect check accepts it under `policy`; the retry flow refuses
 * an answer whose URL it does not accept before calling this. `retryCount` is "total number of
 * retries attempted", so the attempt just started is `retryCount + 1` (the first attempt plus the
 * retries) and `3 - retryCount` retries remain.
 */
export function pluRetryState(
  data: {
    readonly applicationStatus?: string;
    readonly verificationUrl?: string;
    readonly retryCount?: number;
  },
  policy: RedirectPolicy = {},
): { state: KycState; attempts: { count?: number; remaining?: number } } {
  const retryCount = pluRetryCountOf(data.retryCount);
  const attempt = retryCount === undefined ? undefined : retryCount + 1;
  const attempts =
    retryCount === undefined
      ? {}
      : { count: retryCount + 1, remaining: Math.max(0, PLU_MAX_RETRIES - retryCount) };
  const details = attempt === undefined ? {} : { attempt, retryCount };
  const redirect =
    data.verificationUrl === undefined
      ? undefined
      : redirectTo(PLU_PROVIDER_ID, data.verificationUrl, 'response.data.verificationUrl', policy);
  if (redirect !== undefined && E.isRight(redirect)) {
    return {
      state: {
        status: 'action_required',
        providerStatus: data.applicationStatus ?? PLU_VERIFICATION_URL_ISSUED,
        reasonCodes: [],
        nextAction: redirect.right,
        ...details,
      },
      attempts,
    };
  }
  return { state: pluKycState(data.applicationStatus ?? PLU_RETRY_INITIATED_STATUS, details), attempts };
}

/**
 * Listed statuses of a user who still has to finish (or redo) Persona's hosted flow: `pending_kyc`
 * (created, KYC not completed) and `needsVerification` ("additional verification required").
 */
const HOSTED_FLOW_STATUSES: ReadonlySet<string> = new Set(['pending_kyc', 'needsVerification']);

/**
 * The state of a user found in the list after an answer was lost (create or retry): where the
 * listed status needs the user in the hosted flow, `redirect_unavailable` with `reason` (the URL
 * was only in the lost answer; never a silent `await_provider`); any other status maps as usual.
 */
export function pluStateAfterLostAnswer(providerStatus: string, reason: string): KycState {
  if (!HOSTED_FLOW_STATUSES.has(providerStatus)) return pluKycState(providerStatus);
  return {
    status: 'action_required',
    providerStatus,
    reasonCodes: [],
    nextAction: { type: 'redirect_unavailable', reason },
  };
}
