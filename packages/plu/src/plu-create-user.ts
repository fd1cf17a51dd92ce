/**
 * `createUser`: `POST /v2/partner/card/users`, with reconciliation through List Users when the
 * outcome of the create is unknown (timeout, reset, reused idempotency key). Plu does not replay a
 * reused `idempotency-key`: it answers 400 and forgets keys after 5 minutes, so the transport never
 * resends the create and this flow looks the email up instead.
 * Source: https://docs.getplu.com/api-reference/users/create-user (idempotency: the API overview).
 *
 * Orders of events handled:
 * 1. POST succeeds: done.
 * 2. DUP_USER on the first POST: `conflict`, with the existing user's ref when the list has it.
 * 3. Timeout / reset / reused key: look the email up. Found: the create happened; return it.
 * 4. Not found after a reused key: another request with this key may be running; report it.
 * 5. Not found after a timeout or reset: POST again with the same key (Plu forgets keys after 5
 *    minutes and the email is unique, so this cannot create a second user). If that answers with
 *    a timeout, a key-reuse 400 or DUP_USER, the first create landed late: look the email up again.
 * "Unknown" is the transport's `outcomeUnknown`: a timeout, a connection broken after sending, and
 * a 2xx whose body is not JSON or not the documented shape (Plu acted; the answer is unreadable).
 * A user found by the list has no verification URL (the list carries none): where its status
 * needs the user in the hosted flow, the result says so with `redirect_unavailable`.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycError, redirectTo, userRef, withErrorContext, withLazyRaw } from '@kycport/core';
import type { CallOptions, CreateUserResult, KycError, RedirectPolicy } from '@kycport/core';
import { outcomeUnknown, unknownOutcomeError } from '@kycport/http';
import type { HttpResponse } from '@kycport/http';
import { PLU_ENDPOINTS } from './plu-api';
import type { PluCreateUserRequest, PluCreateUserResponse, PluListedUser } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import { isPluIdempotencyCode, pluCodeRule } from './plu-error';
import { PLU_VERIFICATION_URL_ISSUED, pluStateAfterLostAnswer } from './plu-status-mapping';
import { PLU_SCAN_PAGE_LIMIT_CODE, findPluUserByEmail } from './plu-user-scan';
import type { PluUserScan } from './plu-user-scan';

export interface PluCreateUserDependencies {
  /** The client and the page cap of the reconciling scan. */
  readonly scan: PluUserScan;
  /** Idempotency keys for calls that pass none. */
  readonly newKey: () => string;
  /** Where `verificationUrl` may send the browser besides https (`pluRedirectPolicy`). */
  readonly redirectPolicy: RedirectPolicy;
}

/**
 * `nextAction.reason` of a reconciled user who still has to use the hosted flow. What the documents
 * offer: a `needsVerification` webhook carries a new `verificationLink`, and Retry KYC returns a new
 * `verificationUrl`, but only for a denied user. Plu documents no call that returns the URL of a
 * pending user again (https://docs.getplu.com/api-reference/users/list-users has no URL).
 */
export const PLU_CREATE_URL_LOST_REASON =
  'Plu created the user, but its answer (holding the Persona verificationUrl) was lost, and Plu ' +
  'documents no call that returns that URL again. A needsVerification webhook brings a new ' +
  'verificationLink, and retry returns a new verificationUrl once the user is denied; otherwise ask ' +
  'Plu support (see docs/providers/plu.md, "Lost answers")';

type Created = TE.TaskEither<KycError, CreateUserResult>;

/**
 * Whether the create may have happened although no success was seen: the transport's rule
 * (`outcomeUnknown`: a timeout, a connection failed other than by the caller's abort, a 2xx it could
 * not read), or Plu's key-reuse answer.
 */
export function pluCreateOutcomeUnknown(error: KycError, afterResend: boolean): boolean {
  if (outcomeUnknown(error) || isPluIdempotencyCode(error.providerCode)) return true;
  // After our own resend, an unrecognised 400 is most likely the undocumented key-reuse answer.
  return afterResend && error.httpStatus === 400 && pluCodeRule(error.providerCode) === undefined;
}

/** What the look-up found: nothing (`undefined`: the user is not listed) or why it failed. */
function lookedUp(lookupError: KycError | undefined): string {
  if (lookupError === undefined) return 'no user with this email was found in the partner user list';
  if (lookupError.providerCode === PLU_SCAN_PAGE_LIMIT_CODE)
    return 'the user list is longer than the maxScanPages setting allows to scan (raise PLU_MAX_SCAN_PAGES)';
  return 'the partner user list could not be read to look for the user';
}

function unknownOutcome(cause: KycError, lookupError?: KycError): KycError {
  const looked = lookedUp(lookupError);
  return unknownOutcomeError(
    PLU_PROVIDER_ID,
    'createUser',
    cause,
    `${looked}; call createUser again (with the same idempotencyKey if one was passed): kycport ` +
      'reconciles again before creating, and the unique email keeps Plu from creating a second user',
  );
}

/** A create Plu answered: the redirect to the Persona hosted flow, once core's check accepts the URL. */
function created(
  response: HttpResponse<PluCreateUserResponse>,
  policy: RedirectPolicy,
): E.Either<KycError, CreateUserResult> {
  const { serviceId, verificationUrl } = response.data.data;
  const ref = userRef(serviceId);
  const redirect = redirectTo(PLU_PROVIDER_ID, verificationUrl, 'response.data.verificationUrl', policy);
  if (E.isLeft(redirect)) {
    // Plu created the user (it is named) but the URL cannot go to a browser.
    return E.left(
      kycError('unexpected_response', {
        provider: PLU_PROVIDER_ID,
        message: `${PLU_PROVIDER_ID}: createUser: the user was created but the response has no usable verificationUrl (https, or the simulator origin)`,
        issues: redirect.left.issues,
        httpStatus: response.status,
        requestId: response.requestId,
        userRef: ref,
        retryable: false,
        outcome: 'unknown',
      }),
    );
  }
  const state = {
    status: 'action_required',
    providerStatus: PLU_VERIFICATION_URL_ISSUED,
    reasonCodes: [],
    attempt: 1,
    nextAction: redirect.right,
  } as const;
  return E.right(withLazyRaw({ provider: PLU_PROVIDER_ID, userRef: ref, state }, response.data));
}

/** A user found by reconciliation: its listed status; the verification URL was only in the lost answer. */
function reconciled(user: PluListedUser): CreateUserResult {
  return withLazyRaw(
    {
      provider: PLU_PROVIDER_ID,
      userRef: userRef(user.serviceId),
      state: pluStateAfterLostAnswer(user.status, PLU_CREATE_URL_LOST_REASON),
    },
    { reconciled: true, user },
  );
}

/** The two calls the flow repeats, bound to one body and one idempotency key. */
interface CreateCalls {
  readonly post: () => TE.TaskEither<KycError, HttpResponse<PluCreateUserResponse>>;
  readonly lookUp: () => TE.TaskEither<KycError, PluListedUser | undefined>;
  readonly answered: (response: HttpResponse<PluCreateUserResponse>) => Created;
}

/** DUP_USER on the first POST: a conflict either way, naming the existing user when the list has it. */
function duplicate(calls: CreateCalls, error: KycError): Created {
  return pipe(
    calls.lookUp(),
    TE.fold(
      () => TE.left(error),
      (user) =>
        TE.left(user === undefined ? error : withErrorContext(error, { userRef: userRef(user.serviceId) })),
    ),
  );
}

/** The resend failed too: the first create may have landed late, so look once more. */
function lookAgain(calls: CreateCalls, firstError: KycError): Created {
  return pipe(
    calls.lookUp(),
    TE.fold(
      (lookupError) => TE.left(unknownOutcome(firstError, lookupError)),
      (user) => (user === undefined ? TE.left(unknownOutcome(firstError)) : TE.right(reconciled(user))),
    ),
  );
}

/** Not listed after a timeout or reset: POST again with the same key (no third POST follows). */
function resend(calls: CreateCalls, firstError: KycError): Created {
  return pipe(
    calls.post(),
    TE.fold(
      (secondError) =>
        secondError.providerCode !== 'DUP_USER' && !pluCreateOutcomeUnknown(secondError, true)
          ? TE.left(secondError)
          : lookAgain(calls, firstError),
      calls.answered,
    ),
  );
}

/** The outcome of the first POST is unknown: look the email up before anything else. */
function reconcile(calls: CreateCalls, firstError: KycError): Created {
  return pipe(
    calls.lookUp(),
    TE.fold(
      (lookupError) => TE.left(unknownOutcome(firstError, lookupError)),
      (user) => {
        if (user !== undefined) return TE.right(reconciled(user));
        // A reused key and no user listed yet: the request holding the key may still be running.
        if (isPluIdempotencyCode(firstError.providerCode)) return TE.left(unknownOutcome(firstError));
        return resend(calls, firstError);
      },
    ),
  );
}

/** Validated body in, created (or reconciled) user out; see the orders of events above. */
export function createPluUser(
  dependencies: PluCreateUserDependencies,
  body: PluCreateUserRequest,
  options: CallOptions,
): Created {
  const { scan, redirectPolicy } = dependencies;
  const idempotencyKey = options.idempotencyKey ?? dependencies.newKey();
  const calls: CreateCalls = {
    post: () =>
      scan.client.call(
        PLU_ENDPOINTS.createUser,
        { body, headers: { 'idempotency-key': idempotencyKey } },
        options,
      ),
    lookUp: () => findPluUserByEmail(scan, body.email, options),
    answered: (response) => TE.fromEither(created(response, redirectPolicy)),
  };
  return pipe(
    calls.post(),
    TE.fold((firstError) => {
      if (firstError.providerCode === 'DUP_USER') return duplicate(calls, firstError);
      if (!pluCreateOutcomeUnknown(firstError, false)) return TE.left(firstError);
      return reconcile(calls, firstError);
    }, calls.answered),
  );
}
