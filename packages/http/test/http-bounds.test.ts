/**
 * Issue 11: what a failed call did at the provider (`outcome`), `retryable` meaning "a repeat is
 * safe", and bounded work: validated call timings, a timeout over the whole attempt, a deadline
 * over all attempts, a size limit that is not retried, local faults classified as `internal`.
 * Each test counts the requests the server saw.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import * as t from 'io-ts';
import { kycErrorFromHttpStatus } from '@kycport/core';
import type { KycError } from '@kycport/core';
import { createHttpClient, defineEndpoint } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';

const BASE = 'https://api.provider.test';
const Ok = t.type({ ok: t.boolean });
const getUser = defineEndpoint({
  operation: 'getStatus',
  method: 'GET',
  path: '/v1/users/{id}',
  idempotent: true,
  response: Ok,
});
const postUser = defineEndpoint({
  operation: 'createUser',
  method: 'POST',
  path: '/v1/users',
  idempotent: false,
  response: Ok,
});

function client(overrides: Partial<HttpClientConfig> = {}) {
  const delays: number[] = [];
  const http = createHttpClient({
    provider: 'plu',
    baseUrl: BASE,
    authenticate: () => ({ Authorization: 'Bearer sk_staging_bounds' }),
    mapError: (failure) =>
      kycErrorFromHttpStatus(failure.provider, failure.status, { requestId: failure.requestId }),
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    ...overrides,
  });
  return { http, delays };
}

async function left<A>(task: () => Promise<{ _tag: 'Left'; left: KycError } | { _tag: 'Right'; right: A }>) {
  const result = await task();
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}

/** A loopback server answering with `handler`; counts the requests it saw. */
async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; seen: () => number; server: Server }> {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    handler?.(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen: () => count, server };
}

afterEach(() => nock.cleanAll());

describe('call timings are validated before any request', () => {
  it.each([0, -5, Number.NaN, 1.5, Number.POSITIVE_INFINITY])(
    'timeoutMs %p is a validation error',
    async (timeoutMs) => {
      const scope = nock(BASE).get('/v1/users/u1').reply(200, { ok: true });
      const error = await left(client().http.call(getUser, { pathParams: { id: 'u1' } }, { timeoutMs }));
      expect(error).toMatchObject({
        kind: 'validation',
        retryable: false,
        outcome: 'not_sent',
        issues: [{ path: 'options.timeoutMs' }],
      });
      expect(scope.isDone()).toBe(false);
    },
  );

  it('deadlineMs 0 is a validation error', async () => {
    const error = await left(client().http.call(getUser, { pathParams: { id: 'u1' } }, { deadlineMs: 0 }));
    expect(error).toMatchObject({ kind: 'validation', issues: [{ path: 'options.deadlineMs' }] });
  });

  it('a lone surrogate in a path parameter is a validation error, not a thrown URIError', async () => {
    const error = await left(client().http.call(getUser, { pathParams: { id: 'a\uD800b' } }));
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent' });
  });
});

describe('outcome and retryable', () => {
  it('an error status is outcome rejected', async () => {
    nock(BASE).post('/v1/users').reply(409, {});
    expect(await left(client().http.call(postUser, { body: {} }))).toMatchObject({
      kind: 'conflict',
      outcome: 'rejected',
    });
  });

  it('a timeout of an unsafe POST is outcome unknown and not safe to repeat; it is sent once', async () => {
    const scope = nock(BASE).post('/v1/users').delay(300).reply(201, { ok: true });
    const error = await left(client().http.call(postUser, { body: {} }, { timeoutMs: 30 }));
    expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown', retryable: false });
    expect(scope.isDone()).toBe(true);
  });

  it('a 2xx the client cannot read is outcome unknown: the provider acted', async () => {
    nock(BASE).post('/v1/users').reply(201, '<html>');
    nock(BASE).post('/v1/users').reply(201, { unexpected: true });
    const { http } = client();
    expect(await left(http.call(postUser, { body: {} }))).toMatchObject({
      kind: 'unexpected_response',
      outcome: 'unknown',
      retryable: false,
    });
    expect(await left(http.call(postUser, { body: {} }))).toMatchObject({
      kind: 'unexpected_response',
      outcome: 'unknown',
      retryable: false,
    });
  });

  it('a refused connection is outcome not_sent', async () => {
    nock(BASE)
      .get('/v1/users/u1')
      .times(3)
      .replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    const error = await left(client().http.call(getUser, { pathParams: { id: 'u1' } }));
    expect(error).toMatchObject({ kind: 'network', outcome: 'not_sent', retryable: true });
  });

  it('a local fault is internal, not a retryable network error, and nothing is sent', async () => {
    const scope = nock(BASE).get('/v1/users/u1').reply(200, { ok: true });
    const { http, delays } = client({
      authenticate: () => {
        throw new TypeError('a bug in the host');
      },
    });
    const error = await left(http.call(getUser, { pathParams: { id: 'u1' } }));
    expect(error).toMatchObject({ kind: 'internal', retryable: false, outcome: 'not_sent' });
    expect(JSON.stringify(error)).not.toContain('a bug in the host');
    expect(delays).toEqual([]);
    expect(scope.isDone()).toBe(false);
  });
});

describe('bounded work', () => {
  it('the per-attempt timeout bounds the whole body, not only silence (a trickled body times out)', async () => {
    const { url, seen, server } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ok":');
      const timer = setInterval(() => response.write(' '), 20);
      setTimeout(() => {
        clearInterval(timer);
        response.end('true}');
      }, 1_000);
    });
    try {
      const started = Date.now();
      const error = await left(
        client({ baseUrl: url, retry: false }).http.call(
          getUser,
          { pathParams: { id: 'u1' } },
          { timeoutMs: 200 },
        ),
      );
      expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown' });
      expect(Date.now() - started).toBeLessThan(900);
      expect(seen()).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('the deadline covers every attempt: no retry starts after it', async () => {
    let seen = 0;
    nock(BASE)
      .get('/v1/users/u1')
      .times(3)
      .delay(150)
      .reply(() => {
        seen += 1;
        return [503, {}];
      });
    const { http } = client({ retry: { maxRetries: 2 } });
    const error = await left(http.call(getUser, { pathParams: { id: 'u1' } }, { deadlineMs: 100 }));
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(seen).toBeLessThanOrEqual(1);
  });

  it('a body over the size limit is fetched once and reported as unexpected_response', async () => {
    const big = JSON.stringify({ ok: true, padding: 'x'.repeat(4_096) });
    const { url, seen, server } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(big);
    });
    try {
      const error = await left(
        client({ baseUrl: url, maxResponseBytes: 1_024 }).http.call(getUser, { pathParams: { id: 'u1' } }),
      );
      expect(error).toMatchObject({ kind: 'unexpected_response', retryable: false });
      expect(seen()).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('options from an untyped caller', () => {
  it('a signal that is not an AbortSignal is a validation error, not a rejected promise', async () => {
    const scope = nock(BASE).get('/v1/users/u1').reply(200, { ok: true });
    const options = { signal: { aborted: false } } as never;
    const error = await left(client().http.call(getUser, { pathParams: { id: 'u1' } }, options));
    expect(error).toMatchObject({ kind: 'validation', issues: [{ path: 'options.signal' }] });
    expect(scope.isDone()).toBe(false);
  });

  it('null options count as none', async () => {
    nock(BASE).get('/v1/users/u1').reply(200, { ok: true });
    const result = await client().http.call(getUser, { pathParams: { id: 'u1' } }, null)();
    expect(result._tag).toBe('Right');
  });
});
