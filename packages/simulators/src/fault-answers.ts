/**
 * How the simulator server puts an answer, or a fault, on the wire: JSON or text bodies, an
 * answer held until the client gives up, a body trickled over time, a connection destroyed
 * without an answer. Used by simulator-server.ts; the faults themselves are in simulator-faults.ts.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AnsweringFault } from './simulator-faults';
import type { SimulatorResponse } from './simulator-server';

interface Serialized {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly payload: Buffer;
}

function serialize(answer: SimulatorResponse): Serialized {
  const isText = typeof answer.body === 'string';
  const text =
    answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
  const payload = Buffer.from(text, 'utf8');
  return {
    status: answer.status,
    headers: {
      'content-type': answer.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json'),
      'content-length': payload.length,
      ...answer.headers,
    },
    payload,
  };
}

/** Sends the whole answer at once. */
export function send(response: ServerResponse, answer: SimulatorResponse): void {
  const { status, headers, payload } = serialize(answer);
  response.writeHead(status, headers);
  response.end(payload);
}

/** Resolves after `ms`, or as soon as the client closes the connection (it gave up). */
export function holdConnection(ms: number, socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('close', done);
  });
}

const TRICKLE_CHUNKS = 10;

/** Sends the status and headers at once, then the body in small pieces spread over `ms`. */
export async function sendSlowly(
  response: ServerResponse,
  answer: SimulatorResponse,
  ms: number,
): Promise<void> {
  const { status, headers, payload } = serialize(answer);
  const socket = response.socket;
  response.writeHead(status, headers);
  const step = Math.max(1, Math.ceil(payload.length / TRICKLE_CHUNKS));
  const pieces = Math.max(1, Math.ceil(payload.length / step));
  for (let offset = 0; offset < payload.length; offset += step) {
    if (socket === null || socket.destroyed) return;
    response.write(payload.subarray(offset, offset + step));
    await holdConnection(ms / pieces, socket);
  }
  if (socket !== null && !socket.destroyed) response.end();
}

/** The status the request log records for a fault (0: no answer; the route's own when it answers late). */
export function faultLogStatus(fault: AnsweringFault, handled?: SimulatorResponse): number {
  switch (fault.type) {
    case 'status':
      return fault.status;
    case 'malformed_json':
    case 'wrong_shape':
      return 200;
    case 'timeout_after_acting':
    case 'slow_body':
      return handled?.status ?? 0;
    default:
      return 0;
  }
}

/** The junk a `malformed_json` or `wrong_shape` fault answers with. */
function junk(fault: { readonly type: 'malformed_json' | 'wrong_shape' }): SimulatorResponse {
  return fault.type === 'malformed_json'
    ? { status: 200, body: '{"status": "success", "data": {', contentType: 'application/json' }
    : { status: 200, body: { unexpected: true, data: [] } };
}

/**
 * Puts a fault on the wire. `handled` is the route's answer when the fault let the route act first
 * (`actsFirst`); it is sent late (`timeout_after_acting`) or slowly (`slow_body`), or not at all.
 */
export async function answerWithFault(
  fault: AnsweringFault,
  incoming: IncomingMessage,
  response: ServerResponse,
  handled?: SimulatorResponse,
): Promise<void> {
  const socket = incoming.socket;
  switch (fault.type) {
    case 'reset':
      socket.destroy();
      return;
    case 'timeout_before_acting':
      await holdConnection(fault.ms, socket);
      socket.destroy();
      return;
    case 'answer_lost':
      if (fault.afterMs !== undefined && fault.afterMs > 0) await holdConnection(fault.afterMs, socket);
      socket.destroy();
      return;
    case 'timeout_after_acting':
      await holdConnection(fault.ms, socket);
      if (!socket.destroyed && handled) send(response, handled);
      return;
    case 'slow_body':
      if (handled) await sendSlowly(response, handled, fault.ms);
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
    case 'wrong_shape':
      send(response, junk(fault));
      return;
  }
}
