/**
 * retry: P100's only way to try again is a new hosted verification (`POST /v1/kyc`), so only the
 * `auto` strategy is supported. The adapter keeps no state: the verification's fields come from
 * `providerOptions.p100` on every call.
 *
 * Each start may be charged and counts against P100's attempt cap, so the flow reads Get KYC
 * Status before sending: when the answer is lost, the reading after is compared with it
 * (`p100-start-verification.ts`), and the start is never sent twice by kycport.
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
import { decodeP100ProviderOptions } from './p100-options';
import { p100CallOptions, toP100StartVerificationRequest } from './p100-request-mapping';
import { readThenStartP100Verification } from './p100-start-verification';

/** The strategies `retry` accepts (also declared in the capabilities). */
export const P100_RETRY_STRATEGIES: ReadonlyArray<RetryStrategy['kind']> = ['auto'];

const RETRY_STRATEGY_REASON =
  'P100 can only start a new hosted verification (POST /v1/kyc); use strategy auto';

interface RetryPlan {
  readonly body: P100StartVerificationRequest;
  readonly callOptions: CallOptions;
}

/** Every local check, in order (ref, options, strategy, the verification's fields): no request yet. */
function planRetry(ref: UserRef, options: RetryOptions | undefined): E.Either<KycError, RetryPlan> {
  return pipe(
    E.Do,
    E.bind('ref', () => decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref')),
    E.bindW('callOptions', () => p100CallOptions(options)),
    E.bindW('strategy', ({ callOptions }) =>
      decodeInput(P100_PROVIDER_ID, RetryStrategyCodec, callOptions.strategy ?? { kind: 'auto' }, 'strategy'),
    ),
    E.chainFirstW(({ strategy }) =>
      P100_RETRY_STRATEGIES.includes(strategy.kind)
        ? E.right(strategy)
        : E.left(
            unsupportedError(P100_PROVIDER_ID, `retry with strategy ${strategy.kind}`, RETRY_STRATEGY_REASON),
          ),
    ),
    E.bindW('providerOptions', ({ callOptions }) => decodeP100ProviderOptions(callOptions.providerOptions)),
    E.chainW(({ callOptions, providerOptions }) =>
      pipe(
        toP100StartVerificationRequest(ref, providerOptions),
        E.bimap(
          (issues) => validationError(P100_PROVIDER_ID, issues),
          (body) => ({ body, callOptions }),
        ),
      ),
    ),
  );
}

export function retryP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  options?: RetryOptions,
): TE.TaskEither<KycError, RetryResult> {
  return pipe(
    TE.fromEither(planRetry(ref, options)),
    TE.chain(({ body, callOptions }) =>
      readThenStartP100Verification(client, settings, ref, body, callOptions),
    ),
    TE.map(({ state, raw }): RetryResult =>
      withLazyRaw({ provider: P100_PROVIDER_ID, userRef: ref, state, attempts: {} }, raw, P100_REDACTED_KEYS),
    ),
  );
}
