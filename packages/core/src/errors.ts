/**
 * The one error union every port method returns on its left side. Errors are plain, frozen values:
 * safe to log, serialize and compare. They never hold a secret, a header, a request or response
 * body, or personal data: messages are written by kycport from codes, and provider free text is
 * left out because providers sometimes echo submitted values in it.
 */
import type { ProviderId } from './provider-id';
import type { UserRef } from './user-ref';

/**
 * What went wrong, provider-neutral: the discriminant of `KycError`. Hosts branch on it (and on
 * `retryable` and `outcome`), never on a provider's own codes.
 */
export type KycErrorKind =
  | 'validation'
  | 'config'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'retry_limit_reached'
  | 'payment_required'
  | 'rate_limited'
  | 'provider_unavailable'
  | 'unexpected_response'
  | 'network'
  | 'timeout'
  | 'unsupported'
  | 'webhook_rejected'
  | 'internal';

/**
 * What a failed call did at the provider, as far as kycport can tell:
 * - `not_sent`: nothing reached the provider (local validation, a refused connection, a local fault);
 * - `rejected`: the provider answered that it did not do it (an error status with its answer);
 * - `unknown`: the provider may have acted (a timeout or a broken connection after sending, or a
 *   success answer kycport could not read). `retryable` then says whether repeating is still safe
 *   (the adapter reconciles before acting again) or not.
 */
export type CallOutcome = 'not_sent' | 'rejected' | 'unknown';

/** One problem found in an input or a configuration: where (a dotted path) and what was expected. */
export interface KycIssue {
  /** Where: a dotted path such as `applicant.phone`, or an environment variable's name. */
  readonly path: string;
  /** What was expected, written by kycport; never the submitted value. */
  readonly message: string;
}

/**
 * The non-enumerable `Symbol.for` key that marks an object as a `KycError`; `isKycError` checks it,
 * so errors from another copy of this package are recognised too.
 */
export const KYC_ERROR_MARKER: unique symbol = Symbol.for('kycport.KycError') as never;

interface KycErrorBase<K extends KycErrorKind> {
  /** What went wrong; narrows the union. */
  readonly kind: K;
  /** Written by kycport; safe to show in logs. Never contains submitted values or secrets. */
  readonly message: string;
  /** The provider whose call failed (or `router` and similar ids for errors of a composition). */
  readonly provider: ProviderId;
  /**
   * Whether repeating the same call is safe and may succeed: never true for a call that may have
   * acted at the provider unless the adapter checks before acting again.
   */
  readonly retryable: boolean;
  /** What the failed call did at the provider (absent for errors that are not about a call, e.g. webhooks). */
  readonly outcome?: CallOutcome;
  /** The provider's HTTP status, when it answered. */
  readonly httpStatus?: number;
  /** The provider's own machine code (`DUP_USER`, `P430`, `INVALID_API_KEYS`, ...). */
  readonly providerCode?: string;
  /** The provider's request id, to quote to its support. */
  readonly requestId?: string;
  /** Set when the provider-side user exists despite the error (e.g. created, but starting KYC failed). */
  readonly userRef?: UserRef;
  readonly [KYC_ERROR_MARKER]: true;
}

/**
 * The input was refused, locally before any request or by the provider; `issues` name the paths.
 */
export interface ValidationError extends KycErrorBase<'validation'> {
  /** The problems found, by path. */
  readonly issues: ReadonlyArray<KycIssue>;
}
/**
 * The configuration is invalid; `issues` name the keys or environment variables, never their
 * values.
 */
export interface ConfigError extends KycErrorBase<'config'> {
  /** The problems found, by configuration key or environment variable name. */
  readonly issues: ReadonlyArray<KycIssue>;
}
/** The provider's rate limit was exceeded; retryable, after `retryAfterMs` when known. */
export interface RateLimitedError extends KycErrorBase<'rate_limited'> {
  /** From `Retry-After` when the provider sent one. */
  readonly retryAfterMs?: number;
}
/**
 * The provider answered with a shape that does not match its documentation; `issues` name the paths
 * that did not decode.
 */
export interface UnexpectedResponseError extends KycErrorBase<'unexpected_response'> {
  /** Paths in the response that did not decode (no values). */
  readonly issues: ReadonlyArray<KycIssue>;
}
/**
 * The provider has no equivalent of the operation (see its declared capabilities); never retryable.
 */
export interface UnsupportedError extends KycErrorBase<'unsupported'> {
  /** The port operation that is not supported, e.g. `submitVerification`. */
  readonly operation: string;
}
/** No verification attempts are left for the user at the provider. */
export interface RetryLimitReachedError extends KycErrorBase<'retry_limit_reached'> {
  /** The provider's attempt limit, when known. */
  readonly maxAttempts?: number;
}

/**
 * The one error every port method returns on its left side (and the Promise facade throws inside a
 * `KycException`): a frozen, serializable value with no secret or personal data. Narrow it by
 * `kind`.
 */
export type KycError =
  | ValidationError
  | ConfigError
  | KycErrorBase<'unauthorized'>
  | KycErrorBase<'forbidden'>
  | KycErrorBase<'not_found'>
  | KycErrorBase<'conflict'>
  | KycErrorBase<'invalid_state'>
  | RetryLimitReachedError
  | KycErrorBase<'payment_required'>
  | RateLimitedError
  | KycErrorBase<'provider_unavailable'>
  | UnexpectedResponseError
  | KycErrorBase<'network'>
  | KycErrorBase<'timeout'>
  | UnsupportedError
  | KycErrorBase<'webhook_rejected'>
  | KycErrorBase<'internal'>;

/**
 * The member of `KycError` with the given kind, e.g. `KycErrorOf<'rate_limited'>` is
 * `RateLimitedError`.
 */
export type KycErrorOf<K extends KycErrorKind> = Extract<KycError, { kind: K }>;

/** The fields a caller supplies; `kind`-specific fields are required where the kind has them. */
export type KycErrorInit<K extends KycErrorKind> = Omit<
  KycErrorOf<K>,
  'kind' | 'retryable' | typeof KYC_ERROR_MARKER
> & { readonly retryable?: boolean };

/** Kinds where trying the same call again later can help, unless a mapper says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<KycErrorKind> = new Set([
  'rate_limited',
  'provider_unavailable',
  'network',
  'timeout',
]);

/**
 * Whether errors of this kind are retryable unless their mapper says otherwise: `rate_limited`,
 * `provider_unavailable`, `network` and `timeout`.
 */
export function isRetryableKind(kind: KycErrorKind): boolean {
  return RETRYABLE_BY_DEFAULT.has(kind);
}

/** Builds a frozen `KycError`. Undefined optional fields are dropped so serialized errors stay small. */
export function kycError<K extends KycErrorKind>(kind: K, init: KycErrorInit<K>): KycErrorOf<K> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(init)) if (value !== undefined) fields[key] = value;
  const error = {
    kind,
    ...fields,
    retryable: init.retryable ?? isRetryableKind(kind),
  } as Record<string | symbol, unknown>;
  Object.defineProperty(error, KYC_ERROR_MARKER, { value: true, enumerable: false });
  return Object.freeze(error) as unknown as KycErrorOf<K>;
}

/** A copy of `error` with extra context (status, request id, user ref) filled in where it was absent. */
export function withErrorContext(
  error: KycError,
  context: {
    readonly httpStatus?: number;
    readonly requestId?: string;
    readonly userRef?: UserRef;
    readonly outcome?: CallOutcome;
  },
): KycError {
  const missing =
    (error.httpStatus === undefined && context.httpStatus !== undefined) ||
    (error.requestId === undefined && context.requestId !== undefined) ||
    (error.userRef === undefined && context.userRef !== undefined) ||
    (error.outcome === undefined && context.outcome !== undefined);
  if (!missing) return error;
  const copy: Record<string | symbol, unknown> = {
    ...error,
    httpStatus: error.httpStatus ?? context.httpStatus,
    requestId: error.requestId ?? context.requestId,
    userRef: error.userRef ?? context.userRef,
    outcome: error.outcome ?? context.outcome,
  };
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  Object.defineProperty(copy, KYC_ERROR_MARKER, { value: true, enumerable: false });
  return Object.freeze(copy) as unknown as KycError;
}

/** A copy of `error` with `retryable` set (a transport or flow decides whether a repeat is safe). */
export function withRetryable(error: KycError, retryable: boolean): KycError {
  if (error.retryable === retryable) return error;
  const copy: Record<string | symbol, unknown> = { ...error, retryable };
  Object.defineProperty(copy, KYC_ERROR_MARKER, { value: true, enumerable: false });
  return Object.freeze(copy) as unknown as KycError;
}

/** A copy of `error` naming another user ref (an adapter's bare id qualified for the host). */
export function withUserRef(error: KycError, userRef: UserRef): KycError {
  if (error.userRef === userRef) return error;
  const copy: Record<string | symbol, unknown> = { ...error, userRef };
  Object.defineProperty(copy, KYC_ERROR_MARKER, { value: true, enumerable: false });
  return Object.freeze(copy) as unknown as KycError;
}

/** True for any `KycError`, also one made by another copy of this package (checks a `Symbol.for` marker). */
export function isKycError(value: unknown): value is KycError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[KYC_ERROR_MARKER] === true
  );
}

/** Narrowing guard: `isKycErrorOfKind(error, 'rate_limited')`. */
export function isKycErrorOfKind<K extends KycErrorKind>(value: unknown, kind: K): value is KycErrorOf<K> {
  return isKycError(value) && value.kind === kind;
}

/** The HTTP status class fallback used when a provider code is unknown or absent. */
export function kindForHttpStatus(status: number): KycErrorKind {
  if (status === 400 || status === 422) return 'validation';
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment_required';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'provider_unavailable';
  return 'unexpected_response';
}

const KIND_DESCRIPTIONS: Record<KycErrorKind, string> = {
  validation: 'the request was rejected as invalid',
  config: 'the configuration is invalid',
  unauthorized: 'the credentials were rejected',
  forbidden: 'the account may not perform this call',
  not_found: 'the user or resource was not found',
  conflict: 'the resource already exists',
  invalid_state: 'the user is not in a state that allows this call',
  retry_limit_reached: 'no verification attempts are left',
  payment_required: 'the provider requires payment before this call',
  rate_limited: 'the provider rate limit was exceeded',
  provider_unavailable: 'the provider failed or is unavailable',
  unexpected_response: 'the provider response did not have the documented shape',
  network: 'the provider could not be reached',
  timeout: 'the provider did not answer in time',
  unsupported: 'the provider does not support this operation',
  webhook_rejected: 'the webhook was not authentic or not well-formed',
  internal:
    'kycport failed locally (a fault in kycport or in how it is called), before the provider answered',
};

/** A generic, safe sentence for a kind, for mappers that have nothing more specific to say. */
export function describeKind(kind: KycErrorKind): string {
  return KIND_DESCRIPTIONS[kind];
}

/** Fields any kind accepts; kind-specific ones are used where the kind has them. */
export interface KycErrorFields {
  readonly message: string;
  readonly provider: ProviderId;
  readonly retryable?: boolean;
  readonly httpStatus?: number;
  readonly providerCode?: string;
  readonly requestId?: string;
  readonly userRef?: UserRef;
  readonly outcome?: CallOutcome;
  readonly issues?: ReadonlyArray<KycIssue>;
  readonly retryAfterMs?: number;
  readonly operation?: string;
  readonly maxAttempts?: number;
}

/** Builds an error of a kind chosen at run time (mapping tables), supplying kind-specific defaults. */
export function kycErrorOfKind(kind: KycErrorKind, fields: KycErrorFields): KycError {
  const { issues, retryAfterMs, operation, maxAttempts, ...common } = fields;
  switch (kind) {
    case 'validation':
    case 'config':
    case 'unexpected_response':
      return kycError(kind, { ...common, issues: issues ?? [] });
    case 'rate_limited':
      return kycError(kind, { ...common, retryAfterMs });
    case 'unsupported':
      return kycError(kind, { ...common, operation: operation ?? 'unknown' });
    case 'retry_limit_reached':
      return kycError(kind, { ...common, maxAttempts });
    default:
      return kycError(kind, common);
  }
}

/** A `KycError` for an HTTP status with no recognised provider code. */
export function kycErrorFromHttpStatus(
  provider: ProviderId,
  status: number,
  extra: { providerCode?: string; requestId?: string; retryAfterMs?: number; message?: string } = {},
): KycError {
  const kind = kindForHttpStatus(status);
  return kycErrorOfKind(kind, {
    provider,
    message:
      extra.message ??
      `${provider}: ${describeKind(kind)} (HTTP ${status}${extra.providerCode ? `, code ${extra.providerCode}` : ''})`,
    httpStatus: status,
    providerCode: extra.providerCode,
    requestId: extra.requestId,
    retryAfterMs: extra.retryAfterMs,
  });
}

/** Thrown by the Promise facade; holds the `KycError` it rejects with. */
export class KycException extends Error {
  static readonly marker: unique symbol = Symbol.for('kycport.KycException') as never;
  /** The error the failed call returned. */
  readonly error: KycError;
  override readonly name = 'KycException';

  /** Wraps `error`; the message is `[kind] message`, safe to log like the error itself. */
  constructor(error: KycError) {
    super(`[${error.kind}] ${error.message}`);
    this.error = error;
    Object.defineProperty(this, KycException.marker, { value: true, enumerable: false });
  }

  /** The wrapped error's kind. */
  get kind(): KycErrorKind {
    return this.error.kind;
  }

  /** Works across duplicate copies of the package, unlike `instanceof`. */
  static isInstance(value: unknown): value is KycException {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[KycException.marker] === true &&
      isKycError((value as { error?: unknown }).error)
    );
  }

  /** What `JSON.stringify` writes: the name, the message and the wrapped error. */
  toJSON(): { name: string; message: string; error: KycError } {
    return { name: this.name, message: this.message, error: this.error };
  }
}
