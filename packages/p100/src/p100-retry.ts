/**
 * retry: P100 has no retry endpoint. The flow reads Get KYC Status first (free) and refuses, with
 * no further request, when the read shows no new attempt is needed (`checkBeforeNewAttempt`:
 * verified, an attempt in progress, documents accepted). Then the configured KYC method decides:
 * - hosted (Method B): a new hosted verification (`POST /v1/kyc`, which may be charged and counts
 *   against the cap); a lost answer is reconciled with a second read (`p100-start-verification.ts`).
 * - document upload (Method A, `capabilities.hostedFlow: false`): nothing is sent; the result asks
 *   for new files and document data (`submitVerification`), unless the caller sets
 *   `providerOptions.p100.startHostedVerification: true`.
 * Only the `auto` strategy is supported. The adapter keeps no state: the verification's fields come
 * from `providerOptions.p100` on every call.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  unsupportedError,
  validationError,
  withLazyRaw,
} from '@kycport/core';
import type { CallOptions, KycError, RetryOptions, RetryResult, RetryStrategy, UserRef } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { P100_REDACTED_KEYS } from './p100-api';
import type { P100StartVerificationRequest } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { readP100Kyc } from './p100-get-status';
import { decodeP100ProviderOptions } from './p100-options';
import type { P100ProviderOptions } from './p100-options';
import { checkBeforeNewAttempt, documentsDueAfterRead } from './p100-pre-checks';
import { p100CallOptions, toP100StartVerificationRequest } from './p100-request-mapping';
import { readThenStartP100Verification } from './p100-start-verification';
import type { StartedP100Verification } from './p100-start-verification';

/** The strategies `retry` accepts (also declared in the capabilities). */
export const P100_RETRY_STRATEGIES: ReadonlyArray<RetryStrategy['kind']> = ['auto'];

const RETRY_STRATEGY_REASON =
  'P100 can only start a new verification (a hosted one, or new documents); use strategy auto';

interface RetryPlan {
  readonly callOptions: CallOptions;
  readonly providerOptions: P100ProviderOptions;
  /** The hosted start's body; absent when the document upload method asks for documents instead. */
  readonly start?: P100StartVerificationRequest;
}

/** Whether this retry starts a hosted verification: the hosted method, or the caller asks for one. */
function startsHostedFlow(settings: P100Settings, options: P100ProviderOptions): boolean {
  return settings.kycMethod === 'hosted' || options.startHostedVerification === true;
}

/**
 * Every local check, in order (ref, options, strategy, the verification's fields): no request yet.
 * Early returns rather than an `E.Do` pipeline: the same checks in the same order, the first failure
 * winning, without the pipeline's closures on every call (a few µs a retry in the benchmark profile).
 */
function planRetry(
  settings: P100Settings,
  ref: UserRef,
  options: RetryOptions | undefined,
): E.Either<KycError, RetryPlan> {
  const checkedRef = UserRefCodec.is(ref)
    ? E.right(ref)
    : decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref');
  if (E.isLeft(checkedRef)) return checkedRef;
  const given = p100CallOptions(options);
  if (E.isLeft(given)) return given;
  const callOptions = given.right;
  const strategy = decodeInput(
    P100_PROVIDER_ID,
    RetryStrategyCodec,
    callOptions.strategy ?? { kind: 'auto' },
    'strategy',
  );
  if (E.isLeft(strategy)) return strategy;
  if (!P100_RETRY_STRATEGIES.includes(strategy.right.kind)) {
    return E.left(
      unsupportedError(P100_PROVIDER_ID, `retry with strategy ${strategy.right.kind}`, RETRY_STRATEGY_REASON),
    );
  }
  const decoded = decodeP100ProviderOptions(callOptions.providerOptions);
  if (E.isLeft(decoded)) return decoded;
  const providerOptions = decoded.right;
  if (!startsHostedFlow(settings, providerOptions)) return E.right({ callOptions, providerOptions });
  const start = toP100StartVerificationRequest(ref, providerOptions);
  if (E.isLeft(start)) return E.left(validationError(P100_PROVIDER_ID, start.left));
  return E.right({ callOptions, providerOptions, start: start.right });
}

/** Document upload without a hosted start: the read, its check, and the documents due. */
function askForDocuments(
  client: HttpClient,
  ref: UserRef,
  plan: RetryPlan,
): TE.TaskEither<KycError, StartedP100Verification> {
  return pipe(
    readP100Kyc(client, ref, plan.callOptions),
    TE.chainEitherK((reading) => checkBeforeNewAttempt(reading, ref, plan.providerOptions)),
    TE.map((reading) => ({
      state: documentsDueAfterRead(reading, plan.providerOptions.documentType),
      raw: reading.kind === 'pair' ? reading.data : { errorCode: 'P445' },
    })),
  );
}

export function retryP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  options?: RetryOptions,
): TE.TaskEither<KycError, RetryResult> {
  // A `then` rather than `TE.chain`/`TE.map`: the same steps without fp-ts's closures and promise
  // hops on every call.
  return () => {
    const plan = planRetry(settings, ref, options);
    if (E.isLeft(plan)) return Promise.resolve(plan);
    const { start, callOptions, providerOptions } = plan.right;
    const started =
      start === undefined
        ? askForDocuments(client, ref, plan.right)
        : readThenStartP100Verification(client, settings, ref, start, callOptions, providerOptions);
    return started().then((result): E.Either<KycError, RetryResult> => {
      if (E.isLeft(result)) return result;
      const { state, raw } = result.right;
      return E.right(
        withLazyRaw(
          { provider: P100_PROVIDER_ID, userRef: ref, state, attempts: {} },
          raw,
          P100_REDACTED_KEYS,
        ),
      );
    });
  };
}
