/**
 * `retry`: validate, look the latest attempt up (unless `checkStateFirst: false`), refuse what
 * Plaid documents it refuses, then one `/identity_verification/retry`. The lookup also turns an
 * unknown user into `not_found` and counts attempts (attempts listed + 1).
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { RetryStrategyCodec, decodeInput } from '@kycport/core';
import type { KycError, RetryOptions, RetryResult, UserRef } from '@kycport/core';
import { PLAID_ENDPOINTS, callPlaid } from './plaid-api';
import { checkRetryStrategy, findLatestAttempt, validUserRef } from './plaid-attempts';
import type { LatestAttempt, PlaidCallSettings } from './plaid-attempts';
import { PLAID_PROVIDER_ID } from './plaid-config';
import { decodeRetryOptions } from './plaid-options';
import { toPlaidRetryRequest } from './plaid-request-mapping';
import { plaidStatusResult } from './plaid-status-mapping';

export function retryPlaidAttempt(
  settings: PlaidCallSettings,
  ref: UserRef,
  options: RetryOptions = {},
): TE.TaskEither<KycError, RetryResult> {
  const requested = options.strategy ?? { kind: 'auto' };
  return pipe(
    validUserRef(ref),
    TE.bindTo('userRef'),
    TE.bindW('strategy', () =>
      TE.fromEither(decodeInput(PLAID_PROVIDER_ID, RetryStrategyCodec, requested, 'strategy')),
    ),
    TE.bindW('plaidOptions', () => TE.fromEither(decodeRetryOptions(options.providerOptions))),
    TE.bind('known', ({ userRef, plaidOptions }): TE.TaskEither<KycError, LatestAttempt | undefined> =>
      plaidOptions.checkStateFirst === false
        ? TE.right(undefined)
        : findLatestAttempt(settings, userRef, options),
    ),
    TE.chainFirstEitherK(({ strategy, known, userRef }) => checkRetryStrategy(strategy, known, userRef)),
    TE.bind('attempt', ({ userRef, strategy, plaidOptions }) =>
      callPlaid(
        settings.client,
        PLAID_ENDPOINTS.retry,
        toPlaidRetryRequest(userRef, settings.templateId, strategy, plaidOptions),
        options,
      ),
    ),
    TE.map(({ attempt, known }): RetryResult => {
      const count = known === undefined ? undefined : known.count + 1;
      return plaidStatusResult(attempt, count, { attempts: count === undefined ? {} : { count } });
    }),
  );
}
