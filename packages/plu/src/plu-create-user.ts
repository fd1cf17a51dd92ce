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
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { HttpsUrl, kycError, userRef, withErrorContext, withLazyRaw } from '@kycport/core';
import type { CallOptions, CreateUserResult, KycError } from '@kycport/core';
import { outcomeUnknown, unknownOutcomeError } from '@kycport/http';
import type { HttpClient, HttpResponse } from '@kycport/http';
import { PLU_ENDPOINTS } from './plu-api';
import type { PluCreateUserRequest, PluCreateUserResponse, PluListedUser } from './plu-api';
import { PLU_PROVIDER_ID } from './plu-config';
import { isPluIdempotencyCode, pluCodeRule } from './plu-error';
import { PLU_VERIFICATION_URL_ISSUED, pluKycState } from './plu-status-mapping';
import { findPluUserByEmail } from './plu-user-scan';

export interface PluCreateUserDependencies {
  readonly client: HttpClient;
  /** Idempotency keys for calls that pass none. */
  readonly newKey: () => string;
}

type Created = TE.TaskEither<KycError, CreateUserResult>;

/**
 * Whether the create may have happened although no success was seen: the transport's rule
 * (timeout, a connection failed other than by the caller's abort), or Plu's key-reuse answer.
 */
export function pluCreateOutcomeUnknown(error: KycError, afterResend: boolean): boolean {
  if (outcomeUnknown(error) || isPluIdempotencyCode(error.providerCode)) return true;
  // After our own resend, an unrecognised 400 is most likely the undocumented key-reuse answer.
  return afterResend && error.httpStatus === 400 && pluCodeRule(error.providerCode) === undefined;
}

function unknownOutcome(cause: KycError): KycError {
  return unknownOutcomeError(
    PLU_PROVIDER_ID,
    'createUser',
    cause,
    'no user with this email was found in the partner user list; call createUser again ' +
      '(with the same idempotencyKey if one was passed): kycport reconciles again before creating',
  );
}

/** A create Plu answered: the redirect to the Persona hosted flow. */
function created(response: HttpResponse<PluCreateUserResponse>): E.Either<KycError, CreateUserResult> {
  const { serviceId, verificationUrl } = response.data.data;
  const ref = userRef(serviceId);
  if (verificationUrl === undefined || !HttpsUrl.is(verificationUrl)) {
    return E.left(
      kycError('unexpected_response', {
        provider: PLU_PROVIDER_ID,
        message: `${PLU_PROVIDER_ID}: createUser: the user was created but the response has no https verificationUrl`,
        issues: [{ path: 'response.data.verificationUrl', message: 'expected an https URL' }],
        requestId: response.requestId,
        userRef: ref,
      }),
    );
  }
  const state = {
    status: 'action_required',
    providerStatus: PLU_VERIFICATION_URL_ISSUED,
    reasonCodes: [],
    attempt: 1,
    nextAction: { type: 'redirect', url: verificationUrl },
  } as const;
  return E.right(withLazyRaw({ provider: PLU_PROVIDER_ID, userRef: ref, state }, response.data));
}

/** A user found by reconciliation: its listed status (the verification URL is not in the list). */
function reconciled(user: PluListedUser): CreateUserResult {
  return withLazyRaw(
    { provider: PLU_PROVIDER_ID, userRef: userRef(user.serviceId), state: pluKycState(user.status) },
    { reconciled: true, user },
  );
}

/** The two calls the flow repeats, bound to one body and one idempotency key. */
interface CreateCalls {
  readonly post: () => TE.TaskEither<KycError, HttpResponse<PluCreateUserResponse>>;
  readonly lookUp: () => TE.TaskEither<KycError, PluListedUser | undefined>;
}

const answered = (response: HttpResponse<PluCreateUserResponse>): Created => TE.fromEither(created(response));

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
      () => TE.left(unknownOutcome(firstError)),
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
      answered,
    ),
  );
}

/** The outcome of the first POST is unknown: look the email up before anything else. */
function reconcile(calls: CreateCalls, firstError: KycError): Created {
  return pipe(
    calls.lookUp(),
    TE.fold(
      () => TE.left(unknownOutcome(firstError)),
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
  const { client } = dependencies;
  const idempotencyKey = options.idempotencyKey ?? dependencies.newKey();
  const calls: CreateCalls = {
    post: () =>
      client.call(
        PLU_ENDPOINTS.createUser,
        { body, headers: { 'idempotency-key': idempotencyKey } },
        options,
      ),
    lookUp: () => findPluUserByEmail(client, body.email, options),
  };
  return pipe(
    calls.post(),
    TE.fold((firstError) => {
      if (firstError.providerCode === 'DUP_USER') return duplicate(calls, firstError);
      if (!pluCreateOutcomeUnknown(firstError, false)) return TE.left(firstError);
      return reconcile(calls, firstError);
    }, answered),
  );
}
