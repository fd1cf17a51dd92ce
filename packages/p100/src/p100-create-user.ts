/**
 * createUser: Create User Account, then, with the hosted method (Method B), Creating KYC
 * Verification. Every local check (the user's body and, hosted, the verification's) runs before the
 * first request, so a bad input never leaves a user without a verification behind.
 *
 * P100 has no idempotency key, but `externalUserId` is unique ("Attempts to reuse an existing ID
 * will result in an error", P411 `user-exists`), so a create can never make a second user. When
 * the create's outcome is unknown (a timeout, a broken connection, a 2xx kycport cannot read), or
 * P100 answers P411 (an earlier create landed: typically a repeat after a lost answer), the flow
 * reads Get KYC Status for the externalUserId:
 * - P412 (no such user): the create did not land (or not yet): an unknown outcome, safe to repeat
 *   (a repeat creates the user, or gets P411 and comes back here).
 * - P445 (the user exists, no verification): continue as after a create (hosted: start it).
 * - a status pair (a verification exists): the user's state, naming the user; while the attempt
 *   is `PENDING` its URL is unavailable (`redirect_unavailable`).
 *
 * If the user is created but the verification does not start, the error carries `userRef`.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { CreateUserInputCodec, decodeInput, kycErrorOfKind, userRef, validationError } from '@kycport/core';
import type { CallOptions, CreateUserInput, CreateUserResult, KycError, UserRef } from '@kycport/core';
import { outcomeUnknown, unknownOutcomeError } from '@kycport/http';
import type { HttpClient } from '@kycport/http';
import { P100_ENDPOINTS, p100Result } from './p100-api';
import type { P100CreateUserRequest, P100StartVerificationRequest } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { readP100Kyc } from './p100-get-status';
import type { P100KycReading } from './p100-get-status';
import { decodeP100ProviderOptions } from './p100-options';
import type { P100ProviderOptions } from './p100-options';
import {
  p100CallOptions,
  toP100CreateUserRequest,
  toP100StartVerificationRequest,
} from './p100-request-mapping';
import { P100_LOST_URL_REASON, startP100Verification } from './p100-start-verification';
import { p100KycState, redirectUnavailableState, userCreatedState } from './p100-status-mapping';

interface CreateUserPlan {
  readonly ref: UserRef;
  readonly user: P100CreateUserRequest;
  /** The verification to start right after (hosted method only). */
  readonly start?: P100StartVerificationRequest;
  readonly options: P100ProviderOptions;
}

type Created = TE.TaskEither<KycError, CreateUserResult>;

/** Decodes the input and builds both bodies; the issues of both are reported together. */
function planCreateUser(settings: P100Settings, input: unknown): E.Either<KycError, CreateUserPlan> {
  return pipe(
    E.Do,
    E.bind('decoded', () => decodeInput(P100_PROVIDER_ID, CreateUserInputCodec, input)),
    E.bindW('options', ({ decoded }) => decodeP100ProviderOptions(decoded.providerOptions)),
    E.chain(({ decoded, options }) => {
      const { applicant } = decoded;
      const user = toP100CreateUserRequest(applicant, options);
      const start =
        settings.kycMethod === 'hosted'
          ? toP100StartVerificationRequest(applicant.externalId, options, applicant.address?.country)
          : E.right(undefined);
      if (E.isLeft(user) || E.isLeft(start)) {
        const issues = [...(E.isLeft(user) ? user.left : []), ...(E.isLeft(start) ? start.left : [])];
        return E.left(validationError(P100_PROVIDER_ID, issues));
      }
      const ref = userRef(user.right.externalUserId);
      return E.right({ ref, user: user.right, start: start.right, options });
    }),
  );
}

/**
 * The user exists and has no verification (just created, or found by the read): hosted, start it;
 * document upload, the files and data are due. `raw` holds what P100 answered so far.
 */
function continueWithoutVerification(
  client: HttpClient,
  settings: P100Settings,
  plan: CreateUserPlan,
  raw: Readonly<Record<string, unknown>>,
  options: CallOptions,
): Created {
  if (plan.start === undefined) {
    return TE.right(p100Result(plan.ref, userCreatedState(plan.options.documentType), raw));
  }
  const before: P100KycReading = { kind: 'not_started' };
  return pipe(
    startP100Verification(client, settings, plan.ref, plan.start, before, options),
    TE.map(({ state, raw: verification }) => p100Result(plan.ref, state, { ...raw, verification })),
  );
}

/** The user exists (found by the read): continue from what the read shows. */
function continueExisting(
  client: HttpClient,
  settings: P100Settings,
  plan: CreateUserPlan,
  reading: P100KycReading,
  options: CallOptions,
): Created {
  if (reading.kind === 'not_started') {
    return continueWithoutVerification(client, settings, plan, { reconciled: true }, options);
  }
  const { status, attemptStatus, rejectionReason } = reading.data;
  const state =
    settings.kycMethod === 'hosted'
      ? redirectUnavailableState(status, attemptStatus, rejectionReason, P100_LOST_URL_REASON)
      : p100KycState(status, attemptStatus, rejectionReason);
  return TE.right(p100Result(plan.ref, state, { reconciled: true, kycStatus: reading.data }));
}

/** The create's outcome is unknown: the user exists only if the read finds it. */
function reconcileLostCreate(
  client: HttpClient,
  settings: P100Settings,
  plan: CreateUserPlan,
  cause: KycError,
  options: CallOptions,
): Created {
  const unknown = unknownOutcomeError(
    P100_PROVIDER_ID,
    'createUser',
    cause,
    'P100 does not show this externalUserId; call createUser again: a repeat cannot create a second user (P100 refuses a reused externalUserId, and kycport then reads the user and continues)',
  );
  return pipe(
    readP100Kyc(client, plan.ref, options),
    TE.fold(
      () => TE.left(unknown),
      (reading) => continueExisting(client, settings, plan, reading, options),
    ),
  );
}

/** P411: a user with this externalUserId exists (an earlier create landed): read it and continue. */
function reconcileExistingUser(
  client: HttpClient,
  settings: P100Settings,
  plan: CreateUserPlan,
  conflict: KycError,
  options: CallOptions,
): Created {
  return pipe(
    readP100Kyc(client, plan.ref, options),
    TE.fold(
      (readError) =>
        // P412 contradicts P411: keep P100's conflict. Otherwise the user exists but could not be read.
        readError.providerCode === 'P412'
          ? TE.left(conflict)
          : TE.left(
              kycErrorOfKind('conflict', {
                provider: P100_PROVIDER_ID,
                message: `${P100_PROVIDER_ID}: createUser: a user with this externalUserId exists (P411) and its KYC status could not be read (${readError.kind}); call createUser again to continue (it reads before acting), or getStatus`,
                retryable: readError.retryable,
                outcome: 'rejected',
                httpStatus: conflict.httpStatus,
                providerCode: conflict.providerCode,
                requestId: conflict.requestId,
                userRef: plan.ref,
              }),
            ),
      (reading) => continueExisting(client, settings, plan, reading, options),
    ),
  );
}

export function createP100User(
  client: HttpClient,
  settings: P100Settings,
  input: CreateUserInput,
  options?: CallOptions,
): Created {
  return pipe(
    TE.fromEither(planCreateUser(settings, input)),
    TE.bindTo('plan'),
    TE.bindW('callOptions', () => TE.fromEither(p100CallOptions(options))),
    TE.chain(({ plan, callOptions }) =>
      pipe(
        client.call(P100_ENDPOINTS.createUser, { body: plan.user }, callOptions),
        TE.foldW(
          (error) => {
            if (error.providerCode === 'P411')
              return reconcileExistingUser(client, settings, plan, error, callOptions);
            if (outcomeUnknown(error)) return reconcileLostCreate(client, settings, plan, error, callOptions);
            return TE.left(error);
          },
          (created) =>
            continueWithoutVerification(client, settings, plan, { user: created.data }, callOptions),
        ),
      ),
    ),
  );
}
