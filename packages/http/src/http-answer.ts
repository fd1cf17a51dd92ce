/**
 * Reading one provider answer: the body as text and JSON, the request id, and either the decoded
 * success or the adapter's mapping of the failure (the mapper is chosen per endpoint).
 */
import { decodeResponse, kycError, kycErrorFromHttpStatus, withErrorContext } from '@kycport/core';
import type { KycError, ProviderId } from '@kycport/core';
import { parseRetryAfterMs } from './retry-policy';
import type { AttemptFailure } from './transport-failure';
import type { Endpoint, HttpErrorMapper, HttpFailure, HttpResponse } from './http-types';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly data: unknown;
}

export type RequestIdReader = (
  headers: Readonly<Record<string, unknown>>,
  body: unknown,
) => string | undefined;

/**
 * A header's value as a string (the first one of a repeated header), or `undefined` when absent.
 * `name` must be lower case, as Node gives headers.
 */
export function headerString(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;
}

/**
 * Reads a provider's request id from the `x-request-id` or `request-id` header: the default of
 * `HttpClientConfig.requestIdFrom`.
 */
export const defaultRequestId: RequestIdReader = (headers) =>
  headerString(headers, 'x-request-id') ?? headerString(headers, 'request-id');

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // Checked only on failure: trimming every (large) body cost a measurable share of each call.
    return /^\s*$/.test(text) ? { ok: true, value: undefined } : { ok: false };
  }
}

const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** The decoded success, or the failure as a `KycError` (never thrown). */
export function readAnswer<A>(
  provider: ProviderId,
  endpoint: Endpoint<A>,
  answer: RawAnswer,
  mapError: HttpErrorMapper,
  requestIdFrom: RequestIdReader,
): HttpResponse<A> | AttemptFailure {
  const { status, headers } = answer;
  const text =
    typeof answer.data === 'string' ? answer.data : answer.data === undefined ? '' : String(answer.data);
  const parsed = parseJson(text);
  const body = parsed.ok ? parsed.value : undefined;
  const requestId = requestIdFrom(headers, body);
  if ((endpoint.acceptStatus ?? is2xx)(status)) {
    if (!parsed.ok && !endpoint.tolerateNonJsonSuccess) {
      // The provider said it succeeded: it acted, but kycport cannot read what it did.
      const error = kycError('unexpected_response', {
        provider,
        message: `${provider}: ${endpoint.operation} answered HTTP ${status} with a body that is not JSON`,
        issues: [{ path: 'response', message: 'expected JSON' }],
        httpStatus: status,
        requestId,
        outcome: 'unknown',
      });
      return { error, neverSent: false };
    }
    const decoded = decodeResponse(provider, endpoint.response, body, {
      httpStatus: status,
      requestId,
      operation: endpoint.operation,
    });
    if (decoded._tag === 'Left') {
      return { error: withErrorContext(decoded.left, { outcome: 'unknown' }), neverSent: false };
    }
    return { status, data: decoded.right, requestId };
  }
  const retryAfterMs = parseRetryAfterMs(headerString(headers, 'retry-after'));
  const failure: HttpFailure = {
    provider,
    operation: endpoint.operation,
    status,
    body,
    text,
    requestId,
    retryAfterMs,
  };
  let mapped: KycError;
  try {
    mapped = (endpoint.mapError ?? mapError)(failure);
  } catch {
    mapped = kycErrorFromHttpStatus(provider, status, { requestId, retryAfterMs });
  }
  // Fill in what the mapper left out, so every error carries the status and request id. An error
  // status is the provider saying it did not do it (a mapper may say otherwise, e.g. a reused key).
  return {
    error: withErrorContext(mapped, { httpStatus: status, requestId, outcome: 'rejected' }),
    neverSent: false,
  };
}
