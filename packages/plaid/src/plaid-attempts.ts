/**
 * A user's attempts: the first one (`createUser`, idempotent by `is_idempotent`), the newest one,
 * found by reading every page of `/identity_verification/list` (Plaid documents neither its order
 * nor its page size), `getStatus` on top of it, one attempt by id (`getVerification`,
 * `resolvePlaidEvent`), and Plaid's documented retry-strategy restrictions
 * checked against the newest attempt's state
 * (https://plaid.com/docs/api/products/identity-verification/#identity_verificationretry).
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  UserRefCodec,
  boundedString,
  decodeInput,
  isWellFormedText,
  kycError,
  refined,
  userRef,
  withErrorContext,
  withRetryable,
} from '@kycport/core';
import type {
  CallOptions,
  KycError,
  RedirectPolicy,
  RetryStrategy,
  StatusResult,
  UserRef,
} from '@kycport/core';
import { outcomeUnknown } from '@kycport/http';
import type { HttpClient } from '@kycport/http';
import { PLAID_ENDPOINTS, callPlaid } from './plaid-api';
import type {
  IdentityVerificationCreateRequest,
  IdentityVerificationListRequest,
  PlaidIdentityVerification,
} from './plaid-api';
import { PLAID_PROVIDER_ID } from './plaid-config';
import { callOptionsOf } from './plaid-request-mapping';
import { failedSteps, plaidStatusResult } from './plaid-status-mapping';
import { plaidEventAttemptId } from './plaid-webhooks';

/** Pages of `/identity_verification/list` read at most per lookup (a guard against a cursor loop). */
export const PLAID_MAX_LIST_PAGES = 50;

/**
 * What the attempt flows need: the transport, the template every call is scoped to, and where a
 * `shareable_url` may send a browser (`plaidRedirectPolicy(config)`).
 */
export interface PlaidCallSettings {
  readonly client: HttpClient;
  readonly templateId: string;
  readonly redirectPolicy: RedirectPolicy;
}

export interface LatestAttempt {
  readonly latest: PlaidIdentityVerification;
  /** Attempts listed for the user and template. */
  readonly count: number;
  /** The ids of the attempts listed (to tell a newer attempt from those seen). */
  readonly ids: ReadonlySet<string>;
}

/** Newest by `created_at`; on equal or unreadable timestamps the later list entry wins. */
export function newestAttempt(
  attempts: ReadonlyArray<PlaidIdentityVerification>,
): PlaidIdentityVerification | undefined {
  // `created_at` has one-second resolution and Plaid does not document the list order, so an
  // attempt that a later one names as its `previous_attempt_id` is never the newest.
  const superseded = new Set(attempts.map((attempt) => attempt.previous_attempt_id).filter(Boolean));
  const candidates = attempts.filter((attempt) => !superseded.has(attempt.id));
  let newest: PlaidIdentityVerification | undefined;
  let newestTime = Number.NEGATIVE_INFINITY;
  for (const attempt of candidates.length > 0 ? candidates : attempts) {
    const parsed = Date.parse(attempt.created_at);
    const time = Number.isNaN(parsed) ? newestTime : parsed;
    if (newest === undefined || time >= newestTime) {
      newest = attempt;
      newestTime = time;
    }
  }
  return newest;
}

export function validUserRef(ref: UserRef): TE.TaskEither<KycError, UserRef> {
  return TE.fromEither(decodeInput(PLAID_PROVIDER_ID, UserRefCodec, ref, 'ref'));
}

function tooManyPages(ref: UserRef): KycError {
  return kycError('unexpected_response', {
    provider: PLAID_PROVIDER_ID,
    message: `${PLAID_PROVIDER_ID}: /identity_verification/list returned more than ${PLAID_MAX_LIST_PAGES} pages`,
    issues: [{ path: 'response.next_cursor', message: `expected fewer than ${PLAID_MAX_LIST_PAGES} pages` }],
    userRef: ref,
    outcome: 'unknown',
  });
}

/** Every attempt of the user for the template, following `next_cursor` from `cursor` on. */
export function listAttempts(
  settings: PlaidCallSettings,
  ref: UserRef,
  options: CallOptions | undefined,
  page: { readonly number: number; readonly cursor?: string; readonly found: PlaidIdentityVerification[] },
): TE.TaskEither<KycError, PlaidIdentityVerification[]> {
  if (page.number >= PLAID_MAX_LIST_PAGES) return TE.left(tooManyPages(ref));
  const body: IdentityVerificationListRequest = {
    template_id: settings.templateId,
    client_user_id: ref,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
  return pipe(
    callPlaid(settings.client, PLAID_ENDPOINTS.list, body, options),
    TE.chain((listed) => {
      const found = [
        ...page.found,
        ...listed.identity_verifications.filter((attempt) => attempt.client_user_id === ref),
      ];
      const next = listed.next_cursor ?? undefined;
      if (next === undefined || next === '' || next === page.cursor) return TE.right(found);
      return listAttempts(settings, ref, options, { number: page.number + 1, cursor: next, found });
    }),
  );
}

/** The newest of the attempts listed, their count and ids; undefined when there is none. */
export function latestOf(attempts: ReadonlyArray<PlaidIdentityVerification>): LatestAttempt | undefined {
  const latest = newestAttempt(attempts);
  if (latest === undefined) return undefined;
  return { latest, count: attempts.length, ids: new Set(attempts.map((attempt) => attempt.id)) };
}

/**
 * The newest attempt of the user for the template; `not_found` when there is none (Plaid answered
 * the read: `outcome: 'rejected'`).
 */
export function findLatestAttempt(
  settings: PlaidCallSettings,
  ref: UserRef,
  options?: CallOptions,
): TE.TaskEither<KycError, LatestAttempt> {
  return pipe(
    listAttempts(settings, ref, options, { number: 0, found: [] }),
    TE.chainEitherK((attempts) => {
      const known = latestOf(attempts);
      if (known !== undefined) return E.right(known);
      return E.left(
        kycError('not_found', {
          provider: PLAID_PROVIDER_ID,
          message: `${PLAID_PROVIDER_ID}: no identity verification exists for this user and template`,
          userRef: ref,
          retryable: false,
          outcome: 'rejected',
        }),
      );
    }),
  );
}

/** `/identity_verification/get`: one attempt by its id. */
export function getPlaidAttempt(
  client: HttpClient,
  identityVerificationId: string,
  options?: CallOptions,
): TE.TaskEither<KycError, PlaidIdentityVerification> {
  return callPlaid(
    client,
    PLAID_ENDPOINTS.get,
    { identity_verification_id: identityVerificationId },
    options,
  );
}

const IdentityVerificationId = refined(
  boundedString(100),
  isWellFormedText,
  'an identity verification id (a non-blank string of 1-100 characters of well-formed Unicode)',
);

/** `getVerification`: one attempt by its id (`idv_...`, also Link's `link_session_id`). */
export function getPlaidVerification(
  settings: PlaidCallSettings,
  identityVerificationId: string,
  options?: CallOptions,
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    TE.fromEither(
      decodeInput(
        PLAID_PROVIDER_ID,
        IdentityVerificationId,
        identityVerificationId,
        'identityVerificationId',
      ),
    ),
    TE.chainW((id) =>
      pipe(
        TE.fromEither(callOptionsOf(options)),
        TE.chain((given) => getPlaidAttempt(settings.client, id, given)),
      ),
    ),
    TE.chainEitherK((attempt) => plaidStatusResult(attempt, settings.redirectPolicy)),
  );
}

/** `resolvePlaidEvent`: the current state of the attempt a webhook event names (one `/get`). */
export function resolvePlaidEvent(
  settings: PlaidCallSettings,
  event: unknown,
  options?: CallOptions,
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    TE.fromEither(plaidEventAttemptId(event)),
    TE.chain((id) =>
      pipe(
        TE.fromEither(callOptionsOf(options)),
        TE.chain((given) => getPlaidAttempt(settings.client, id, given)),
      ),
    ),
    TE.chainEitherK((attempt) => plaidStatusResult(attempt, settings.redirectPolicy)),
  );
}

/** `getStatus`: the newest attempt's state; `attempt` is the number of attempts listed. */
export function getPlaidStatus(
  settings: PlaidCallSettings,
  ref: UserRef,
  options?: CallOptions,
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    TE.fromEither(callOptionsOf(options)),
    TE.bindTo('given'),
    TE.bind('valid', () => validUserRef(ref)),
    TE.chain(({ valid, given }) => findLatestAttempt(settings, valid, given)),
    TE.chainEitherK(({ latest, count }) => plaidStatusResult(latest, settings.redirectPolicy, count)),
  );
}

/**
 * `createUser`: one `/identity_verification/create` with `is_idempotent: true`, so Plaid returns the
 * existing attempt for `client_user_id` + template: repeating the call is safe. An error whose
 * outcome is unknown (a timeout, a lost answer, a 2xx kycport cannot read) is therefore
 * `retryable` and names the user (`userRef` = `client_user_id`): the attempt may exist.
 */
export function createPlaidAttempt(
  settings: PlaidCallSettings,
  body: IdentityVerificationCreateRequest,
  options: CallOptions,
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    callPlaid(settings.client, PLAID_ENDPOINTS.create, body, options),
    TE.mapLeft((error) =>
      outcomeUnknown(error)
        ? withErrorContext(withRetryable(error, true), { userRef: userRef(body.client_user_id) })
        : error,
    ),
    TE.chainEitherK((attempt) => plaidStatusResult(attempt, settings.redirectPolicy)),
  );
}

/**
 * `incomplete` "cannot be applied if the session's failing step is `screening` or `risk_check`":
 * true when the latest attempt failed one of those steps.
 */
export function blocksIncompleteRetry(steps: Readonly<Record<string, unknown>>): boolean {
  return failedSteps(steps).some((step) => step === 'watchlist_screening' || step === 'risk_check');
}

/** `infer` acts as `incomplete` after a `failed` or `expired` attempt, else as `reset`. */
export function inferMeansIncomplete(status: string): boolean {
  return status === 'failed' || status === 'expired';
}

/**
 * Plaid's documented strategy restrictions (seed plaid-identity-verification-retry.txt, `strategy`),
 * checked when the latest attempt is known.
 */
export function checkRetryStrategy(
  strategy: RetryStrategy,
  known: LatestAttempt | undefined,
  ref: UserRef,
): E.Either<KycError, void> {
  if (known === undefined) return E.right(undefined);
  const refuse = (message: string) =>
    E.left(
      kycError('invalid_state', {
        provider: PLAID_PROVIDER_ID,
        message: `${PLAID_PROVIDER_ID}: ${message}`,
        userRef: ref,
        retryable: false,
        outcome: 'not_sent',
      }),
    );
  const { status, steps } = known.latest;
  // "The infer strategy cannot be applied if the session's status is still active".
  if (strategy.kind === 'auto' && status === 'active') {
    return refuse('retry with strategy auto (Plaid infer) is refused while the latest attempt is active');
  }
  // "The incomplete strategy cannot be applied if the session's failing step is screening or risk_check".
  if (strategy.kind === 'resume' && blocksIncompleteRetry(steps)) {
    return refuse(
      'retry with strategy resume (Plaid incomplete) is refused when the failing step is watchlist screening or risk check',
    );
  }
  // infer: "has a status of failed or expired, retry using the incomplete strategy. Otherwise, use
  // the reset strategy": so after failed / expired, incomplete's rule applies to infer too.
  if (strategy.kind === 'auto' && inferMeansIncomplete(status) && blocksIncompleteRetry(steps)) {
    return refuse(
      `retry with strategy auto (Plaid infer, which is incomplete after a ${status} attempt) is refused when the failing step is watchlist screening or risk check`,
    );
  }
  // reset and custom: the documents state no restriction.
  return E.right(undefined);
}
