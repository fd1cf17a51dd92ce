/** Table-driven mapping of a provider's error codes, shared by the adapters. */
import { kycErrorFromHttpStatus, kycErrorOfKind } from '@kycport/core';
import type { KycError, KycErrorKind } from '@kycport/core';
import type { HttpFailure } from './http-types';

/** How one provider error code maps to a `KycError`: its kind, a safe message and overrides. */
export interface ProviderCodeRule {
  /** The error kind the code maps to. */
  readonly kind: KycErrorKind;
  /** A safe sentence written by kycport (no provider free text, no values). */
  readonly message: string;
  /** Overrides the kind's default (e.g. P100's P501 arrives as 400 but is transient). */
  readonly retryable?: boolean;
  /** For `retry_limit_reached`: the provider's attempt limit. */
  readonly maxAttempts?: number;
}

/** A provider's error codes and their rules, for `errorFromCodeTable`. */
export type ProviderCodeTable = Readonly<Record<string, ProviderCodeRule>>;

/**
 * Maps by provider code first; an unknown or absent code keeps the code and falls back to the
 * HTTP status class.
 */
export function errorFromCodeTable(
  failure: HttpFailure,
  code: string | undefined,
  table: ProviderCodeTable,
): KycError {
  const rule =
    code !== undefined && Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
  if (rule === undefined) {
    return kycErrorFromHttpStatus(failure.provider, failure.status, {
      providerCode: code,
      requestId: failure.requestId,
      retryAfterMs: failure.retryAfterMs,
    });
  }
  return kycErrorOfKind(rule.kind, {
    provider: failure.provider,
    message: `${failure.provider}: ${failure.operation}: ${rule.message}`,
    retryable: rule.retryable,
    httpStatus: failure.status,
    providerCode: code,
    requestId: failure.requestId,
    retryAfterMs: failure.retryAfterMs,
    maxAttempts: rule.maxAttempts,
  });
}
