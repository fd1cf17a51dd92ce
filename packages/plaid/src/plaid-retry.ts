/**
 * `retry`: validate, look the latest attempt up (unless `checkStateFirst: false`), honour the
 * host's `expectedAttempts`, refuse what Plaid documents it refuses, then one
 * `/identity_verification/retry`. The lookup also turns an unknown user into `not_found` and
 * counts attempts (attempts listed + 1).
 *
 * Plaid's `/retry` has no idempotency: a second send starts a second attempt. So when the call's
 * outcome is unknown (a timeout, a connection lost after sending, a 2xx kycport cannot read), the
 * attempt list is read again: an attempt newer than those listed before is the one this call
 * started, and it is returned instead of starting another. When the list cannot tell, the error
 * says so (`outcome: 'unknown'`), and `retryable` is true only when a repeat checks before acting
 * (`expectedAttempts` given): see docs/providers/plaid.md, "Lost answers".
 */
import * as E from 'fp-ts/Either';
import * as T from 'fp-ts/Task';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  kycError,
  kycErrorOfKind,
  withErrorContext,
  withRetryable,
} from '@kycport/core';
import type {
  CallOptions,
  CallOutcome,
  KycError,
  RetryOptions,
  RetryResult,
  RetryStrategy,
  UserRef,
} from '@kycport/core';
import { outcomeUnknown, unknownOutcomeError } from '@kycport/http';
import { PLAID_ENDPOINTS, callPlaid } from './plaid-api';
import type { PlaidIdentityVerification, PlaidRequestUser } from './plaid-api';
import { checkRetryStrategy, findLatestAttempt, latestOf, listAttempts } from './plaid-attempts';
import type { LatestAttempt, PlaidCallSettings } from './plaid-attempts';
import { PLAID_PROVIDER_ID } from './plaid-config';
import { decodeRetryOptions } from './plaid-options';
import type { PlaidRetryOptions } from './plaid-options';
import { callOptionsOf, toPlaidRetryRequest, toPlaidRetryUser } from './plaid-request-mapping';
import { plaidStatusResult } from './plaid-status-mapping';

/** A retry call, validated. */
interface RetryRequest {
  readonly userRef: UserRef;
  readonly strategy: RetryStrategy;
  readonly plaidOptions: PlaidRetryOptions;
  /** `providerOptions.plaid.applicant` as Plaid's `user` object, checked before any request. */
  readonly user: PlaidRequestUser | undefined;
  readonly callOptions: CallOptions;
}

/** The attempt the call ends with, and the number of attempts when the list was read. */
interface Started {
  readonly latest: PlaidIdentityVerification;
  readonly count?: number;
}

function retryRequestOf(ref: UserRef, options: RetryOptions | undefined): E.Either<KycError, RetryRequest> {
  // Early returns rather than an `E.Do`/`apS` pipeline: the same checks in the same order, the first
  // failure winning as with `apS`, without building the pipeline's closures on every call (a few µs
  // of each retry in the benchmark profile).
  const given = callOptionsOf(options);
  if (E.isLeft(given)) return given;
  const userRef = decodeInput(PLAID_PROVIDER_ID, UserRefCodec, ref, 'ref');
  const strategy = decodeInput(
    PLAID_PROVIDER_ID,
    RetryStrategyCodec,
    given.right.strategy ?? { kind: 'auto' },
    'strategy',
  );
  const plaidOptions = decodeRetryOptions(given.right.providerOptions);
  if (E.isLeft(userRef)) return userRef;
  if (E.isLeft(strategy)) return strategy;
  if (E.isLeft(plaidOptions)) return plaidOptions;
  const user = toPlaidRetryUser(plaidOptions.right);
  if (E.isLeft(user)) return user;
  return E.right({
    userRef: userRef.right,
    strategy: strategy.right,
    plaidOptions: plaidOptions.right,
    user: user.right,
    callOptions: given.right,
  });
}

/** A copy of `error` saying what the retry call did at Plaid. */
function withOutcome(error: KycError, outcome: CallOutcome): KycError {
  return error.outcome === outcome ? error : kycErrorOfKind(error.kind, { ...error, outcome });
}

/**
 * The latest attempt before retrying, unless `checkStateFirst: false`. Its failures happen before
 * `/retry` is sent, so they say `not_sent` (a lost answer to this read started nothing).
 */
function lookUp(
  settings: PlaidCallSettings,
  request: RetryRequest,
): TE.TaskEither<KycError, LatestAttempt | undefined> {
  if (request.plaidOptions.checkStateFirst === false) return TE.right(undefined);
  return pipe(
    findLatestAttempt(settings, request.userRef, request.callOptions),
    TE.mapLeft((error) => withOutcome(error, 'not_sent')),
  );
}

/**
 * With `expectedAttempts`: true when Plaid lists more attempts than the host saw (an earlier call
 * started one); `invalid_state` when it lists fewer (the host's count is not Plaid's).
 */
function startedEarlier(
  known: LatestAttempt | undefined,
  request: RetryRequest,
): E.Either<KycError, boolean> {
  const expected = request.plaidOptions.expectedAttempts;
  if (expected === undefined || known === undefined || known.count === expected) return E.right(false);
  if (known.count > expected) return E.right(true);
  return E.left(
    kycError('invalid_state', {
      provider: PLAID_PROVIDER_ID,
      message: `${PLAID_PROVIDER_ID}: Plaid lists fewer attempts than providerOptions.plaid.expectedAttempts, so no retry was sent`,
      userRef: request.userRef,
      retryable: false,
      outcome: 'not_sent',
    }),
  );
}

/** The retry's outcome stays unknown after looking: what the host may do depends on the guard. */
function unresolved(cause: KycError, request: RetryRequest, what: string): KycError {
  const guarded = request.plaidOptions.expectedAttempts !== undefined;
  const advice = guarded
    ? 'repeating this call with the same expectedAttempts is safe: it starts an attempt only if Plaid still lists that many'
    : 'do not repeat it blindly: read getStatus (state.attempt), or repeat it with providerOptions.plaid.expectedAttempts';
  const error = unknownOutcomeError(PLAID_PROVIDER_ID, 'retry', cause, `${what}; ${advice}`);
  return withErrorContext(withRetryable(error, guarded), { userRef: request.userRef });
}

/**
 * After a lost answer: the attempt list again. A newest attempt that was not listed before is the
 * one the lost call started (or one started meanwhile): it is the result.
 */
function reconcile(
  settings: PlaidCallSettings,
  request: RetryRequest,
  known: LatestAttempt | undefined,
  cause: KycError,
): TE.TaskEither<KycError, Started> {
  if (known === undefined) {
    // checkStateFirst: false: nothing to compare with, so the transport's answer stands.
    return TE.left(withErrorContext(withRetryable(cause, false), { userRef: request.userRef }));
  }
  return pipe(
    listAttempts(settings, request.userRef, request.callOptions, { number: 0, found: [] }),
    TE.mapLeft(() => unresolved(cause, request, 'the attempt list could not be read after it')),
    TE.chainEitherK((attempts) => {
      const after = latestOf(attempts);
      if (after !== undefined && !known.ids.has(after.latest.id)) {
        return E.right({ latest: after.latest, count: after.count });
      }
      return E.left(unresolved(cause, request, 'Plaid lists no new attempt after it (yet)'));
    }),
  );
}

/**
 * Plaid refused `/retry` without naming why (`invalid_state` by the retry mapper) and no lookup ran
 * before (`checkStateFirst: false`): one `/list` read tells an unknown user (`not_found`) or a
 * template Plaid refuses (`config`) from a strategy refused for the attempt's state. Plaid does not
 * document these answers (docs/providers/plaid.md, "not document"); a failed read keeps the refusal.
 */
function explainRefusal(
  settings: PlaidCallSettings,
  request: RetryRequest,
  known: LatestAttempt | undefined,
  refusal: KycError,
): TE.TaskEither<KycError, Started> {
  if (known !== undefined || refusal.kind !== 'invalid_state' || refusal.outcome !== 'rejected') {
    return TE.left(refusal);
  }
  return pipe(
    listAttempts(settings, request.userRef, request.callOptions, { number: 0, found: [] }),
    T.map((read): E.Either<KycError, Started> => {
      if (E.isLeft(read)) {
        return E.left(read.left.kind === 'config' ? explained(read.left, refusal, 'config') : refusal);
      }
      return E.left(read.right.length === 0 ? explained(refusal, refusal, 'not_found') : refusal);
    }),
  );
}

/** `refusal` re-classified as `kind` (its code, status and request id kept). */
function explained(source: KycError, refusal: KycError, kind: 'config' | 'not_found'): KycError {
  const message =
    kind === 'config'
      ? `${PLAID_PROVIDER_ID}: retry: Plaid does not accept the configured templateId`
      : `${PLAID_PROVIDER_ID}: retry: Plaid knows no identity verification for this client_user_id and template`;
  return kycErrorOfKind(kind, {
    provider: refusal.provider,
    outcome: refusal.outcome,
    httpStatus: refusal.httpStatus,
    providerCode: refusal.providerCode,
    requestId: refusal.requestId,
    message,
    retryable: false,
    ...(source.kind === 'config' ? { issues: source.issues } : {}),
  });
}

/** Strategy checks, then one `/identity_verification/retry`, reconciled when its outcome is unknown. */
function startAttempt(
  settings: PlaidCallSettings,
  request: RetryRequest,
  known: LatestAttempt | undefined,
): TE.TaskEither<KycError, Started> {
  const body = toPlaidRetryRequest(
    request.userRef,
    settings.templateId,
    request.strategy,
    request.plaidOptions,
    request.user,
  );
  const count = known === undefined ? undefined : known.count + 1;
  // Early returns and a `then` rather than `TE.chain`/`TE.map`/`TE.orElse`: the same steps
  // without fp-ts's closures and promise hops on every call (see retryRequestOf).
  return () => {
    const allowed = checkRetryStrategy(request.strategy, known, request.userRef);
    if (E.isLeft(allowed)) return Promise.resolve(allowed);
    return callPlaid(settings.client, PLAID_ENDPOINTS.retry, body, request.callOptions)().then((sent) => {
      if (E.isRight(sent)) return E.right<KycError, Started>({ latest: sent.right, count });
      const error = sent.left;
      return outcomeUnknown(error)
        ? reconcile(settings, request, known, error)()
        : explainRefusal(settings, request, known, error)();
    });
  };
}

export function retryPlaidAttempt(
  settings: PlaidCallSettings,
  ref: UserRef,
  options?: RetryOptions,
): TE.TaskEither<KycError, RetryResult> {
  // An async function with early returns rather than a `TE.bind` pipeline: the same steps in the
  // same order (check, look up, the host's guard, start, map), without the pipeline's closures and
  // promise hops on every call (see retryRequestOf).
  return async () => {
    const checked = retryRequestOf(ref, options);
    if (E.isLeft(checked)) return checked;
    const request = checked.right;
    const looked = await lookUp(settings, request)();
    if (E.isLeft(looked)) return looked;
    const known = looked.right;
    const earlier = startedEarlier(known, request);
    if (E.isLeft(earlier)) return earlier;
    const started =
      earlier.right && known !== undefined ? E.right(known) : await startAttempt(settings, request, known)();
    if (E.isLeft(started)) return started;
    const { latest, count } = started.right;
    return plaidStatusResult(latest, settings.redirectPolicy, count, {
      attempts: count === undefined ? {} : { count },
    });
  };
}
