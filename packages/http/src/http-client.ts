/**
 * The transport every adapter uses: one axios instance per adapter on kycport's lean adapter
 * (lean-adapter.ts; the stock one with `httpAdapter: 'axios'`) with keep-alive agents, no
 * redirect following, a per-attempt deadline, safe retries with backoff, JSON + io-ts decoding and
 * error mapping. Axios errors are turned into `KycError`s here and never escape: they carry the
 * request headers (API keys) and body (personal data).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AxiosInstance, AxiosStatic, RawAxiosRequestHeaders } from 'axios';
import * as E from 'fp-ts/Either';
import {
  CallTimingCodec,
  callServerOf,
  decodeInput,
  isWellFormedText,
  kycError,
  withRetryable,
} from '@kycport/core';
import type { CallOptions, KycCallEvent, KycError } from '@kycport/core';
import { defaultRequestId, readAnswer } from './http-answer';
import type { RequestIdReader } from './http-answer';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, sleep as defaultSleep } from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { ATTEMPT_TIMED_OUT, transportFailure } from './transport-failure';
import type { AttemptFailure } from './transport-failure';
import type { Endpoint, EndpointInput, HttpClient, HttpClientConfig, HttpResponse } from './http-types';
import { KYCPORT_VERSION } from './version';
import { createLeanAxiosAdapter } from './lean-adapter';

export * from './http-types';

type PortOptions = Pick<CallOptions, 'signal' | 'timeoutMs' | 'deadlineMs'>;

/**
 * Default of `HttpClientConfig.timeoutMs`: 15 s for one attempt, from sending to the last byte of
 * the answer.
 */
export const DEFAULT_TIMEOUT_MS = 15_000;
/**
 * Default of `HttpClientConfig.deadlineMs`: 60 s for one request over all its attempts and backoff.
 */
export const DEFAULT_DEADLINE_MS = 60_000;

/** When the current attempt must end: its own timeout, capped by what is left of the deadline. */
interface AttemptClock {
  readonly timeoutMs: number;
  readonly deadlineAt: number;
}

/**
 * Fills `{name}` placeholders, URL-encoded; undefined when a parameter is missing, empty or not
 * well-formed Unicode (`encodeURIComponent` would throw on a lone surrogate).
 */
export function expandPath(
  template: string,
  params: Readonly<Record<string, string>> = {},
): string | undefined {
  let missing = false;
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '' || !isWellFormedText(value)) {
      missing = true;
      return '';
    }
    return encodeURIComponent(value);
  });
  return missing ? undefined : path;
}

/**
 * axios is loaded and configured on the first request, not at import: requiring it costs about
 * 90 ms and 16 MB in a fresh process here, more than the rest of kycport together, and a host
 * that imports an adapter at start-up may not call it for a while (see docs/performance.md).
 */
function lazyAxios(config: HttpClientConfig, agents: { http: http.Agent; https: https.Agent }) {
  let instance: AxiosInstance | undefined = config.axiosInstance;
  return (): AxiosInstance => {
    if (instance) return instance;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const axios = (require('axios') as { default: AxiosStatic }).default;
    instance = axios.create({
      baseURL: config.baseUrl.replace(/\/+$/, ''),
      // KYC APIs do not redirect; axios's redirect follower also cost about a quarter of its throughput here.
      maxRedirects: 0,
      httpAgent: agents.http,
      httpsAgent: agents.https,
      // Every status is handled by readAnswer, so axios never builds an error object holding our headers.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxContentLength: config.maxResponseBytes ?? 10 * 1024 * 1024,
      headers: {
        'User-Agent': `kycport/${KYCPORT_VERSION}${config.userAgent ? ` ${config.userAgent}` : ''} node/${process.versions.node}`,
        Accept: 'application/json',
        ...config.headers,
      },
      // kycport's lean adapter on node:http unless the stock one is asked for (or a custom one given).
      ...(config.axiosAdapter
        ? { adapter: config.axiosAdapter }
        : config.httpAdapter === 'axios'
          ? {}
          : { adapter: createLeanAxiosAdapter(agents) }),
    });
    return instance;
  };
}

/** How long to wait before the next attempt, or undefined when the call must not be sent again. */
function retryDelayMs(
  policy: RetryPolicy,
  attemptNumber: number,
  failure: AttemptFailure,
  endpoint: Pick<Endpoint<unknown>, 'idempotent'>,
  random: () => number,
  signal: AbortSignal | undefined,
): number | undefined {
  const { error, neverSent } = failure;
  const retriesLeft = attemptNumber <= policy.maxRetries;
  const safe = endpoint.idempotent || neverSent;
  if (!retriesLeft || !safe || !error.retryable || signal?.aborted === true) return undefined;
  if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  return backoffDelayMs(policy, attemptNumber, random);
}

/** What one client's calls share: its settings with defaults applied, and its lazily made axios. */
interface ClientContext {
  readonly config: HttpClientConfig;
  readonly policy: RetryPolicy;
  readonly defaultTimeoutMs: number;
  readonly defaultDeadlineMs: number;
  readonly pause: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly requestIdFrom: RequestIdReader;
  readonly axiosInstance: () => AxiosInstance;
  /** True when requests go through kycport's lean adapter (neither an injected instance nor adapter). */
  readonly lean: boolean;
  /** `serverAddress` and `serverPort` of every observer event, read once from the base URL. */
  readonly server: Pick<KycCallEvent, 'serverAddress' | 'serverPort'>;
}

/**
 * One attempt: send, then read the answer; a thrown transport error becomes an `AttemptFailure`.
 * A timer bounds the whole attempt (headers and body), not only silence on the socket, and the
 * caller's signal ends it.
 */
async function attempt<A>(
  context: ClientContext,
  endpoint: Endpoint<A>,
  url: string,
  input: EndpointInput,
  options: PortOptions,
  clock: AttemptClock,
): Promise<HttpResponse<A> | AttemptFailure> {
  const { config } = context;
  const budgetMs = Math.max(1, Math.min(clock.timeoutMs, clock.deadlineAt - performance.now()));
  // The lean adapter takes the caller's signal and the budget as they are (its timer bounds the
  // whole exchange, body included, and it settles once); another adapter gets kycport's own
  // controller and timer. An AbortController and its listeners per attempt cost several µs a call.
  const own = context.lean ? undefined : ownAbort(options.signal, budgetMs);
  try {
    const response = await context.axiosInstance().request<string>({
      method: endpoint.method,
      url,
      params: input.query,
      data: input.body,
      // Object.assign, not three spreads: on Node 20 that literal took about 2 µs (docs/performance.md).
      headers: Object.assign(
        {},
        endpoint.headers,
        input.headers,
        config.authenticate(),
      ) as RawAxiosRequestHeaders,
      signal: own ? own.controller.signal : options.signal,
      // Unset (axios's instance default) for another adapter, which kycport's own timer bounds.
      timeout: own ? undefined : budgetMs,
    });
    const headers = (response.headers ?? {}) as Readonly<Record<string, unknown>>;
    const answer = { status: response.status, headers, data: response.data };
    return readAnswer(config.provider, endpoint, answer, config.mapError, context.requestIdFrom);
  } catch (error) {
    const timedOut = own ? own.controller.signal.reason === ATTEMPT_TIMED_OUT : false;
    return transportFailure(config.provider, endpoint.operation, error, options.signal, timedOut);
  } finally {
    own?.release();
  }
}

/** kycport's own abort for an adapter other than the lean one: the caller's signal, or the budget. */
function ownAbort(signal: AbortSignal | undefined, budgetMs: number) {
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => controller.abort(ATTEMPT_TIMED_OUT), budgetMs);
  return {
    controller,
    release: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    },
  };
}

/** Attempts until success, a failure that must not be resent, the deadline, or the retry budget is spent. */
async function run<A>(
  context: ClientContext,
  endpoint: Endpoint<A>,
  input: EndpointInput,
  options: PortOptions,
): Promise<E.Either<KycError, HttpResponse<A>>> {
  const { provider, observer } = context.config;
  const given = { timeoutMs: options.timeoutMs, deadlineMs: options.deadlineMs, signal: options.signal };
  // `is` first: it accepts exactly what `decode` accepts, without decode's context per key; decoding
  // is left to reporting the issues.
  const timing = CallTimingCodec.is(given)
    ? E.right(given)
    : decodeInput(provider, CallTimingCodec, given, 'options');
  if (E.isLeft(timing)) return timing;
  const url = expandPath(endpoint.path, input.pathParams);
  if (url === undefined) {
    return E.left(
      kycError('validation', {
        provider,
        message: `${provider}: ${endpoint.operation}: a path parameter of ${endpoint.path} is empty or not well-formed Unicode`,
        issues: [{ path: 'ref', message: 'is required, as well-formed Unicode' }],
        outcome: 'not_sent',
      }),
    );
  }
  const clock: AttemptClock = {
    timeoutMs: timing.right.timeoutMs ?? context.defaultTimeoutMs,
    deadlineAt: performance.now() + (timing.right.deadlineMs ?? context.defaultDeadlineMs),
  };
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const started = performance.now();
    const outcome = await attempt(context, endpoint, url, input, options, clock);
    const report = (
      result: Pick<KycCallEvent, 'httpStatus' | 'requestId' | 'outcome' | 'errorKind' | 'willRetry'>,
    ): void =>
      observer?.onCall?.({
        provider,
        operation: endpoint.operation,
        ...context.server,
        method: endpoint.method,
        pathTemplate: endpoint.path,
        attempt: attemptNumber,
        durationMs: performance.now() - started,
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
    const error = repeatSafety(outcome.error, endpoint);
    const delayMs = retryDelayMs(
      context.policy,
      attemptNumber,
      { ...outcome, error },
      endpoint,
      context.random,
      options.signal,
    );
    const willRetry = delayMs !== undefined && performance.now() + delayMs < clock.deadlineAt;
    report({
      httpStatus: error.httpStatus,
      requestId: error.requestId,
      outcome: 'error',
      errorKind: error.kind,
      willRetry,
    });
    if (!willRetry) return E.left(error);
    try {
      await context.pause(delayMs, options.signal);
    } catch {
      return E.left(transportFailure(provider, endpoint.operation, undefined, options.signal).error);
    }
  }
}

/**
 * `retryable` means "repeating this call is safe": a call that may have acted at the provider
 * (`outcome: 'unknown'`) is safe to repeat only when the endpoint is idempotent. A flow that checks
 * before acting again (a reconciliation) may set it back with `unknownOutcomeError`.
 */
function repeatSafety(error: KycError, endpoint: Pick<Endpoint<unknown>, 'idempotent'>): KycError {
  return error.outcome === 'unknown' && !endpoint.idempotent && error.retryable
    ? withRetryable(error, false)
    : error;
}

/**
 * Builds the transport an adapter calls its provider with: keep-alive agents, per-attempt timeouts
 * within a deadline, retries of safe requests with backoff, decoding of answers, provider errors
 * mapped to `KycError` values. Its calls never throw; `close()` releases the sockets.
 */
export function createHttpClient(config: HttpClientConfig): HttpClient {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const context: ClientContext = {
    config,
    policy:
      config.retry === false
        ? { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }
        : { ...DEFAULT_RETRY_POLICY, ...config.retry },
    defaultTimeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    defaultDeadlineMs: config.deadlineMs ?? DEFAULT_DEADLINE_MS,
    pause: config.sleep ?? defaultSleep,
    random: config.random ?? Math.random,
    requestIdFrom: config.requestIdFrom ?? defaultRequestId,
    axiosInstance: lazyAxios(config, agents),
    lean: !config.axiosInstance && !config.axiosAdapter && config.httpAdapter !== 'axios',
    server: callServerOf(config.baseUrl),
  };
  return {
    provider: config.provider,
    baseUrl: config.baseUrl,
    call:
      <A>(endpoint: Endpoint<A>, input: EndpointInput = {}, options?: PortOptions | null) =>
      () =>
        // `null` or a non-object from an untyped caller counts as no options, never a TypeError.
        run(context, endpoint, input, typeof options === 'object' && options !== null ? options : {}),
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
