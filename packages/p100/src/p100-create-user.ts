/**
 * createUser: Create User Account, then, with the hosted method (Method B), Creating KYC
 * Verification. Every local check (the user's body and, hosted, the verification's) runs before the
 * first request, so a bad input never leaves a user without a verification behind.
 *
 * If the user is created but the verification does not start (P500/P501, a timeout, an answer
 * without an id), the user exists at P100: the error carries `userRef`, and the host calls `retry`
 * (a second createUser would be refused with P411).
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { CreateUserInputCodec, decodeInput, userRef, validationError } from '@kycport/core';
import type { CallOptions, CreateUserInput, CreateUserResult, KycError } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { P100_ENDPOINTS, p100Result } from './p100-api';
import type { P100CreateUserRequest, P100StartVerificationRequest } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { decodeP100ProviderOptions } from './p100-options';
import type { P100ProviderOptions } from './p100-options';
import { toP100CreateUserRequest, toP100StartVerificationRequest } from './p100-request-mapping';
import { startP100Verification } from './p100-start-verification';
import { userCreatedState } from './p100-status-mapping';

interface CreateUserPlan {
  readonly user: P100CreateUserRequest;
  /** The verification to start right after (hosted method only). */
  readonly start?: P100StartVerificationRequest;
  readonly options: P100ProviderOptions;
}

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
      return E.right({ user: user.right, start: start.right, options });
    }),
  );
}

export function createP100User(
  client: HttpClient,
  settings: P100Settings,
  input: CreateUserInput,
  options: CallOptions = {},
): TE.TaskEither<KycError, CreateUserResult> {
  return pipe(
    TE.fromEither(planCreateUser(settings, input)),
    TE.bindTo('plan'),
    TE.bind('created', ({ plan }) => client.call(P100_ENDPOINTS.createUser, { body: plan.user }, options)),
    TE.chain(({ plan, created }) => {
      const ref = userRef(plan.user.externalUserId);
      if (plan.start === undefined) {
        return TE.right(p100Result(ref, userCreatedState(plan.options.documentType), { user: created.data }));
      }
      return pipe(
        startP100Verification(client, settings, ref, plan.start, options),
        TE.map(({ state, raw }) => p100Result(ref, state, { user: created.data, verification: raw })),
      );
    }),
  );
}
