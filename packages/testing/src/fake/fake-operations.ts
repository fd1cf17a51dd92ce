/**
 * The fake's port operations: create a user (hosted flow), read the status, retry a denied or
 * expired user until `maxAttempts`; `submitVerification` is unsupported (documents are collected
 * in the hosted flow). Input is validated before any "call".
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  CreateUserInputCodec,
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  kycError,
  unsupported,
  userRef,
  validationError,
} from '@kycport/core';
import type {
  Applicant,
  CreateUserInput,
  KycCapabilities,
  KycError,
  KycIssue,
  KycResult,
  RetryOptions,
  RetryResult,
  UserRef,
} from '@kycport/core';
import { FakeProviderOptions } from './fake-options';
import { fakeCall, fakeResult, findFakeUser } from './fake-state';
import type { FakeContext, FakeUser } from './fake-state';

export const FAKE_SUBMIT_UNSUPPORTED =
  'the fake collects documents in its hosted flow: redirect the user to nextAction.url';

/** The fake restarts the hosted flow: nothing to resume, no steps to choose. */
const FAKE_RETRY_STRATEGIES: KycCapabilities['retryStrategies'] = ['auto', 'restart'];

export function fakeCapabilities(maxAttempts: number): KycCapabilities {
  return {
    operations: {
      createUser: { supported: true },
      getStatus: { supported: true },
      retry: { supported: true },
      submitVerification: { supported: false, reason: FAKE_SUBMIT_UNSUPPORTED },
    },
    retryStrategies: FAKE_RETRY_STRATEGIES,
    maxAttempts,
    hostedFlow: true,
    documentUpload: false,
    statusLookup: 'single_request',
    webhooks: { authentication: 'hmac_sha256', carriesState: true },
  };
}

/** The applicant fields the fake requires on top of the core codec. */
function applicantIssues(applicant: Applicant): KycIssue[] {
  return [
    ...(applicant.name ? [] : [{ path: 'applicant.name', message: 'is required' }]),
    ...(applicant.email ? [] : [{ path: 'applicant.email', message: 'is required' }]),
    ...(applicant.termsAccepted === true
      ? []
      : [{ path: 'applicant.termsAccepted', message: 'must be true' }]),
  ];
}

function validCreateInput(
  context: FakeContext,
  input: CreateUserInput,
): E.Either<KycError, { applicant: Applicant; options: FakeProviderOptions }> {
  return pipe(
    E.Do,
    E.bind('decoded', () => decodeInput(context.id, CreateUserInputCodec, input)),
    E.bind('options', ({ decoded }) =>
      decodeInput(
        context.id,
        FakeProviderOptions,
        decoded.providerOptions?.[context.id] ?? {},
        `providerOptions.${context.id}`,
      ),
    ),
    E.chain(({ decoded, options }) => {
      const issues = applicantIssues(decoded.applicant);
      return issues.length > 0
        ? E.left(validationError(context.id, issues))
        : E.right({ applicant: decoded.applicant, options });
    }),
  );
}

function registerUser(
  context: FakeContext,
  applicant: Applicant,
  options: FakeProviderOptions,
): E.Either<KycError, KycResult> {
  const ref = userRef(`fake-user-${applicant.externalId}`);
  if (context.users.has(ref)) {
    return E.left(
      kycError('conflict', {
        provider: context.id,
        message: `${context.id}: a user with this externalId already exists`,
        providerCode: 'DUP_USER',
        httpStatus: 409,
        userRef: ref,
      }),
    );
  }
  const user: FakeUser = {
    ref,
    externalId: applicant.externalId,
    status: 'action_required',
    providerStatus: 'awaiting_user',
    reasonCodes: [],
    attempt: 1,
    outcomes: [...(options.outcomes ?? [])],
  };
  context.users.set(ref, user);
  return E.right(fakeResult(context, user));
}

export function createFakeUser(
  context: FakeContext,
  input: CreateUserInput,
): TE.TaskEither<KycError, KycResult> {
  return pipe(
    TE.fromEither(validCreateInput(context, input)),
    TE.chain(({ applicant, options }) =>
      fakeCall(context, 'createUser', () => registerUser(context, applicant, options)),
    ),
  );
}

export function getFakeStatus(context: FakeContext, ref: UserRef): TE.TaskEither<KycError, KycResult> {
  return pipe(
    TE.fromEither(decodeInput(context.id, UserRefCodec, ref, 'ref')),
    TE.chain(() =>
      fakeCall(context, 'getStatus', () =>
        pipe(
          findFakeUser(context, ref),
          E.map((user) => fakeResult(context, user)),
        ),
      ),
    ),
  );
}

/** A new attempt for a denied or expired user with attempts left. */
function restartAttempt(context: FakeContext, user: FakeUser): E.Either<KycError, RetryResult> {
  const { maxAttempts } = context;
  if (user.status !== 'denied' && user.status !== 'expired') {
    return E.left(
      kycError('invalid_state', {
        provider: context.id,
        message: `${context.id}: only a denied or expired user can be retried`,
        providerCode: 'NOT_RETRYABLE',
        httpStatus: 400,
      }),
    );
  }
  if (user.attempt >= maxAttempts) {
    return E.left(
      kycError('retry_limit_reached', {
        provider: context.id,
        message: `${context.id}: all ${maxAttempts} attempts are used`,
        providerCode: 'RETRY_LIMIT',
        httpStatus: 400,
        maxAttempts,
      }),
    );
  }
  user.attempt += 1;
  user.status = 'action_required';
  user.providerStatus = 'awaiting_user';
  user.reasonCodes = [];
  return E.right({
    ...fakeResult(context, user),
    attempts: { count: user.attempt, remaining: maxAttempts - user.attempt },
  });
}

export function retryFakeUser(
  context: FakeContext,
  ref: UserRef,
  options?: RetryOptions,
): TE.TaskEither<KycError, RetryResult> {
  return pipe(
    TE.fromEither(decodeInput(context.id, UserRefCodec, ref, 'ref')),
    TE.chainEitherK(() =>
      decodeInput(context.id, RetryStrategyCodec, options?.strategy ?? { kind: 'auto' }, 'strategy'),
    ),
    TE.chain((strategy) =>
      FAKE_RETRY_STRATEGIES.includes(strategy.kind)
        ? TE.right(strategy)
        : unsupported(
            context.id,
            `retry with strategy ${strategy.kind}`,
            'the fake restarts the hosted flow; use auto or restart',
          ),
    ),
    TE.chain(() =>
      fakeCall(context, 'retry', () =>
        pipe(
          findFakeUser(context, ref),
          E.chain((user) => restartAttempt(context, user)),
        ),
      ),
    ),
  );
}

export function submitFakeVerification<A>(context: FakeContext): TE.TaskEither<KycError, A> {
  return unsupported(context.id, 'submitVerification', FAKE_SUBMIT_UNSUPPORTED);
}
