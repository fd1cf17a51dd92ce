/**
 * Issue 17: kycport's lean axios adapter against axios's stock Node adapter. The same calls go to
 * one recording loopback server through both, and what the server saw (method, URL, headers that
 * matter, body) and what the caller got (answer or `KycError`) must be the same. The transport's
 * other tests run through the lean adapter, which is the default.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import axios from 'axios';
import fc from 'fast-check';
import * as t from 'io-ts';
import { isWellFormedText, kycErrorFromHttpStatus } from '@kycport/core';
import { createHttpClient, createLeanAxiosAdapter, defineEndpoint } from '@kycport/http';
import type { HttpClientConfig } from '@kycport/http';
import { serializeParams } from '../src/axios-params';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback server that records each request and answers with the current handler. */
async function recorder(): Promise<{
  url: string;
  seen: Seen[];
  answer(handler: Handler): void;
  server: Server;
}> {
  const seen: Seen[] = [];
  let handler: Handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // Per-connection headers differ by design (the stock adapter asks for compressed answers).
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          ([name]) => !['host', 'connection', 'accept-encoding'].includes(name),
        ),
      );
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('latin1'),
      });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, answer: (next) => void (handler = next), server };
}

let runs = 0;

const Ok = t.type({ ok: t.boolean });
const endpoint = (method: 'GET' | 'POST', idempotent = method === 'GET') =>
  defineEndpoint({ operation: 'getStatus', method, path: '/v1/users/{id}', idempotent, response: Ok });

function clientFor(
  baseUrl: string,
  httpAdapter: 'lean' | 'axios',
  overrides: Partial<HttpClientConfig> = {},
) {
  return createHttpClient({
    provider: 'plu',
    baseUrl,
    authenticate: () => ({ Authorization: 'Bearer sk_staging_lean' }),
    mapError: (failure) =>
      kycErrorFromHttpStatus(failure.provider, failure.status, { requestId: failure.requestId }),
    sleep: async () => undefined,
    random: () => 0.5,
    httpAdapter,
    // Tells this client's requests apart from a late one of an earlier run (e.g. one aborted).
    headers: { 'X-Run': String(runs) },
    ...overrides,
  });
}

let target: Awaited<ReturnType<typeof recorder>>;
beforeAll(async () => {
  target = await recorder();
});
afterAll(() => {
  target.server.closeAllConnections();
  target.server.close();
});
beforeEach(() => {
  target.seen.length = 0;
  target.answer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
    response.end('{"ok":true}');
  });
});

/** The same call through both adapters: what the server saw and what the caller got, per adapter. */
async function both(
  call: (client: ReturnType<typeof clientFor>) => Promise<unknown>,
  overrides: Partial<HttpClientConfig> = {},
): Promise<{ lean: { seen: Seen[]; result: unknown }; stock: { seen: Seen[]; result: unknown } }> {
  const run = async (adapter: 'lean' | 'axios') => {
    runs += 1;
    const mine = (): Seen[] => target.seen.filter((seen) => seen.headers['x-run'] === String(runs));
    const client = clientFor(target.url, adapter, overrides);
    try {
      const result = await call(client);
      // A request the client wrote reaches the server; wait for it before counting.
      // (An answered call was recorded before its answer; only a call cut short by the client waits.)
      const cutShort = (result as { left?: { outcome?: string; httpStatus?: number } }).left;
      const mayLag = cutShort?.outcome === 'unknown' && cutShort.httpStatus === undefined;
      for (let wait = 0; mayLag && wait < 100 && mine().length === 0; wait += 1)
        await new Promise((r) => setTimeout(r, 10));
      return {
        seen: mine().map(({ headers: { 'x-run': _run, ...headers }, ...seen }) => ({ ...seen, headers })),
        result,
      };
    } finally {
      client.close();
    }
  };
  const lean = await run('lean');
  const stock = await run('axios');
  return { lean, stock };
}

describe('the lean adapter sends what the stock adapter sends', () => {
  it('query parameters: the same bytes as axios’s own serialisation, for any values', () => {
    const value = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(undefined),
      fc.constant(null),
    );
    fc.assert(
      // Keys: kycport's are fixed names; these add spaces around and characters that need escaping.
      fc.property(
        fc.dictionary(fc.stringMatching(/^ ?[\w.~\-:$, \u00e9]{1,10} ?$/), fc.oneof(value, fc.array(value))),
        (params) => {
          const expected = axios.getUri({ url: '/x', params }).replace(/^\/x\??/, '');
          expect(serializeParams(params)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a JSON POST with path parameters, query and per-call headers: the same request and result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter(isWellFormedText),
        fc.dictionary(
          fc.stringMatching(/^[A-Za-z_][\w.]{0,8}$/),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        ),
        // Adapters send JSON objects (axios refuses a bare number body with either adapter).
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.string({ maxLength: 20 }),
        async (id, query, body, headerValue) => {
          const { lean, stock } = await both((client) =>
            client.call(endpoint('POST'), {
              pathParams: { id },
              query,
              body,
              headers: { 'X-Trace': headerValue, 'Idempotency-Key': 'k-1' },
            })(),
          );
          expect(lean.seen).toEqual(stock.seen);
          expect(lean.result).toEqual(stock.result);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a multipart FormData upload arrives as the same parts', async () => {
    const form = () => {
      const data = new FormData();
      data.append(
        'files',
        new Blob([new Uint8Array([0xff, 0xd8, 0, 1, 254])], { type: 'image/jpeg' }),
        'f.jpg',
      );
      data.append('note', 'ünïcode');
      return data;
    };
    const { lean, stock } = await both((client) =>
      client.call(endpoint('POST'), { pathParams: { id: 'u1' }, body: form() })(),
    );
    const parts = async (seen: Seen) => {
      const parsed = await new Response(Buffer.from(seen.body, 'latin1'), {
        headers: { 'content-type': seen.headers['content-type'] ?? '' },
      }).formData();
      const file = parsed.get('files') as File;
      return [parsed.get('note'), file.name, file.type, [...new Uint8Array(await file.arrayBuffer())]];
    };
    expect(lean.seen).toHaveLength(1);
    expect(Number(lean.seen[0]!.headers['content-length'])).toBe(lean.seen[0]!.body.length);
    expect(await parts(lean.seen[0]!)).toEqual(await parts(stock.seen[0]!));
    expect(await parts(lean.seen[0]!)).toEqual(['ünïcode', 'f.jpg', 'image/jpeg', [0xff, 0xd8, 0, 1, 254]]);
    expect(lean.result).toEqual(stock.result);
  });
});

describe('the lean adapter reads what the stock adapter reads', () => {
  const answers: ReadonlyArray<[string, Handler]> = [
    ['a 503 with Retry-After', (_q, r) => void r.writeHead(503, { 'retry-after': '0' }).end('{}')],
    ['a 302 (not followed)', (_q, r) => void r.writeHead(302, { location: '/elsewhere' }).end()],
    ['a body with a BOM', (_q, r) => void r.writeHead(200).end('\uFEFF{"ok":true}')],
    [
      'a gzip body',
      (_q, r) => void r.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"ok":true}')),
    ],
    [
      'a brotli body',
      (_q, r) => void r.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync('{"ok":true}')),
    ],
    [
      'a corrupt gzip body',
      (_q, r) => void r.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('not gzip at all')),
    ],
    ['an empty 204', (_q, r) => void r.writeHead(204).end()],
    ['HTML', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<html>')],
    ['a socket closed before answering', (request) => request.socket.destroy()],
    [
      'a socket closed in the middle of the body',
      (request, response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('{"ok":');
        setTimeout(() => request.socket.destroy(), 10);
      },
    ],
    [
      'a body over the size limit',
      (_q, r) => void r.writeHead(200).end(JSON.stringify({ ok: true, pad: 'x'.repeat(5000) })),
    ],
  ];

  it.each(answers)('%s: the same result, the same number of requests', async (_label, handler) => {
    target.answer(handler);
    const { lean, stock } = await both(
      (client) => client.call(endpoint('GET'), { pathParams: { id: 'u1' } })(),
      { maxResponseBytes: 1024, retry: { maxRetries: 1 } },
    );
    expect(lean.result).toEqual(stock.result);
    expect(lean.seen.length).toBe(stock.seen.length);
  });

  it('a refused connection: the same not_sent network error', async () => {
    const closed = await recorder();
    const { url } = closed;
    closed.server.close();
    const results = await Promise.all(
      (['lean', 'axios'] as const).map((adapter) =>
        clientFor(url, adapter, { retry: false }).call(endpoint('POST'), { pathParams: { id: 'u1' } })(),
      ),
    );
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({
      left: { kind: 'network', providerCode: 'ECONNREFUSED', outcome: 'not_sent' },
    });
  });

  it('a caller abort and the attempt timeout: the same errors, and the server saw one request', async () => {
    target.answer(() => undefined); // never answers
    const aborted = await both((client) =>
      client.call(endpoint('POST'), { pathParams: { id: 'u1' } }, { signal: AbortSignal.timeout(30) })(),
    );
    expect(aborted.lean.result).toEqual(aborted.stock.result);
    expect(aborted.lean.result).toMatchObject({ left: { kind: 'network', providerCode: 'ABORTED' } });
    const timedOut = await both((client) =>
      client.call(endpoint('POST'), { pathParams: { id: 'u1' } }, { timeoutMs: 30 })(),
    );
    expect(timedOut.lean.result).toEqual(timedOut.stock.result);
    expect(timedOut.lean.result).toMatchObject({
      left: { kind: 'timeout', outcome: 'unknown', retryable: false },
    });
    expect(timedOut.lean.seen).toHaveLength(1);
  });
});

describe('createLeanAxiosAdapter on a plain axios instance', () => {
  it('keeps axios’s contract: validateStatus, timeout, responseType, a stream body, a bad body type', async () => {
    const instance = axios.create({ baseURL: target.url, adapter: createLeanAxiosAdapter() });
    target.answer((_q, r) => void r.writeHead(404, { 'content-type': 'application/json' }).end('{"no":1}'));
    const notFound = await instance.get('/a').catch((error: unknown) => error);
    expect(axios.isAxiosError(notFound)).toBe(true);
    expect(notFound).toMatchObject({ code: 'ERR_BAD_REQUEST', response: { status: 404, data: { no: 1 } } });
    target.answer((_q, r) => void r.writeHead(200).end('{"ok":true}'));
    const bytes = await instance.get('/b', { responseType: 'arraybuffer' });
    expect(Buffer.isBuffer(bytes.data)).toBe(true);
    await instance.post('/c', Readable.from([Buffer.from('streamed')]), {
      headers: { 'content-type': 'text/plain' },
    });
    expect(target.seen.at(-1)).toMatchObject({ method: 'POST', url: '/c', body: 'streamed' });
    const badBody = await instance.post('/d', Symbol('x') as never).catch((error: unknown) => error);
    expect(badBody).toMatchObject({ code: 'ERR_BAD_REQUEST' });
    target.answer(() => undefined);
    const slow = await instance.get('/e', { timeout: 20 }).catch((error: unknown) => error);
    expect(slow).toMatchObject({ code: 'ECONNABORTED' });
    const cancelled = await instance
      .get('/f', { signal: AbortSignal.abort() })
      .catch((error: unknown) => error);
    expect(axios.isCancel(cancelled)).toBe(true);
  });

  it('sends axios’s basic auth, and a body stream that fails ends the call instead of waiting', async () => {
    const instance = axios.create({ baseURL: target.url, adapter: createLeanAxiosAdapter() });
    await instance.get('/auth', { auth: { username: 'user', password: 'pa:ss' } });
    expect(target.seen.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from('user:pa:ss').toString('base64')}`,
    );
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('disk gone'), { code: 'EIO' }));
      },
    });
    const error = await instance
      .post('/broken', failing, { headers: { 'content-type': 'text/plain' } })
      .catch((caught: unknown) => caught);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EIO' });
  });
});
