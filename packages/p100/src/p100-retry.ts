/**
 * retry: P100's only way to try again is a new hosted verification (`POST /v1/kyc`), so only the
 * `auto` strategy is supported. The adapter keeps no state: the verification's fields come from
 * `providerOptions.p100` on every call.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  RetryStrategyCodec,
  UserRefCodec,
  decodeInput,
  unsupported,
  validationError,
  withLazyRaw,
} from '@kycport/core';
import type { KycError, RetryOptions, RetryResult, RetryStrategy, UserRef } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { P100_REDACTED_KEYS } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { decodeP100ProviderOptions } from './p100-options';
import { toP100StartVerificationRequest } from './p100-request-mapping';
import { startP100Verification } from './p100-start-verification';

/** The strategies `retry` accepts (also declared in the capabilities). */
export const P100_RETRY_STRATEGIES: ReadonlyArray<RetryStrategy['kind']> = ['auto'];

const RETRY_STRATEGY_REASON =
  'P100 can only start a new hosted verification (POST /v1/kyc); use strategy auto';

export function retryP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  options: RetryOptions = {},
): TE.TaskEither<KycError, RetryResult> {
  return pipe(
    TE.fromEither(decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref')),
    TE.chainEitherKW(() =>
      decodeInput(P100_PROVIDER_ID, RetryStrategyCodec, options.strategy ?? { kind: 'auto' }, 'strategy'),
    ),
    TE.chain((strategy) =>
      P100_RETRY_STRATEGIES.includes(strategy.kind)
        ? TE.right(strategy)
        : unsupported<RetryStrategy>(
            P100_PROVIDER_ID,
            `retry with strategy ${strategy.kind}`,
            RETRY_STRATEGY_REASON,
          ),
    ),
    TE.chainEitherK(() => decodeP100ProviderOptions(options.providerOptions)),
    TE.chainEitherKW((providerOptions) =>
      pipe(
        toP100StartVerificationRequest(ref, providerOptions),
        E.mapLeft((issues) => validationError(P100_PROVIDER_ID, issues)),
      ),
    ),
    TE.chain((body) => startP100Verification(client, settings, ref, body, options)),
    TE.map(({ state, raw }): RetryResult =>
      withLazyRaw({ provider: P100_PROVIDER_ID, userRef: ref, state, attempts: {} }, raw, P100_REDACTED_KEYS),
    ),
  );
}
