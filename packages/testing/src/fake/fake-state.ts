/**
 * What the fake remembers (its users and the failures scripted with `failNext`), the state it
 * reports for a user, and the one place a call is reported to the observer.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type * as TE from 'fp-ts/TaskEither';
import { kycError, redact, withErrorContext } from '@kycport/core';
import type {
  KycError,
  KycObserver,
  KycResult,
  KycState,
  KycStatus,
  ProviderId,
  UserRef,
} from '@kycport/core';
import type { FakeOutcome } from './fake-options';

export const FAKE = 'fake';
const HOSTED_URL = 'https://fake.kycport.invalid/verify/';

export interface FakeUser {
  readonly ref: UserRef;
  readonly externalId: string;
  status: KycStatus;
  providerStatus: string;
  reasonCodes: ReadonlyArray<string>;
  attempt: number;
  outcomes: FakeOutcome[];
}

/** The fake's settings and memory, shared by its operations, webhooks and control. */
export interface FakeContext {
  /** The provider id the fake answers as (default `fake`): several fakes can stand behind one router. */
  readonly id: ProviderId;
  readonly maxAttempts: number;
  readonly secret: string;
  readonly observer?: KycObserver;
  readonly users: Map<string, FakeUser>;
  /** operation -> the error its next call fails with */
  readonly failures: Map<string, KycError>;
}

function nextActionOf(user: FakeUser, maxAttempts: number): KycState['nextAction'] {
  switch (user.status) {
    case 'action_required':
      return {
        type: 'redirect',
        url: `${HOSTED_URL}${encodeURIComponent(user.ref)}?attempt=${user.attempt}`,
      };
    case 'pending':
    case 'in_review':
      return { type: 'await_provider' };
    case 'denied':
    case 'expired':
      return user.attempt >= maxAttempts ? { type: 'contact_support' } : { type: 'none' };
    default:
      return { type: 'none' };
  }
}

export function fakeStateOf(user: FakeUser, maxAttempts: number): KycState {
  return {
    status: user.status,
    providerStatus: user.providerStatus,
    reasonCodes: user.reasonCodes,
    attempt: user.attempt,
    nextAction: nextActionOf(user, maxAttempts),
  };
}

export function fakeResult(context: FakeContext, user: FakeUser): KycResult {
  return {
    provider: context.id,
    userRef: user.ref,
    state: fakeStateOf(user, context.maxAttempts),
    raw: redact({ ref: user.ref, status: user.providerStatus, attempt: user.attempt }),
  };
}

export function findFakeUser(context: FakeContext, ref: UserRef): E.Either<KycError, FakeUser> {
  const user = context.users.get(ref);
  return user
    ? E.right(user)
    : E.left(
        kycError('not_found', {
          provider: context.id,
          message: `${context.id}: no user with this reference`,
          providerCode: 'USER_NOT_FOUND',
          httpStatus: 404,
        }),
      );
}

/**
 * The fake's "provider call": fails with the scripted failure if any, and reports the call to the
 * observer like the HTTP transport does, so "no request was made" is checkable.
 */
export function fakeCall<A>(
  context: FakeContext,
  operation: string,
  body: () => E.Either<KycError, A>,
): TE.TaskEither<KycError, A> {
  return async () => {
    const started = performance.now();
    const injected = context.failures.get(operation);
    context.failures.delete(operation);
    // A refusal the fake "answers" is `rejected`, like an error status from a real provider; an
    // injected failure keeps the outcome it was given.
    const result = pipe(
      injected ? E.left(injected) : body(),
      E.mapLeft((error) => withErrorContext(error, { outcome: 'rejected' })),
    );
    context.observer?.onCall?.({
      provider: context.id,
      operation,
      method: 'CALL',
      pathTemplate: operation,
      attempt: 1,
      durationMs: performance.now() - started,
      outcome: E.isLeft(result) ? 'error' : 'success',
      errorKind: E.isLeft(result) ? result.left.kind : undefined,
      willRetry: false,
    });
    return result;
  };
}
