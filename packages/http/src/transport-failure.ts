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

/**
 * One failed attempt as the retry loop sees it: the error, and whether the request provably never
 * left.
 */
export interface AttemptFailure {
  /** The attempt's error. */
  readonly error: KycError;
  /** True when the request provably never reached the provider, so even unsafe calls may be resent. */
  readonly neverSent: boolean;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Why kycport itself ended an attempt: its own per-attempt timeout or the call's deadline. */
export const ATTEMPT_TIMED_OUT = Symbol('kycport.attemptTimedOut');

function isAxiosError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true
  );
}

function isSizeLimit(error: unknown): boolean {
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return (
    errorCode(error) === 'ERR_BAD_RESPONSE' && typeof message === 'string' && /maxContentLength/.test(message)
  );
}

/**
 * A thrown transport error (never an answer from the provider) as a `KycError` with what it did at
 * the provider. `timedOut` says kycport's own timer ended the attempt.
 */
export function transportFailure(
  provider: ProviderId,
  operation: string,
  error: unknown,
  callerSignal?: AbortSignal,
  timedOut = false,
): AttemptFailure {
  if (callerSignal?.aborted) {
    const message = `${provider}: ${operation} was aborted by the caller`;
    const aborted = kycError('network', {
      provider,
      message,
      providerCode: ABORTED_CODE,
      retryable: false,
      outcome: 'unknown',
    });
    return { error: aborted, neverSent: false };
  }
  const code = errorCode(error);
  if (timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    const message = `${provider}: ${operation} did not answer in time`;
    return { error: kycError('timeout', { provider, message, outcome: 'unknown' }), neverSent: false };
  }
  if (isSizeLimit(error)) {
    const message = `${provider}: ${operation} answered with a body over the size limit`;
    const issues = [{ path: 'response', message: 'exceeds maxResponseBytes' }];
    const tooLarge = kycError('unexpected_response', {
      provider,
      message,
      issues,
      retryable: false,
      outcome: 'unknown',
    });
    return { error: tooLarge, neverSent: false };
  }
  if (!isAxiosError(error) && code === undefined) {
    // Thrown by kycport's own code or by Node before anything was sent (e.g. a header value with a
    // line break): a local fault, not the network, and repeating it cannot help.
    const message = `${provider}: ${operation} failed locally before reaching the provider`;
    return {
      error: kycError('internal', { provider, message, retryable: false, outcome: 'not_sent' }),
      neverSent: true,
    };
  }
  const neverSent = code !== undefined && NEVER_REACHED_PROVIDER.has(code);
  const message = `${provider}: ${operation} failed: ${neverSent ? 'could not connect' : 'the connection failed'}${code ? ` (${code})` : ''}`;
  const failed = kycError('network', {
    provider,
    message,
    providerCode: code,
    outcome: neverSent ? 'not_sent' : 'unknown',
  });
  return { error: failed, neverSent };
}

/**
 * Whether the provider may have acted on a call that failed with `error` although no answer said
 * so (`outcome: 'unknown'`: a timeout, a connection that broke after sending, a success answer that
 * could not be read), other than by the caller's own abort, after which nothing more is sent.
 */
export function outcomeUnknown(error: KycError): boolean {
  return error.outcome === 'unknown' && error.providerCode !== ABORTED_CODE;
}

/**
 * The error for a call whose outcome stays unknown after the adapter looked: retryable, because a
 * repeat of the call looks again before acting (use it only where that holds), keeping the original
 * kind and codes.
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
    outcome: 'unknown',
    httpStatus: cause.httpStatus,
    providerCode: cause.providerCode,
    requestId: cause.requestId,
  });
}
