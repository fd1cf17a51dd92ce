import * as TE from 'fp-ts/TaskEither';
import { kycError } from './errors';
import type { KycError, UnsupportedError } from './errors';
import type { ProviderId } from './provider-id';

/** The typed refusal for an operation a provider cannot do: it names the operation, provider and reason. */
export function unsupportedError(provider: ProviderId, operation: string, reason: string): UnsupportedError {
  return kycError('unsupported', {
    provider,
    operation,
    message: `${provider} does not support ${operation}: ${reason}`,
    retryable: false,
    outcome: 'not_sent',
  });
}

/**
 * A task that fails at once with the `unsupported` error of `operation` (not retryable, nothing
 * sent): what a provider's method returns for an operation it cannot do.
 */
export function unsupported<A>(
  provider: ProviderId,
  operation: string,
  reason: string,
): TE.TaskEither<KycError, A> {
  return TE.left(unsupportedError(provider, operation, reason));
}
