/**
 * The transport every adapter uses: one axios instance per adapter with keep-alive agents, no
 * redirect following, a per-attempt deadline, safe retries with backoff, JSON + io-ts decoding and
 * error mapping. Axios errors are turned into `KycError`s here and never escape: they carry the
 * request headers (API keys) and body (personal data).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AxiosAdapter, AxiosInstance, AxiosResponse, AxiosStatic, RawAxiosRequestHeaders } from 'axios';
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type * as t from 'io-ts';
import { decodeResponse, kycError, kycErrorFromHttpStatus, withErrorContext } from '@kycport/core';
import type { KycCallEvent, KycError, KycObserver, ProviderId } from '@kycport/core';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  parseRetryAfterMs,
  sleep as defaultSleep,
} from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { KYCPORT_VERSION } from './version';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A provider answered with a status the request did not accept: what the adapter's mapper sees. */
export interface HttpFailure {
  readonly provider: ProviderId;
  readonly operation: string;
  readonly status: number;
  /** The body parsed as JSON, or undefined when it was not JSON. */
  readonly body: unknown;
  /** The body as text (for providers answering plain text, e.g. P100's `Access Denied. xo1`). */
  readonly text: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
}

/** Maps a provider failure to a `KycError`. Must not copy free text or values into the error. */
export type HttpErrorMapper = (failure: HttpFailure) => KycError;

export interface HttpClientConfig {
  readonly provider: ProviderId;
  readonly baseUrl: string;
  /** Timeout of one attempt: how long the provider may stay silent (axios `timeout`). Default 15 s. */
  readonly timeoutMs?: number;
  /** `false` disables retries. */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Auth headers, computed per request so secrets live only in the adapter's closure. */
  readonly authenticate: () => Readonly<Record<string, string>>;
  readonly mapError: HttpErrorMapper;
  /** Where the provider puts its request id; default: the `x-request-id` / `request-id` headers. */
  readonly requestIdFrom?: (headers: Readonly<Record<string, unknown>>, body: unknown) => string | undefined;
  readonly observer?: KycObserver;
  /** Extra non-secret headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `User-Agent` suffix, e.g. the adapter name. */
  readonly userAgent?: string;
  /** Injectable for tests: a whole axios instance... */
  readonly axiosInstance?: AxiosInstance;
  /** ...or only its adapter. */
  readonly axiosAdapter?: AxiosAdapter;
  /** Injectable clock and randomness for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Largest response body accepted, default 10 MiB. */
  readonly maxResponseBytes?: number;
}

export interface HttpRequest<A> {
  /** Used in messages: `createUser`, `getStatus`... */
  readonly operation: string;
  readonly method: HttpMethod;
  /** `/v2/partner/card/users/{serviceId}/retry-kyc`; reported to the observer as is. */
  readonly pathTemplate: string;
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON value, or `FormData` for multipart uploads. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Safe to send twice (GETs; POSTs the provider deduplicates). Only safe calls are retried. */
  readonly idempotent: boolean;
  readonly response: t.Type<A, unknown, unknown>;
  /**
   * Success bodies that are not JSON decode as `undefined` instead of failing (for endpoints whose
   * success body the provider does not document, e.g. file uploads). Default false.
   */
  readonly tolerateNonJsonSuccess?: boolean;
  /** Statuses decoded as success; default 2xx. */
  readonly acceptStatus?: (status: number) => boolean;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface HttpResponse<A> {
  readonly status: number;
  readonly data: A;
  readonly requestId?: string;
}

export interface HttpClient {
  readonly provider: ProviderId;
  readonly baseUrl: string;
  request<A>(request: HttpRequest<A>): TE.TaskEither<KycError, HttpResponse<A>>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

const NEVER_REACHED_SERVER = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface AttemptFailure {
  readonly error: KycError;
  /** True when the request provably never reached the provider, so even unsafe calls may be retried. */
  readonly neverSent: boolean;
}

export function expandPath(
  template: string,
  params: Readonly<Record<string, string>> = {},
): string | undefined {
  let missing = false;
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') {
      missing = true;
      return '';
    }
    return encodeURIComponent(value);
  });
  return missing ? undefined : path;
}

function headerString(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;
}

function defaultRequestId(headers: Readonly<Record<string, unknown>>): string | undefined {
  return headerString(headers, 'x-request-id') ?? headerString(headers, 'request-id');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // Checked only on failure: trimming every (large) body cost a measurable share of each call.
    return /^\s*$/.test(text) ? { ok: true, value: undefined } : { ok: false };
  }
}

export function createHttpClient(config: HttpClientConfig): HttpClient {
  const provider = config.provider;
  const policy: RetryPolicy =
    config.retry === false
      ? { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }
      : { ...DEFAULT_RETRY_POLICY, ...config.retry };
  const defaultTimeoutMs = config.timeoutMs ?? 15_000;
  const pause = config.sleep ?? defaultSleep;
  const random = config.random ?? Math.random;
  const requestIdFrom = config.requestIdFrom ?? ((headers) => defaultRequestId(headers));
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });
  /**
   * axios is loaded and configured on the first request, not at import: requiring it costs about
   * 90 ms and 16 MB in a fresh process here, more than the rest of kycport together, and a host
   * that imports an adapter at start-up may not call it for a while (see docs/performance.md).
   */
  let instance: AxiosInstance | undefined = config.axiosInstance;
  const axiosInstance = (): AxiosInstance => {
    if (instance) return instance;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const axios = (require('axios') as { default: AxiosStatic }).default;
    instance = axios.create({
      baseURL: config.baseUrl.replace(/\/+$/, ''),
      // KYC APIs do not redirect; axios's redirect follower also cost about a quarter of its throughput here.
      maxRedirects: 0,
      httpAgent,
      httpsAgent,
      // Every status is handled below, so axios never builds an error object holding our headers.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxContentLength: config.maxResponseBytes ?? 10 * 1024 * 1024,
      headers: {
        'User-Agent': `kycport/${KYCPORT_VERSION}${config.userAgent ? ` ${config.userAgent}` : ''} node/${process.versions.node}`,
        Accept: 'application/json',
        ...config.headers,
      },
      ...(config.axiosAdapter ? { adapter: config.axiosAdapter } : {}),
    });
    return instance;
  };

  const mapTransportError = (error: unknown, operation: string, userSignal?: AbortSignal): AttemptFailure => {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? String((error as { code: unknown }).code)
        : undefined;
    if (userSignal?.aborted) {
      return {
        error: kycError('network', {
          provider,
          message: `${provider}: ${operation} was aborted by the caller`,
          providerCode: 'ABORTED',
          retryable: false,
        }),
        neverSent: false,
      };
    }
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return {
        error: kycError('timeout', { provider, message: `${provider}: ${operation} did not answer in time` }),
        neverSent: false,
      };
    }
    const neverSent = code !== undefined && NEVER_REACHED_SERVER.has(code);
    return {
      error: kycError('network', {
        provider,
        message: `${provider}: ${operation} failed: ${neverSent ? 'could not connect' : 'the connection failed'}${code ? ` (${code})` : ''}`,
        providerCode: code,
      }),
      neverSent,
    };
  };

  const attempt = async <A>(
    request: HttpRequest<A>,
    url: string,
  ): Promise<HttpResponse<A> | AttemptFailure> => {
    let response: AxiosResponse<string>;
    try {
      response = await axiosInstance().request<string>({
        method: request.method,
        url,
        params: request.query,
        data: request.body,
        headers: { ...request.headers, ...config.authenticate() } as RawAxiosRequestHeaders,
        // axios's own timeout (the socket may stay silent at most this long). An AbortSignal per
        // request cost about a fifth of the throughput in the benchmark, so one is passed only
        // when the caller gave one.
        timeout: request.timeoutMs ?? defaultTimeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      return mapTransportError(error, request.operation, request.signal);
    }
    const status = response.status;
    const headers = (response.headers ?? {}) as Readonly<Record<string, unknown>>;
    const text =
      typeof response.data === 'string'
        ? response.data
        : response.data === undefined
          ? ''
          : String(response.data);
    const parsed = parseJson(text);
    const body = parsed.ok ? parsed.value : undefined;
    const requestId = requestIdFrom(headers, body);
    const accepted = request.acceptStatus ?? ((code: number) => code >= 200 && code < 300);
    if (accepted(status)) {
      if (!parsed.ok && !request.tolerateNonJsonSuccess) {
        return {
          error: kycError('unexpected_response', {
            provider,
            message: `${provider}: ${request.operation} answered HTTP ${status} with a body that is not JSON`,
            issues: [{ path: 'response', message: 'expected JSON' }],
            httpStatus: status,
            requestId,
          }),
          neverSent: false,
        };
      }
      const decoded = decodeResponse(provider, request.response, body, {
        httpStatus: status,
        requestId,
        operation: request.operation,
      });
      if (decoded._tag === 'Left') return { error: decoded.left, neverSent: false };
      return { status, data: decoded.right, requestId };
    }
    const retryAfterMs = parseRetryAfterMs(headerString(headers, 'retry-after'));
    const failure: HttpFailure = {
      provider,
      operation: request.operation,
      status,
      body,
      text,
      requestId,
      retryAfterMs,
    };
    let mapped: KycError;
    try {
      mapped = config.mapError(failure);
    } catch {
      mapped = kycErrorFromHttpStatus(provider, status, { requestId, retryAfterMs });
    }
    // Fill in what the mapper left out, so every error carries the status and request id.
    return { error: withErrorContext(mapped, { httpStatus: status, requestId }), neverSent: false };
  };

  const run = async <A>(request: HttpRequest<A>): Promise<E.Either<KycError, HttpResponse<A>>> => {
    const path = expandPath(request.pathTemplate, request.pathParams);
    if (path === undefined) {
      return E.left(
        kycError('validation', {
          provider,
          message: `${provider}: ${request.operation}: a path parameter of ${request.pathTemplate} is empty`,
          issues: [{ path: 'ref', message: 'is required' }],
        }),
      );
    }
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      const started = performance.now();
      const outcome = await attempt(request, path);
      const durationMs = performance.now() - started;
      const report = (
        result: Pick<KycCallEvent, 'httpStatus' | 'requestId' | 'outcome' | 'errorKind' | 'willRetry'>,
      ): void =>
        config.observer?.onCall?.({
          provider,
          method: request.method,
          pathTemplate: request.pathTemplate,
          attempt: attemptNumber,
          durationMs,
          ...result,
        });
      if (!('error' in outcome)) {
        report({
          httpStatus: outcome.status,
          requestId: outcome.requestId,
          outcome: 'success',
          willRetry: false,
        });
        return E.right(outcome);
      }
      const { error, neverSent } = outcome;
      const retriesLeft = attemptNumber <= policy.maxRetries;
      const safe = request.idempotent || neverSent;
      const aborted = request.signal?.aborted === true;
      let delayMs: number | undefined;
      if (retriesLeft && safe && error.retryable && !aborted) {
        if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) {
          delayMs = error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
        } else {
          delayMs = backoffDelayMs(policy, attemptNumber, random);
        }
      }
      report({
        httpStatus: error.httpStatus,
        requestId: error.requestId,
        outcome: 'error',
        errorKind: error.kind,
        willRetry: delayMs !== undefined,
      });
      if (delayMs === undefined) return E.left(error);
      try {
        await pause(delayMs, request.signal);
      } catch {
        return E.left(mapTransportError(undefined, request.operation, request.signal).error);
      }
    }
  };

  return {
    provider,
    baseUrl: config.baseUrl,
    request:
      <A>(request: HttpRequest<A>) =>
      () =>
        run(request),
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
