/**
 * Plaid IDV attempt -> `KycState`. Exhaustive over `IdentityVerificationStatus` of the pinned spec,
 * with an explicit branch for values Plaid adds later (kept as `providerStatus`, never approved).
 * Status meanings: `IdentityVerificationStatus` in plaid/plaid-openapi 2020-09-14.yml and
 * https://plaid.com/docs/api/products/identity-verification/.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import {
  assertNever,
  redirectTo,
  unknownProviderState,
  userRef,
  withErrorContext,
  withLazyRaw,
} from '@kycport/core';
import type {
  KycError,
  KycResult,
  KycState,
  NextAction,
  RedirectPolicy,
  UnexpectedResponseError,
} from '@kycport/core';
import { PLAID_REDACTED_KEYS } from './plaid-api';
import type { PlaidIdentityVerification } from './plaid-api';
import { PLAID_PROVIDER_ID } from './plaid-config';

/**
 * The attempt statuses Plaid documents; another value maps to `pending`, kept in `providerStatus`.
 */
export const PLAID_IDV_STATUSES = [
  'active',
  'success',
  'failed',
  'expired',
  'canceled',
  'pending_review',
] as const;
/** An attempt status Plaid documents. */
export type PlaidIdvStatus = (typeof PLAID_IDV_STATUSES)[number];

/** The `steps` keys Plaid documents, in flow order; other keys Plaid may add are read too. */
export const PLAID_IDV_STEPS = [
  'accept_tos',
  'verify_sms',
  'kyc_check',
  'documentary_verification',
  'selfie_check',
  'watchlist_screening',
  'risk_check',
] as const;

/** Step values that mean the step did not pass (`IdentityVerificationStepStatus`). */
const FAILED_STEP_VALUES: ReadonlySet<string> = new Set(['failed', 'manually_rejected']);

export function isKnownPlaidStatus(value: string): value is PlaidIdvStatus {
  return (PLAID_IDV_STATUSES as ReadonlyArray<string>).includes(value);
}

/** Step names whose value is one of `values`, documented steps first, then any new ones. */
export function stepsWith(steps: Readonly<Record<string, unknown>>, values: ReadonlySet<string>): string[] {
  const documented: ReadonlyArray<string> = PLAID_IDV_STEPS;
  const order = [
    ...documented,
    ...Object.keys(steps)
      .filter((key) => !documented.includes(key))
      .sort(),
  ];
  return order.filter((step) => {
    const value = steps[step];
    return typeof value === 'string' && values.has(value);
  });
}

/** Steps that failed (`failed` or `manually_rejected`): the reason codes of a denial. */
export function failedSteps(steps: Readonly<Record<string, unknown>>): string[] {
  return stepsWith(steps, FAILED_STEP_VALUES);
}

export interface PlaidAttemptView {
  readonly status: string;
  readonly steps: Readonly<Record<string, unknown>>;
  readonly shareable_url?: string | null;
}

/**
 * What the host is told while an attempt is `active` without a `shareable_url` (Plaid omits it when
 * `is_shareable` is false): the user finishes the flow in Plaid Link, which only the host can open
 * (https://plaid.com/docs/identity-verification/link: a link token with
 * `identity_verification.template_id`), so kycport names that path instead of a silent wait.
 */
export const PLAID_NO_SHAREABLE_URL_REASON =
  'Plaid gave this attempt no shareable_url (it is not shareable): open Plaid Link on your front end with a link token for the same client_user_id and template (/link/token/create with identity_verification.template_id), or start attempts with providerOptions.plaid.isShareable: true to get a URL';

/**
 * While `active`, the user has to finish the flow: in the shareable URL when Plaid gave one, else in
 * Plaid Link on the host's front end, which kycport cannot hand out: `redirect_unavailable` with
 * the reason (issue 12: `await_provider` left the host nothing to act on). The URL goes through
 * core's `redirectTo`: `https:`, or the policy's origins; anything else (e.g. `javascript:`) is
 * `unexpected_response` and never reaches a browser.
 */
function activeNextAction(
  shareableUrl: string | null | undefined,
  policy: RedirectPolicy,
): E.Either<UnexpectedResponseError, NextAction> {
  if (shareableUrl === undefined || shareableUrl === null || shareableUrl === '') {
    return E.right({ type: 'redirect_unavailable', reason: PLAID_NO_SHAREABLE_URL_REASON });
  }
  return redirectTo(PLAID_PROVIDER_ID, shareableUrl, 'response.shareable_url', policy);
}

/**
 * The attempt's `KycState`; `policy` says where a `shareable_url` may send a browser besides
 * `https:` (`plaidRedirectPolicy(config)`).
 */
export function plaidKycState(
  attempt: PlaidAttemptView,
  attemptNumber?: number,
  policy: RedirectPolicy = {},
): E.Either<UnexpectedResponseError, KycState> {
  if (attempt.status !== 'active')
    return E.right(stateOf(attempt, attemptNumber, { type: 'await_provider' }));
  return pipe(
    activeNextAction(attempt.shareable_url, policy),
    E.map((nextAction) => stateOf(attempt, attemptNumber, nextAction)),
  );
}

/** The mapping, with the next action of an `active` attempt already checked. */
function stateOf(
  attempt: PlaidAttemptView,
  attemptNumber: number | undefined,
  activeNext: NextAction,
): KycState {
  const status = attempt.status;
  if (!isKnownPlaidStatus(status)) {
    // A value Plaid added after 1.697.4: core's rule (pending, await_provider, raw value kept),
    // with the failed steps Plaid still reports as reason codes.
    return Object.assign(unknownProviderState(status, attemptNumber), {
      reasonCodes: failedSteps(attempt.steps),
    });
  }
  const state = (
    mapped: KycState['status'],
    reasonCodes: ReadonlyArray<string>,
    nextAction: NextAction,
  ): KycState =>
    // Built as literals, not `{ ...base, status }`: on Node 20 (V8 11.3) a property added after a
    // leading spread takes a slow path of about a microsecond (docs/performance.md).
    attemptNumber === undefined
      ? { providerStatus: status, status: mapped, reasonCodes, nextAction }
      : { providerStatus: status, attempt: attemptNumber, status: mapped, reasonCodes, nextAction };
  switch (status) {
    case 'active':
      // Incomplete: "may have completed part of the session, but has neither failed nor passed".
      return state('action_required', [], activeNext);
    case 'success':
      return state('approved', [], { type: 'none' });
    case 'failed':
      // Plaid told the user to contact support; the host may still call retry (Plaid documents no cap).
      return state('denied', failedSteps(attempt.steps), { type: 'none' });
    case 'expired':
      // "sessions currently do not expire" (spec); handled for when Plaid enables expiry.
      return state('expired', [], { type: 'none' });
    case 'canceled':
      return state('canceled', [], { type: 'none' });
    case 'pending_review':
      // A screening hit waits for review in the Plaid dashboard.
      return state(
        'in_review',
        stepsWith(attempt.steps, new Set(['pending_review', ...FAILED_STEP_VALUES])),
        { type: 'await_provider' },
      );
    default:
      return assertNever(status, 'Plaid identity verification status');
  }
}

/**
 * The port's result for one attempt: the user, the state and `raw` (redacted when first read). A
 * `shareable_url` the policy refuses is `unexpected_response` naming the user (the attempt exists)
 * with `outcome: 'unknown'` (Plaid answered; kycport cannot use the answer).
 */
export function plaidStatusResult<Extra extends object = object>(
  attempt: PlaidIdentityVerification,
  policy: RedirectPolicy,
  attemptNumber?: number,
  extra?: Extra,
): E.Either<KycError, KycResult & Extra> {
  return pipe(
    plaidKycState(attempt, attemptNumber, policy),
    E.mapLeft((error) =>
      withErrorContext(error, { userRef: userRef(attempt.client_user_id), outcome: 'unknown' }),
    ),
    E.map((state) =>
      withLazyRaw(
        {
          provider: PLAID_PROVIDER_ID,
          userRef: userRef(attempt.client_user_id),
          state,
          ...(extra as Extra),
        },
        attempt,
        PLAID_REDACTED_KEYS,
      ),
    ),
  );
}
