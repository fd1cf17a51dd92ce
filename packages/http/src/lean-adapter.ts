/**
 * kycport's own axios adapter: axios stays the client (its config, transforms and error types are
 * what adapters see), but a request goes straight to `node:http`/`node:https` on the client's
 * keep-alive agents. The stock adapter's per-request work (redirect follower, proxy lookup from
 * the environment, progress streams, an `AxiosHeaders` copy per hop) cost a quarter to a third of
 * its throughput here (docs/performance.md); kycport needs none of it: KYC APIs do not redirect,
 * answers are small JSON, and the transport's own timer bounds every attempt.
 *
 * What it does, to the stock adapter's contract (the transport's tests run through it): the URL
 * from `baseURL`, `url` and `params` (axios's default serialisation), header values sanitised as
 * axios does, JSON/string/Buffer/`FormData` bodies with `Content-Length`, a streamed
 * `maxContentLength`, gzip/deflate/br answers decoded, `signal` and `timeout` honoured, and every
 * failure rejected with axios's own `AxiosError`/`CanceledError` (socket codes kept), so
 * `transportFailure` classifies both adapters' errors alike. It does not follow redirects, use a
 * proxy from `HTTP(S)_PROXY`, report progress or speak HTTP/2: pick the stock adapter
 * (`httpAdapter: 'axios'`) for those.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import type {
  AxiosAdapter,
  AxiosError as AxiosErrorType,
  AxiosResponse,
  AxiosStatic,
  InternalAxiosRequestConfig,
} from 'axios';
import { serializeParams } from './axios-params';

/** The keep-alive agents a lean adapter sends on (one pair per client). */
export interface LeanAdapterAgents {
  /** For `http:` base URLs. */
  readonly http: http.Agent;
  /** For `https:` base URLs. */
  readonly https: https.Agent;
}

type AxiosClasses = Pick<AxiosStatic, 'AxiosError' | 'CanceledError'>;

/**
 * The request URL and path: `url` resolved against `baseURL` as axios's `combineURLs` does, parsed,
 * then `params` appended to the parsed path (not parsed again), as the stock adapter does.
 */
function requestTarget(config: InternalAxiosRequestConfig): { url: URL; path: string } {
  const path = config.url ?? '';
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(path);
  const full =
    absolute || !config.baseURL
      ? path
      : path
        ? `${config.baseURL.replace(/\/?\/$/, '')}/${path.replace(/^\/+/, '')}`
        : config.baseURL;
  const url = new URL(full);
  const query = serializeParams(config.params);
  const target = url.pathname + url.search;
  return { url, path: query ? `${target}${url.search ? '&' : '?'}${query}` : target };
}

// What axios strips from a header value before Node sees it (its `sanitizeByteStringHeaderValue`):
// anything outside a byte string, then spaces and tabs around it. A line break never reaches Node.
// eslint-disable-next-line no-control-regex
const INVALID_HEADER_CHARS = /[^\u0009\u0020-\u007e\u0080-\u00ff]+/g;

function headerValue(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map((item) => headerValue(item) as string);
  return String(value)
    .replace(INVALID_HEADER_CHARS, '')
    .replace(/^[ \t]+|[ \t]+$/g, '');
}

function outgoingHeaders(config: InternalAxiosRequestConfig): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const source = config.headers as Partial<{ toJSON(): Record<string, unknown> }> | undefined;
  const plain =
    typeof source?.toJSON === 'function' ? source.toJSON() : ((source ?? {}) as Record<string, unknown>);
  for (const [name, value] of Object.entries(plain)) {
    if (value !== undefined && value !== null && value !== false) headers[name] = headerValue(value);
  }
  return headers;
}

function findHeader(headers: Record<string, unknown>, name: string): string | undefined {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return key;
  return undefined;
}

type Body = Buffer | Readable | null;

/** A spec `FormData`, told apart as axios's `isSpecCompliantForm` does (so another realm's counts). */
function isSpecForm(value: unknown): value is FormData {
  const form = value as Partial<FormData> | null;
  return (
    typeof form?.append === 'function' &&
    (form as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData' &&
    typeof form[Symbol.iterator] === 'function'
  );
}

function isPromise(value: unknown): value is Promise<Buffer> {
  return typeof (value as Partial<Promise<unknown>> | null)?.then === 'function';
}

/**
 * The body as bytes (a promise only for `FormData`), with the headers it needs; `undefined` for a
 * type the stock adapter refuses too.
 */
function requestBody(
  data: unknown,
  headers: Record<string, string | string[]>,
): Body | Promise<Buffer> | undefined {
  // No body for any falsy value (`''`, `false`, `0`), as the stock adapter sends none.
  if (!data) return null;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (isSpecForm(data)) {
    // The runtime's own multipart encoder (undici's), as the stock adapter's formDataToStream does.
    const encoded = new Response(data);
    const type = findHeader(headers, 'content-type');
    if (type !== undefined) delete headers[type];
    headers['Content-Type'] = encoded.headers.get('content-type') ?? 'multipart/form-data';
    return encoded.arrayBuffer().then((bytes) => Buffer.from(bytes));
  }
  const stream = data as Partial<Readable>;
  if (typeof stream.pipe === 'function' && typeof stream.on === 'function') return data as Readable;
  return undefined;
}

const DECODERS: Readonly<Record<string, string>> = {
  gzip: 'createGunzip',
  'x-gzip': 'createGunzip',
  deflate: 'createInflate',
  br: 'createBrotliDecompress',
};

/** The answer's body stream, decoded when the server compressed it (kycport does not ask it to). */
function bodyStream(
  response: http.IncomingMessage,
  config: InternalAxiosRequestConfig,
  method: string,
): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const decoder = DECODERS[encoding];
  if (!decoder || config.decompress === false || method === 'HEAD' || response.statusCode === 204) {
    return response;
  }
  // Loaded only for a compressed answer: zlib is not needed on kycport's usual path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require('node:zlib') as Record<string, () => NodeJS.ReadWriteStream>;
  delete response.headers['content-encoding'];
  const decoded = response.pipe(zlib[decoder]!() as unknown as NodeJS.WritableStream) as unknown as Readable;
  response.on('error', (error) => decoded.destroy(error));
  return decoded;
}

interface Exchange {
  readonly config: InternalAxiosRequestConfig;
  readonly axios: AxiosClasses;
  readonly resolve: (response: AxiosResponse) => void;
  readonly reject: (error: unknown) => void;
  /** Stops the exchange's timer and signal listener; run when it settles, so neither outlives it. */
  release: () => void;
}

/** Reads the answer to the end (within `maxContentLength`), then settles as axios's `settle` does. */
function readResponse(exchange: Exchange, request: http.ClientRequest, response: http.IncomingMessage): void {
  const { config, axios } = exchange;
  const method = (config.method ?? 'get').toUpperCase();
  const limit = typeof config.maxContentLength === 'number' ? config.maxContentLength : -1;
  const stream = bodyStream(response, config, method);
  const chunks: Buffer[] = [];
  let total = 0;
  const answer: AxiosResponse = {
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    headers: response.headers,
    config,
    request,
    data: undefined,
  };
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (limit > -1 && total > limit) {
      const message = `maxContentLength size of ${limit} exceeded`;
      exchange.reject(new axios.AxiosError(message, 'ERR_BAD_RESPONSE', config, request));
      stream.destroy();
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  // The connection closed before the whole answer came: the stock adapter's 'aborted' case, which
  // Node reports as 'aborted' (deprecated, still emitted), an error, or only a 'close'.
  const cutShort = (): void =>
    exchange.reject(
      new axios.AxiosError('stream has been aborted', 'ERR_BAD_RESPONSE', config, request, answer),
    );
  response.on('aborted', cutShort);
  response.on('close', () => {
    if (!response.complete) cutShort();
  });
  stream.on('error', (error) =>
    stream === response && !response.complete
      ? cutShort()
      : exchange.reject(fromError(axios, error, config, request)),
  );
  stream.on('end', () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (config.responseType === 'arraybuffer') answer.data = body;
    else {
      const text = body.toString((config.responseEncoding as BufferEncoding | undefined) ?? 'utf8');
      answer.data = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    const validate = config.validateStatus;
    if (!validate || validate(answer.status)) exchange.resolve(answer);
    else {
      const code = answer.status >= 400 && answer.status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE';
      const message = `Request failed with status code ${answer.status}`;
      exchange.reject(new axios.AxiosError(message, code, config, request, answer));
    }
  });
}

function fromError(
  axios: AxiosClasses,
  error: unknown,
  config: InternalAxiosRequestConfig,
  request?: http.ClientRequest,
): AxiosErrorType {
  return axios.AxiosError.from(error as Error, undefined, config, request);
}

/** HTTP basic auth as the stock adapter takes it: axios's `auth` option, else the URL's user info. */
function basicAuth(config: InternalAxiosRequestConfig, url: URL): { auth?: string } {
  if (config.auth) return { auth: `${config.auth.username ?? ''}:${config.auth.password ?? ''}` };
  if (!url.username && !url.password) return {};
  return { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` };
}

/** Sends one request and settles `exchange` with its answer or its failure, exactly once. */
function send(
  exchange: Exchange,
  agents: LeanAdapterAgents,
  headers: Record<string, string | string[]>,
  body: Body,
): void {
  const { config, axios } = exchange;
  const { url, path } = requestTarget(config);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    exchange.reject(new axios.AxiosError(`Unsupported protocol ${url.protocol}`, 'ERR_BAD_REQUEST', config));
    return;
  }
  if (Buffer.isBuffer(body)) {
    const length = findHeader(headers, 'content-length');
    if (length !== undefined) delete headers[length];
    headers['Content-Length'] = String(body.length);
  }
  const options: https.RequestOptions = {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || undefined,
    path,
    method: (config.method ?? 'get').toUpperCase(),
    headers,
    agent: secure ? agents.https : agents.http,
    ...basicAuth(config, url),
  };
  const request = (secure ? https : http).request(options, (response) =>
    readResponse(exchange, request, response),
  );
  watch(exchange, request);
  if (body === null) request.end();
  else if (Buffer.isBuffer(body)) request.end(body);
  else {
    // A failing body stream ends the exchange (the request would otherwise wait for its timer).
    body.once('error', (error) => {
      exchange.reject(fromError(axios, error, config, request));
      request.destroy();
    });
    body.pipe(request);
  }
}

/** The request's errors, the caller's `signal` and axios's own `timeout`. */
function watch(exchange: Exchange, request: http.ClientRequest): void {
  const { config, axios } = exchange;
  request.on('error', (error) => exchange.reject(fromError(axios, error, config, request)));
  const signal = config.signal as AbortSignal | undefined;
  const abort = (): void => {
    exchange.reject(new axios.CanceledError(undefined, config, request));
    request.destroy();
  };
  let timer: NodeJS.Timeout | undefined;
  if (typeof config.timeout === 'number' && config.timeout > 0) {
    timer = setTimeout(() => {
      const message = `timeout of ${config.timeout}ms exceeded`;
      const code = config.transitional?.clarifyTimeoutError ? 'ETIMEDOUT' : 'ECONNABORTED';
      exchange.reject(new axios.AxiosError(message, code, config, request));
      request.destroy();
    }, config.timeout);
  }
  signal?.addEventListener('abort', abort, { once: true });
  // Released when the exchange settles: a late timer or abort must never destroy a socket that went
  // back to the keep-alive pool for another request.
  exchange.release = () => {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  };
}

/**
 * kycport's lean axios adapter on `node:http`/`node:https` (see the file's comment for what it does
 * and does not do). `createHttpClient` uses it unless `httpAdapter: 'axios'`; it is exported for
 * benchmarks and for hosts that want the same setup on their own axios instance.
 */
export function createLeanAxiosAdapter(
  agents: LeanAdapterAgents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  },
): AxiosAdapter {
  // axios is already loaded when it calls its adapter: this require is a cache hit.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const axios = (require('axios') as { default: AxiosClasses }).default;
  return (config) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      let settled = false;
      const exchange: Exchange = {
        config,
        axios,
        resolve: (response) => {
          if (settled) return;
          settled = true;
          exchange.release();
          resolve(response);
        },
        reject: (error) => {
          if (settled) return;
          settled = true;
          exchange.release();
          reject(error);
        },
        release: () => undefined,
      };
      const signal = config.signal as AbortSignal | undefined;
      const start = (headers: Record<string, string | string[]>, body: Body): void => {
        if (signal?.aborted) return exchange.reject(new axios.CanceledError(undefined, config));
        try {
          send(exchange, agents, headers, body);
        } catch (error) {
          // Thrown by Node before anything was sent (e.g. an invalid header name), as the stock
          // adapter rejects it: unwrapped, so the transport calls it a local fault.
          exchange.reject(error);
        }
      };
      try {
        const headers = outgoingHeaders(config);
        const body = requestBody(config.data, headers);
        if (body === undefined) {
          const message = 'Data after transformation must be a string, an ArrayBuffer, a Buffer, or a Stream';
          exchange.reject(new axios.AxiosError(message, 'ERR_BAD_REQUEST', config));
        } else if (isPromise(body)) {
          // Not `instanceof Promise`: the runtime's Response may hand back another realm's promise.
          body.then(
            (bytes) => start(headers, bytes),
            (error: unknown) => exchange.reject(fromError(axios, error, config)),
          );
        } else start(headers, body);
      } catch (error) {
        exchange.reject(error);
      }
    });
}
