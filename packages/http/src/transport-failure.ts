/**
 * What a failed call means: the one place that decides. The transport classifies a thrown axios or
 * socket error here (timeout, abort, never reached the provider, connection failed); adapters ask
 * `outcomeUnknown` whether the provider may have acted on a call that failed, and report such a
 * call with `unknownOutcomeError`.
 */
import { kycError, kycErrorOfKind } from '@kycport/core';
import type { KycError, ProviderId } from '@kycport/core';

/** `providerCode` of the `network` error for a call the caller aborted. */
export const ABORTED_CODE = 'ABORTED';

/** Socket error codes that prove the request never reached the provider. */
const NEVER_REACHED_PROVIDER: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export interface AttemptFailure {
  readonly error: KycError;
  /** True when the request provably never reached the provider, so even unsafe calls may be resent. */
  readonly neverSent: boolean;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** A thrown transport error (never an answer from the provider) as a `KycError`. */
export function transportFailure(
  provider: ProviderId,
  operation: string,
  error: unknown,
  callerSignal?: AbortSignal,
): AttemptFailure {
  if (callerSignal?.aborted) {
    return {
      error: kycError('network', {
        provider,
        message: `${provider}: ${operation} was aborted by the caller`,
        providerCode: ABORTED_CODE,
        retryable: false,
      }),
      neverSent: false,
    };
  }
  const code = errorCode(error);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return {
      error: kycError('timeout', { provider, message: `${provider}: ${operation} did not answer in time` }),
      neverSent: false,
    };
  }
  const neverSent = code !== undefined && NEVER_REACHED_PROVIDER.has(code);
  return {
    error: kycError('network', {
      provider,
      message: `${provider}: ${operation} failed: ${neverSent ? 'could not connect' : 'the connection failed'}${code ? ` (${code})` : ''}`,
      providerCode: code,
    }),
    neverSent,
  };
}

/**
 * Whether the provider may have acted on a call that failed with `error` although no answer said
 * so: a timeout, or a connection that failed other than by the caller's abort.
 */
export function outcomeUnknown(error: KycError): boolean {
  if (error.kind === 'timeout') return true;
  return error.kind === 'network' && error.providerCode !== ABORTED_CODE;
}

/**
 * The error for a call whose outcome stays unknown after the adapter looked: retryable (the caller
 * repeats the call and the adapter looks again before acting), keeping the original kind and codes.
 */
export function unknownOutcomeError(
  provider: ProviderId,
  operation: string,
  cause: KycError,
  advice: string,
): KycError {
  return kycErrorOfKind(cause.kind, {
    provider,
    message: `${provider}: ${operation}: the outcome is unknown (${cause.kind}${cause.providerCode ? `, code ${cause.providerCode}` : ''}); ${advice}`,
    retryable: true,
    httpStatus: cause.httpStatus,
    providerCode: cause.providerCode,
    requestId: cause.requestId,
  });
}
