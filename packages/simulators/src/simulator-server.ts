/**
 * A small loopback HTTP server the provider simulators are built on: routing with `{param}`
 * patterns, JSON bodies, fault injection (before the request acts: delay, connection reset, a
 * timeout, error statuses with Retry-After, malformed JSON, wrong shape; after it acted: the answer
 * lost, late or trickled, or replaced by malformed JSON or a wrong shape) and a control API mounted
 * under `/__control`.
 *
 * Hand-written on node:http rather than express/fastify: the simulators need a dozen routes and
 * raw control over sockets (connection resets) and bodies (malformed JSON), and a framework would
 * be a runtime dependency of every host that installs the simulators.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { compilePattern, matchPattern } from './route-pattern';
import type { CompiledPattern } from './route-pattern';
import { answerWithFault, faultLogStatus, send } from './fault-answers';
import { actsFirst, createFaultQueue, takeAnsweringFault } from './simulator-faults';
import type { Fault, FaultQueue, FaultRule } from './simulator-faults';

/**
 * A request as a simulator route sees it: method, path, query, headers, the raw and parsed body,
 * and the path's parameters.
 */
export interface SimulatorRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** The query parameters. */
  readonly query: URLSearchParams;
  /** The request headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The body bytes as received. */
  readonly rawBody: Buffer;
  /** The values of the route pattern's `{placeholders}`. */
  readonly params: Readonly<Record<string, string>>;
  /** The body parsed as JSON; `undefined` when empty or not JSON (see `bodyIsJson`). */
  readonly body: unknown;
  /** Whether the body parsed as JSON. */
  readonly bodyIsJson: boolean;
}

/** What a simulator route answers. */
export interface SimulatorResponse {
  /** The HTTP status. */
  readonly status: number;
  /** A JSON value, or a string sent as `text/plain` (or as `contentType`). */
  readonly body?: unknown;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `Content-Type` of a string body (default `text/plain`). */
  readonly contentType?: string;
}

/** Answers one request to a route. */
export type RouteHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/** One route of a simulator: a method, a path pattern with `{placeholders}`, and its handler. */
export interface Route {
  /** The HTTP method it answers. */
  readonly method: string;
  /** `/v2/partner/card/users/{serviceId}/retry-kyc` */
  readonly pattern: string;
  /** Answers the requests that match. */
  readonly handler: RouteHandler;
}

/**
 * One answered provider request, as the simulator logs it (`ProviderSimulator.requests`): no bodies
 * or headers.
 */
export interface RequestLogEntry {
  /** The HTTP method. */
  readonly method: string;
  /** The path requested. */
  readonly path: string;
  /** What the client was sent (0: no answer; for `timeout_after_acting`, the answer sent late, if at all). */
  readonly status: number;
  /** The injected fault that shaped the answer, if any. */
  readonly fault?: Fault['type'];
  /**
   * Set when a fault let the route handle the request first (`answer_lost`, `timeout_after_acting`,
   * `slow_body`, `afterActing` junk): the status the route answered, i.e. the simulator acted.
   */
  readonly handledStatus?: number;
}

/**
 * Options of `startSimulatorServer`: where to listen, the provider routes, and the control routes.
 */
export interface SimulatorServerOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The provider's routes (subject to injected faults). */
  readonly routes: ReadonlyArray<Route>;
  /** Mounted under `/__control`; never subject to faults or auth. */
  readonly controlRoutes?: ReadonlyArray<Route>;
}

/** A running simulator HTTP server: its address, the fault queue and the request log. */
export interface SimulatorServer {
  /** Where it listens, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** The port it listens on. */
  readonly port: number;
  /** Queues a fault for matching provider requests. */
  injectFault(rule: FaultRule): void;
  /** Removes every queued fault. */
  clearFaults(): void;
  /** Every provider request answered so far (control requests excluded). */
  readonly requests: ReadonlyArray<RequestLogEntry>;
  /** Empties `requests` (the same array). */
  clearRequests(): void;
  /** Closes open connections and the server. */
  close(): Promise<void>;
}

interface CompiledRoute extends CompiledPattern {
  readonly method: string;
  readonly handler: RouteHandler;
}

function compileRoutes(routes: ReadonlyArray<Route>, prefix = ''): CompiledRoute[] {
  return routes.map((route) => ({
    method: route.method,
    ...compilePattern(`${prefix}${route.pattern}`),
    handler: route.handler,
  }));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The request as the handlers see it, without the params of the route it will match. */
async function readRequest(incoming: IncomingMessage): Promise<Omit<SimulatorRequest, 'params'>> {
  const url = new URL(incoming.url ?? '/', 'http://simulator.local');
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
  return {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    rawBody,
    body,
    bodyIsJson,
  };
}

interface ServerState {
  readonly routes: ReadonlyArray<CompiledRoute>;
  readonly controlRoutes: ReadonlyArray<CompiledRoute>;
  readonly faults: FaultQueue;
  readonly requests: RequestLogEntry[];
}

/** The provider route's answer (404 when no route matches). */
async function routeAnswer(
  state: ServerState,
  request: Omit<SimulatorRequest, 'params'>,
): Promise<SimulatorResponse> {
  const matched = matchPattern(state.routes, request.method, request.path);
  return matched
    ? await matched.route.handler({ ...request, params: matched.params })
    : { status: 404, body: { error: 'no such endpoint in the simulator' } };
}

/**
 * Control routes first (never faulted), then the injected faults, then the provider routes. A fault
 * that acts first (`actsFirst`) lets the route handle the request, then decides what the client gets.
 */
async function handle(
  state: ServerState,
  incoming: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const request = await readRequest(incoming);
  const { method, path } = request;
  const control = matchPattern(state.controlRoutes, method, path);
  if (control) {
    send(response, await control.route.handler({ ...request, params: control.params }));
    return;
  }
  const fault = await takeAnsweringFault(state.faults, method, path);
  if (fault && !actsFirst(fault)) {
    state.requests.push({ method, path, status: faultLogStatus(fault), fault: fault.type });
    await answerWithFault(fault, incoming, response);
    return;
  }
  const answer = await routeAnswer(state, request);
  if (!fault) {
    state.requests.push({ method, path, status: answer.status });
    send(response, answer);
    return;
  }
  const status = faultLogStatus(fault, answer);
  state.requests.push({ method, path, status, fault: fault.type, handledStatus: answer.status });
  await answerWithFault(fault, incoming, response, answer);
}

function listen(server: Server, options: SimulatorServerOptions): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(server.address() as AddressInfo),
    );
  });
}

/**
 * Starts a loopback HTTP server for a simulator: routes its requests, applies injected faults to
 * provider routes (never to control routes under `/__control`), and logs what it answered.
 */
export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const state: ServerState = {
    routes: compileRoutes(options.routes),
    controlRoutes: compileRoutes(options.controlRoutes ?? [], '/__control'),
    faults: createFaultQueue(),
    requests: [],
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming, response) => {
    handle(state, incoming, response).catch(() => {
      if (!response.headersSent) send(response, { status: 500, body: { error: 'simulator failure' } });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const address = await listen(server, options);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    baseUrl: `http://${host}:${address.port}`,
    port: address.port,
    injectFault: (rule) => state.faults.inject(rule),
    clearFaults: () => state.faults.clear(),
    requests: state.requests,
    clearRequests: () => {
      state.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
