/**
 * The transport's types: endpoints as data, what a call sends, what a failure looks like to an
 * adapter's error mapper, and the client's settings.
 */
import type { AxiosAdapter, AxiosInstance } from 'axios';
import type * as TE from 'fp-ts/TaskEither';
import type * as t from 'io-ts';
import type { CallOptions, KycError, KycObserver, KycTransportSettings, ProviderId } from '@kycport/core';
import type { RetryPolicy } from './retry-policy';

/** The HTTP methods an endpoint may declare. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A provider answered with a status the request did not accept: what the adapter's mapper sees. */
export interface HttpFailure {
  /** The provider that answered. */
  readonly provider: ProviderId;
  /** The failed operation, e.g. `createUser`. */
  readonly operation: string;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The body parsed as JSON, or undefined when it was not JSON. */
  readonly body: unknown;
  /** The body as text (for providers answering plain text, e.g. P100's `Access Denied. xo1`). */
  readonly text: string;
  /** The provider's request id, when it sent one. */
  readonly requestId?: string;
  /** The `Retry-After` delay in milliseconds, when the provider sent one. */
  readonly retryAfterMs?: number;
}

/** Maps a provider failure to a `KycError`. Must not copy free text or values into the error. */
export type HttpErrorMapper = (failure: HttpFailure) => KycError;

/**
 * The settings of `createHttpClient`: the provider, where it lives, how to authenticate and map
 * errors, and the timing and retry limits.
 */
export interface HttpClientConfig {
  /** The provider this client calls (in errors and observer events). */
  readonly provider: ProviderId;
  /** The provider's base URL; endpoint paths are appended to it. */
  readonly baseUrl: string;
  /** The most one attempt may take, from sending to the last byte of the answer. Default 15 s. */
  readonly timeoutMs?: number;
  /** The most one request may take over all its attempts, backoff and answers. Default 60 s. */
  readonly deadlineMs?: number;
  /** `false` disables retries. */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Auth headers, computed per request so secrets live only in the adapter's closure. */
  readonly authenticate: () => Readonly<Record<string, string>>;
  /** Maps the provider's failure answers to `KycError` values. */
  readonly mapError: HttpErrorMapper;
  /** Where the provider puts its request id; default: the `x-request-id` / `request-id` headers. */
  readonly requestIdFrom?: (headers: Readonly<Record<string, unknown>>, body: unknown) => string | undefined;
  /** Told about every attempt (no headers, bodies or personal data). */
  readonly observer?: KycObserver;
  /** Extra non-secret headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `User-Agent` suffix, e.g. the adapter name. */
  readonly userAgent?: string;
  /**
   * Which axios adapter sends the requests: `'lean'` (default), kycport's own on `node:http` with
   * keep-alive agents, or `'axios'`, axios's stock Node adapter, for what the lean one leaves out:
   * a proxy from `HTTP(S)_PROXY`/`NO_PROXY`, HTTP/2, or an exact match of axios's own wire
   * behaviour (it advertises `Accept-Encoding: gzip, compress, deflate, br`). Ignored when
   * `axiosInstance` or `axiosAdapter` is given.
   */
  readonly httpAdapter?: KycTransportSettings['httpAdapter'];
  /** Injectable for tests: a whole axios instance... */
  readonly axiosInstance?: AxiosInstance;
  /** ...or only its adapter. */
  readonly axiosAdapter?: AxiosAdapter;
  /** Injectable clock and randomness for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for retry jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Largest response body accepted, default 10 MiB. */
  readonly maxResponseBytes?: number;
}

/**
 * One provider endpoint, declared as data in the adapter's `x-api.ts`: what the call is named, where
 * it goes, whether it is safe to send twice, how its answer decodes and, where one endpoint reads
 * failures differently from the rest of the provider, its own error mapper.
 */
export interface Endpoint<A> {
  /** Used in messages and observer events: `createUser`, `getStatus`... */
  readonly operation: string;
  /** The HTTP method. */
  readonly method: HttpMethod;
  /** `/v2/partner/card/users/{serviceId}/retry-kyc`; reported to the observer as is. */
  readonly path: string;
  /** Safe to send twice (GETs; POSTs the provider deduplicates). Only safe calls are retried. */
  readonly idempotent: boolean;
  /**
   * Decodes a success answer's body; a body that does not decode is an `unexpected_response` error.
   */
  readonly response: t.Type<A, unknown, unknown>;
  /** Non-secret headers on every call of this endpoint (e.g. `Content-Type`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses decoded as success; default 2xx. */
  readonly acceptStatus?: (status: number) => boolean;
  /**
   * Success bodies that are not JSON decode as `undefined` instead of failing (for endpoints whose
   * success body the provider does not document, e.g. file uploads). Default false.
   */
  readonly tolerateNonJsonSuccess?: boolean;
  /** This endpoint's failures, where they differ from the client's `mapError`. */
  readonly mapError?: HttpErrorMapper;
}

/** Declares an endpoint (an identity that fixes the response type for inference). */
export function defineEndpoint<A>(endpoint: Endpoint<A>): Endpoint<A> {
  return endpoint;
}

/** What one call of an endpoint sends. */
export interface EndpointInput {
  /** Values for the path's `{placeholders}`, URL-encoded when substituted. */
  readonly pathParams?: Readonly<Record<string, string>>;
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON value, or `FormData` for multipart uploads. */
  readonly body?: unknown;
  /** Per-call headers (e.g. an idempotency key). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A decoded success answer. */
export interface HttpResponse<A> {
  /** The HTTP status. */
  readonly status: number;
  /** The body, decoded by the endpoint's codec. */
  readonly data: A;
  /** The provider's request id, when it sent one. */
  readonly requestId?: string;
}

/** The transport of one provider, made by `createHttpClient`. */
export interface HttpClient {
  /** The provider it calls. */
  readonly provider: ProviderId;
  /** The provider's base URL. */
  readonly baseUrl: string;
  /** Calls `endpoint`; `options` are the port method's own (signal, timeout, deadline), validated here. */
  call<A>(
    endpoint: Endpoint<A>,
    input?: EndpointInput,
    options?: Pick<CallOptions, 'signal' | 'timeoutMs' | 'deadlineMs'> | null,
  ): TE.TaskEither<KycError, HttpResponse<A>>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}
