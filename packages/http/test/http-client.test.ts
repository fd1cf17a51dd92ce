import nock from 'nock';
import * as t from 'io-ts';
import { kycError, kycErrorFromHttpStatus } from '@kycport/core';
import type { KycCallEvent, KycError } from '@kycport/core';
import {
  createHttpClient,
  errorFromCodeTable,
  KYCPORT_VERSION,
  parseRetryAfterMs,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
} from '@kycport/http';
import type { HttpClient, HttpClientConfig, HttpMethod } from '@kycport/http';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { join } from 'node:path';

const BASE = 'https://api.provider.test';
const SECRET = 'sk_staging_super_secret_key_123';
const Ok = t.type({ ok: t.boolean });

/** A whole call in one object (endpoint, input and options), split the way `call` takes them. */
interface HttpRequest<A> {
  readonly operation: string;
  readonly method: HttpMethod;
  readonly pathTemplate: string;
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotent: boolean;
  readonly response: t.Type<A, unknown, unknown>;
  readonly tolerateNonJsonSuccess?: boolean;
  readonly acceptStatus?: (status: number) => boolean;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

function send<A>(http: HttpClient, request: HttpRequest<A>) {
  const { pathTemplate, pathParams, query, body, headers, signal, timeoutMs, ...endpoint } = request;
  return http.call(
    { ...endpoint, path: pathTemplate },
    { pathParams, query, body, headers },
    { signal, timeoutMs },
  );
}

function client(overrides: Partial<HttpClientConfig> = {}) {
  const delays: number[] = [];
  const events: KycCallEvent[] = [];
  const http = createHttpClient({
    provider: 'plu',
    baseUrl: BASE,
    authenticate: () => ({ Authorization: `Bearer ${SECRET}` }),
    mapError: (failure) =>
      kycErrorFromHttpStatus(failure.provider, failure.status, {
        requestId: failure.requestId,
        retryAfterMs: failure.retryAfterMs,
      }),
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    observer: { onCall: (event) => events.push(event) },
    ...overrides,
  });
  return { http, delays, events };
}

function get(overrides: Partial<HttpRequest<{ ok: boolean }>> = {}): HttpRequest<{ ok: boolean }> {
  return {
    operation: 'getStatus',
    method: 'GET',
    pathTemplate: '/v1/users/{id}',
    pathParams: { id: 'u 1' },
    idempotent: true,
    response: Ok,
    ...overrides,
  };
}

async function left<A>(
  task: () => Promise<{ _tag: 'Left'; left: KycError } | { _tag: 'Right'; right: A }>,
): Promise<KycError> {
  const result = await task();
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}

afterEach(() => {
  nock.cleanAll();
});

describe('createHttpClient', () => {
  it('sends auth, User-Agent and encoded path params; decodes the body', async () => {
    const scope = nock(BASE, {
      reqheaders: {
        authorization: `Bearer ${SECRET}`,
        'user-agent': new RegExp(`^kycport/${KYCPORT_VERSION}`),
      },
    })
      .get('/v1/users/u%201')
      .reply(200, { ok: true, extra: 'ignored' }, { 'x-request-id': 'req-123' });
    const { http, events } = client();
    const result = await send(http, get())();
    expect(result).toEqual({
      _tag: 'Right',
      right: { status: 200, data: { ok: true, extra: 'ignored' }, requestId: 'req-123' },
    });
    expect(scope.isDone()).toBe(true);
    expect(events).toEqual([
      expect.objectContaining({
        method: 'GET',
        pathTemplate: '/v1/users/{id}',
        httpStatus: 200,
        outcome: 'success',
        attempt: 1,
        requestId: 'req-123',
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('turns a wrong shape into unexpected_response with the failing path and no values', async () => {
    nock(BASE).get('/v1/users/u%201').reply(200, { ok: 'jane@example.com' });
    const error = await left(send(client().http, get()));
    expect(error).toMatchObject({ kind: 'unexpected_response', httpStatus: 200, retryable: false });
    expect(error.kind === 'unexpected_response' && error.issues).toEqual([
      { path: 'response.ok', message: 'expected boolean' },
    ]);
    expect(JSON.stringify(error)).not.toContain('jane@example.com');
  });

  it('turns malformed JSON into unexpected_response', async () => {
    nock(BASE).get('/v1/users/u%201').reply(200, '{"ok": tru', { 'content-type': 'application/json' });
    const error = await left(send(client().http, get()));
    expect(error).toMatchObject({
      kind: 'unexpected_response',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('accepts a non-JSON success body when the request tolerates it', async () => {
    nock(BASE).post('/v1/upload').reply(201, 'Created');
    const result = await send(client().http, {
      ...get(),
      method: 'POST',
      pathTemplate: '/v1/upload',
      pathParams: {},
      idempotent: false,
      response: t.unknown,
      tolerateNonJsonSuccess: true,
    })();
    expect(result).toEqual({ _tag: 'Right', right: { status: 201, data: undefined } });
  });

  it('retries a safe call on 5xx with exponential backoff, then succeeds', async () => {
    nock(BASE)
      .get('/v1/users/u%201')
      .reply(503)
      .get('/v1/users/u%201')
      .reply(502)
      .get('/v1/users/u%201')
      .reply(200, { ok: true });
    const { http, delays, events } = client();
    const result = await send(http, get())();
    expect(result._tag).toBe('Right');
    expect(delays).toEqual([
      backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0.5),
      backoffDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0.5),
    ]);
    expect(delays[1]).toBeGreaterThan(delays[0] as number);
    expect(events.map((event) => [event.attempt, event.httpStatus, event.willRetry])).toEqual([
      [1, 503, true],
      [2, 502, true],
      [3, 200, false],
    ]);
  });

  it('gives up after maxRetries and returns provider_unavailable with the status', async () => {
    nock(BASE).get('/v1/users/u%201').times(3).reply(500);
    const error = await left(send(client().http, get()));
    expect(error).toMatchObject({ kind: 'provider_unavailable', httpStatus: 500, retryable: true });
  });

  it('never retries an unsafe POST on 5xx or timeout', async () => {
    const scope = nock(BASE).post('/v1/users').reply(500);
    const { http, delays } = client();
    const error = await left(
      send(http, {
        ...get(),
        method: 'POST',
        pathTemplate: '/v1/users',
        pathParams: {},
        idempotent: false,
      }),
    );
    expect(error.kind).toBe('provider_unavailable');
    expect(delays).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it('honours Retry-After on 429 and reports rate_limited when it is too long', async () => {
    nock(BASE)
      .get('/v1/users/u%201')
      .reply(429, {}, { 'Retry-After': '2' })
      .get('/v1/users/u%201')
      .reply(200, { ok: true });
    const first = client();
    expect((await send(first.http, get())())._tag).toBe('Right');
    expect(first.delays).toEqual([2000]);

    nock(BASE).get('/v1/users/u%201').reply(429, {}, { 'Retry-After': '120' });
    const second = client();
    const error = await left(send(second.http, get()));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120000 });
    expect(second.delays).toEqual([]);
  });

  it('times out a slow answer as a retryable timeout error', async () => {
    nock(BASE).get('/v1/users/u%201').times(2).delay(500).reply(200, { ok: true });
    const { http, delays } = client({ retry: { maxRetries: 1 } });
    const error = await left(send(http, get({ timeoutMs: 50 })));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(delays).toHaveLength(1);
  });

  it('reports a caller abort as network ABORTED without retrying', async () => {
    nock(BASE).get('/v1/users/u%201').delay(500).reply(200, { ok: true });
    const controller = new AbortController();
    const { http, delays } = client();
    const pending = send(http, get({ signal: controller.signal }))();
    setTimeout(() => controller.abort(), 20);
    const result = await pending;
    expect(result._tag === 'Left' && result.left).toMatchObject({
      kind: 'network',
      providerCode: 'ABORTED',
      retryable: false,
    });
    expect(delays).toEqual([]);
  });

  it('retries a connection refused even for unsafe calls: the request never reached the server', async () => {
    nock(BASE)
      .post('/v1/users')
      .replyWithError(
        Object.assign(new Error(`connect ECONNREFUSED with ${SECRET}`), { code: 'ECONNREFUSED' }),
      )
      .post('/v1/users')
      .reply(201, { ok: true });
    const { http, delays } = client();
    const result = await send(http, {
      ...get(),
      method: 'POST',
      pathTemplate: '/v1/users',
      pathParams: {},
      idempotent: false,
    })();
    expect(result._tag).toBe('Right');
    expect(delays).toHaveLength(1);
  });

  it('maps a reset connection to network without leaking the axios error, headers or body', async () => {
    nock(BASE)
      .post('/v1/users')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const { http } = client();
    const error = await left(
      send(http, {
        ...get(),
        method: 'POST',
        pathTemplate: '/v1/users',
        pathParams: {},
        body: { email: 'jane@example.com' },
        idempotent: false,
      }),
    );
    expect(error).toMatchObject({ kind: 'network', providerCode: 'ECONNRESET' });
    const rendered = JSON.stringify(error) + inspect(error, { showHidden: true, depth: 10 });
    expect(rendered).not.toContain(SECRET);
    expect(rendered).not.toContain('jane@example.com');
    expect(rendered).not.toMatch(/axios|config|headers/i);
  });

  it('passes failures to the adapter mapper and fills in status and request id', async () => {
    nock(BASE)
      .post('/v1/users')
      .reply(
        400,
        { status: 'error', message: 'DUP_USER', data: { error: 'jane@example.com exists' } },
        { 'x-request-id': 'r-7' },
      );
    const { http } = client({
      mapError: (failure) =>
        errorFromCodeTable(failure, (failure.body as { message?: string }).message, {
          DUP_USER: { kind: 'conflict', message: 'a user with this email already exists' },
        }),
    });
    const error = await left(
      send(http, {
        ...get(),
        method: 'POST',
        pathTemplate: '/v1/users',
        pathParams: {},
        idempotent: false,
      }),
    );
    expect(error).toMatchObject({
      kind: 'conflict',
      providerCode: 'DUP_USER',
      httpStatus: 400,
      requestId: 'r-7',
      retryable: false,
    });
    expect(JSON.stringify(error)).not.toContain('jane@example.com');
  });

  it('keeps an unknown code and falls back by status class', async () => {
    nock(BASE).get('/v1/users/u%201').reply(403, { message: 'SOMETHING_NEW' });
    const { http } = client({
      mapError: (failure) => errorFromCodeTable(failure, (failure.body as { message?: string }).message, {}),
    });
    const error = await left(send(http, get()));
    expect(error).toMatchObject({ kind: 'forbidden', providerCode: 'SOMETHING_NEW', httpStatus: 403 });
  });

  it('does not follow redirects', async () => {
    nock(BASE).get('/v1/users/u%201').reply(302, '', { Location: 'https://evil.test/steal' });
    const error = await left(send(client().http, get()));
    expect(error).toMatchObject({ kind: 'unexpected_response', httpStatus: 302 });
  });

  it('rejects an empty path parameter before sending', async () => {
    const { http, events } = client();
    const error = await left(send(http, get({ pathParams: { id: '' } })));
    expect(error.kind).toBe('validation');
    expect(events).toHaveLength(0);
  });

  it('survives a mapper that throws', async () => {
    nock(BASE).get('/v1/users/u%201').reply(404, 'plain text');
    const { http } = client({
      mapError: () => {
        throw new Error('boom');
      },
    });
    expect(await left(send(http, get()))).toMatchObject({ kind: 'not_found', httpStatus: 404 });
  });

  it('accepts an injected axios adapter', async () => {
    const { http } = client({
      axiosAdapter: async (config) => ({
        data: '{"ok":true}',
        status: 200,
        statusText: 'OK',
        headers: {},
        config,
      }),
    });
    expect(await send(http, get())()).toMatchObject({ _tag: 'Right', right: { data: { ok: true } } });
    http.close();
  });
});

describe('retry policy helpers', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfterMs('3')).toBe(3000);
    expect(
      parseRetryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), () => Date.UTC(2030, 0, 1)),
    ).toBe(10000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });

  it('bounds backoff by maxDelayMs', () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 30, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0)).toBe(DEFAULT_RETRY_POLICY.baseDelayMs / 2);
  });

  it('keeps KYCPORT_VERSION equal to the package version', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(KYCPORT_VERSION).toBe(manifest.version);
  });
});

it('uses kycError for mapper output (type check)', () => {
  expect(kycError('conflict', { provider: 'plu', message: 'x' }).kind).toBe('conflict');
});
