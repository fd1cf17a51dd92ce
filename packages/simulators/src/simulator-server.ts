/**
 * A small loopback HTTP server the provider simulators are built on: routing with `{param}`
 * patterns, JSON bodies, fault injection (delay, connection reset, error statuses with
 * Retry-After, malformed JSON, wrong shape) and a control API mounted under `/__control`.
 *
 * Hand-written on node:http rather than express/fastify: the simulators need a dozen routes and
 * raw control over sockets (connection resets) and bodies (malformed JSON), and a framework would
 * be a runtime dependency of every host that installs the testing kit.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  readonly params: Readonly<Record<string, string>>;
  /** The body parsed as JSON; `undefined` when empty or not JSON (see `bodyIsJson`). */
  readonly body: unknown;
  readonly bodyIsJson: boolean;
}

export interface SimulatorResponse {
  readonly status: number;
  /** A JSON value, or a string sent as `text/plain` (or as `contentType`). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

export type RouteHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

export interface Route {
  readonly method: string;
  /** `/v2/partner/card/users/{serviceId}/retry-kyc` */
  readonly pattern: string;
  readonly handler: RouteHandler;
}

export type Fault =
  /** Wait before answering normally (or before the next fault). */
  | { readonly type: 'delay'; readonly ms: number }
  /** Destroy the connection without an answer. */
  | { readonly type: 'reset' }
  /** Answer with this status (e.g. 429 with Retry-After, 500, 503) and an optional body. */
  | {
      readonly type: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly body?: unknown;
    }
  /** Answer 200 with a body that is not JSON. */
  | { readonly type: 'malformed_json' }
  /** Answer 200 with JSON of the wrong shape. */
  | { readonly type: 'wrong_shape' };

export interface FaultRule {
  readonly fault: Fault;
  /** Only requests with this method (any when absent). */
  readonly method?: string;
  /** Only requests whose path matches this pattern (`{param}` allowed; any when absent). */
  readonly path?: string;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly fault?: Fault['type'];
}

export interface SimulatorServerOptions {
  readonly port?: number;
  readonly host?: string;
  readonly routes: ReadonlyArray<Route>;
  /** Mounted under `/__control`; never subject to faults or auth. */
  readonly controlRoutes?: ReadonlyArray<Route>;
}

export interface SimulatorServer {
  readonly baseUrl: string;
  readonly port: number;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Every provider request answered so far (control requests excluded). */
  readonly requests: ReadonlyArray<RequestLogEntry>;
  close(): Promise<void>;
}

interface CompiledRoute {
  readonly method: string;
  readonly regex: RegExp;
  readonly names: ReadonlyArray<string>;
  readonly handler: RouteHandler;
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

function matchRoute(routes: ReadonlyArray<CompiledRoute>, method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.regex.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] as string);
    });
    return { route, params };
  }
  return undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: SimulatorResponse): void {
  const isText = typeof answer.body === 'string';
  const payload =
    answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': answer.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  response.end(payload);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const routes = options.routes.map((route) => ({
    method: route.method,
    ...compile(route.pattern),
    handler: route.handler,
  }));
  const controlRoutes = (options.controlRoutes ?? []).map((route) => ({
    method: route.method,
    ...compile(`/__control${route.pattern}`),
    handler: route.handler,
  }));
  const faults: Array<{ rule: FaultRule; remaining: number; regex?: RegExp }> = [];
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();

  const takeFault = (method: string, path: string): Fault | undefined => {
    const index = faults.findIndex(
      (entry) =>
        (!entry.rule.method || entry.rule.method === method) && (!entry.regex || entry.regex.test(path)),
    );
    if (index < 0) return undefined;
    const entry = faults[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) faults.splice(index, 1);
    return entry.rule.fault;
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(incoming.url ?? '/', 'http://simulator.local');
    const method = (incoming.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(incoming);
    let body: unknown;
    let bodyIsJson = false;
    if (rawBody.length > 0 && !String(incoming.headers['content-type'] ?? '').startsWith('multipart/')) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
        bodyIsJson = true;
      } catch {
        body = undefined;
      }
    }
    const base = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      rawBody,
      body,
      bodyIsJson,
    };

    const control = matchRoute(controlRoutes, method, url.pathname);
    if (control) {
      send(response, await control.route.handler({ ...base, params: control.params }));
      return;
    }

    let fault = takeFault(method, url.pathname);
    while (fault?.type === 'delay') {
      await sleep(fault.ms);
      fault = takeFault(method, url.pathname);
    }
    if (fault) {
      requests.push({
        method,
        path: url.pathname,
        status: fault.type === 'status' ? fault.status : fault.type === 'reset' ? 0 : 200,
        fault: fault.type,
      });
      switch (fault.type) {
        case 'reset':
          incoming.socket.destroy();
          return;
        case 'status':
          send(response, {
            status: fault.status,
            body: fault.body ?? {},
            headers:
              fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
          });
          return;
        case 'malformed_json':
          send(response, {
            status: 200,
            body: '{"status": "success", "data": {',
            contentType: 'application/json',
          });
          return;
        case 'wrong_shape':
          send(response, { status: 200, body: { unexpected: true, data: [] } });
          return;
      }
    }

    const matched = matchRoute(routes, method, url.pathname);
    const answer: SimulatorResponse = matched
      ? await matched.route.handler({ ...base, params: matched.params })
      : { status: 404, body: { error: 'no such endpoint in the simulator' } };
    requests.push({ method, path: url.pathname, status: answer.status });
    send(response, answer);
  };

  const server: Server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      if (!response.headersSent) send(response, { status: 500, body: { error: 'simulator failure' } });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${host}:${address.port}`,
    port: address.port,
    injectFault: (rule) => {
      faults.push({
        rule,
        remaining: rule.times ?? 1,
        regex: rule.path ? compile(rule.path).regex : undefined,
      });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Parses a fault rule sent to `POST /__control/faults`. */
export function parseFaultRule(body: unknown): FaultRule | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as {
    fault?: { type?: unknown; ms?: unknown; status?: unknown; retryAfterSeconds?: unknown; body?: unknown };
    method?: unknown;
    path?: unknown;
    times?: unknown;
  };
  const fault = candidate.fault;
  if (!fault || typeof fault.type !== 'string') return undefined;
  let parsed: Fault;
  switch (fault.type) {
    case 'delay':
      if (typeof fault.ms !== 'number') return undefined;
      parsed = { type: 'delay', ms: fault.ms };
      break;
    case 'status':
      if (typeof fault.status !== 'number') return undefined;
      parsed = {
        type: 'status',
        status: fault.status,
        retryAfterSeconds: typeof fault.retryAfterSeconds === 'number' ? fault.retryAfterSeconds : undefined,
        body: fault.body,
      };
      break;
    case 'reset':
    case 'malformed_json':
    case 'wrong_shape':
      parsed = { type: fault.type };
      break;
    default:
      return undefined;
  }
  return {
    fault: parsed,
    method: typeof candidate.method === 'string' ? candidate.method.toUpperCase() : undefined,
    path: typeof candidate.path === 'string' ? candidate.path : undefined,
    times: typeof candidate.times === 'number' ? candidate.times : undefined,
  };
}
