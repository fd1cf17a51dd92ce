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

export function unsupported<A>(
  provider: ProviderId,
  operation: string,
  reason: string,
): TE.TaskEither<KycError, A> {
  return TE.left(unsupportedError(provider, operation, reason));
}
