/**
 * Fault injection of the simulator server: the faults, the queue of rules the next matching
 * requests consume, and the rule sent to `POST /__control/faults`. How a fault reaches the socket
 * is in fault-answers.ts.
 *
 * Two families, by whether the simulator acted on the request (created the user, started the
 * attempt) before the fault hit:
 * - before acting (the provider did nothing): `delay` (then handled normally, late), `reset`,
 *   `timeout_before_acting`, `status`, and `malformed_json` / `wrong_shape` without `afterActing`;
 * - after acting (the provider did it, the client does not learn it): `answer_lost`,
 *   `timeout_after_acting`, `slow_body`, and `malformed_json` / `wrong_shape` with `afterActing: true`.
 */
import { compilePattern } from './route-pattern';

/**
 * What an injected fault does to a matching request: delay it, drop the connection, time out before
 * or after acting, lose the answer, slow the body, answer a status, or answer malformed or wrongly
 * shaped JSON.
 */
export type Fault =
  /** Wait, then handle and answer normally (or take the next fault): late, but the request acts. */
  | { readonly type: 'delay'; readonly ms: number }
  /** Destroy the connection without an answer; the request is never handled. */
  | { readonly type: 'reset' }
  /**
   * Hold the request `ms` (or until the client gives up), then close the connection without
   * handling it: a timeout before the provider acted. Unlike `delay`, the request never acts.
   */
  | { readonly type: 'timeout_before_acting'; readonly ms: number }
  /**
   * Handle the request (the user is created, the attempt started), then hold the answer `ms` and
   * send it only if the client still waits: a timeout after the provider acted.
   */
  | { readonly type: 'timeout_after_acting'; readonly ms: number }
  /**
   * Handle the request, then destroy the connection without answering (after `afterMs`, default
   * 0): the answer is lost after the provider acted.
   */
  | { readonly type: 'answer_lost'; readonly afterMs?: number }
  /** Handle the request, send the status and headers, then trickle the body over `ms`. */
  | { readonly type: 'slow_body'; readonly ms: number }
  /** Answer with this status (e.g. 429 with Retry-After, 500, 503) and an optional body; never handled. */
  | {
      readonly type: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly body?: unknown;
    }
  /** Answer 200 with a body that is not JSON; `afterActing: true` handles the request first. */
  | { readonly type: 'malformed_json'; readonly afterActing?: boolean }
  /** Answer 200 with JSON of the wrong shape; `afterActing: true` handles the request first. */
  | { readonly type: 'wrong_shape'; readonly afterActing?: boolean };

/** The name of a fault (`delay`, `reset`, `status`, ...). */
export type FaultType = Fault['type'];

/**
 * A fault and the requests it applies to, as `injectFault` and `POST /__control/faults` take it.
 */
export interface FaultRule {
  /** What happens to a matching request. */
  readonly fault: Fault;
  /** Only requests with this method (any when absent). */
  readonly method?: string;
  /** Only requests whose path matches this pattern (`{param}` allowed; any when absent). */
  readonly path?: string;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
}

/** A fault that answers (a `delay` only postpones the answer). */
export type AnsweringFault = Exclude<Fault, { readonly type: 'delay' }>;

/** Whether the simulator handles the request (acts) before the fault decides what the client gets. */
export function actsFirst(fault: AnsweringFault): boolean {
  switch (fault.type) {
    case 'answer_lost':
    case 'timeout_after_acting':
    case 'slow_body':
      return true;
    case 'malformed_json':
    case 'wrong_shape':
      return fault.afterActing === true;
    default:
      return false;
  }
}

export interface FaultQueue {
  inject(rule: FaultRule): void;
  clear(): void;
  /** Consumes the first rule matching the request, if any. */
  take(method: string, path: string): Fault | undefined;
}

export function createFaultQueue(): FaultQueue {
  const faults: Array<{ rule: FaultRule; remaining: number; regex?: RegExp }> = [];
  return {
    inject: (rule) => {
      faults.push({
        rule,
        remaining: rule.times ?? 1,
        regex: rule.path ? compilePattern(rule.path).regex : undefined,
      });
    },
    clear: () => {
      faults.length = 0;
    },
    take: (method, path) => {
      const index = faults.findIndex(
        (entry) =>
          (!entry.rule.method || entry.rule.method === method) && (!entry.regex || entry.regex.test(path)),
      );
      if (index < 0) return undefined;
      const entry = faults[index]!;
      entry.remaining -= 1;
      if (entry.remaining <= 0) faults.splice(index, 1);
      return entry.rule.fault;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits out the `delay` faults matching the request, then takes the fault that answers it, if any. */
export async function takeAnsweringFault(
  faults: FaultQueue,
  method: string,
  path: string,
): Promise<AnsweringFault | undefined> {
  let fault = faults.take(method, path);
  while (fault?.type === 'delay') {
    await sleep(fault.ms);
    fault = faults.take(method, path);
  }
  return fault;
}

type FaultInput = {
  type?: unknown;
  ms?: unknown;
  afterMs?: unknown;
  afterActing?: unknown;
  status?: unknown;
  retryAfterSeconds?: unknown;
  body?: unknown;
};

const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

function parseTimedFault(fault: FaultInput): Fault | undefined {
  switch (fault.type) {
    case 'delay':
    case 'timeout_before_acting':
    case 'timeout_after_acting':
    case 'slow_body':
      return isDuration(fault.ms) ? { type: fault.type, ms: fault.ms } : undefined;
    case 'answer_lost':
      if (fault.afterMs === undefined) return { type: 'answer_lost' };
      return isDuration(fault.afterMs) ? { type: 'answer_lost', afterMs: fault.afterMs } : undefined;
    default:
      return undefined;
  }
}

function parseFault(fault: FaultInput): Fault | undefined {
  switch (fault.type) {
    case 'status':
      if (typeof fault.status !== 'number') return undefined;
      return {
        type: 'status',
        status: fault.status,
        retryAfterSeconds: typeof fault.retryAfterSeconds === 'number' ? fault.retryAfterSeconds : undefined,
        body: fault.body,
      };
    case 'reset':
      return { type: 'reset' };
    case 'malformed_json':
    case 'wrong_shape':
      if (fault.afterActing !== undefined && typeof fault.afterActing !== 'boolean') return undefined;
      return fault.afterActing === true ? { type: fault.type, afterActing: true } : { type: fault.type };
    default:
      return parseTimedFault(fault);
  }
}

/** Parses a fault rule sent to `POST /__control/faults`. */
export function parseFaultRule(body: unknown): FaultRule | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as { fault?: FaultInput; method?: unknown; path?: unknown; times?: unknown };
  const fault = candidate.fault;
  if (typeof fault !== 'object' || fault === null || typeof fault.type !== 'string') return undefined;
  const parsed = parseFault(fault);
  if (parsed === undefined) return undefined;
  return {
    fault: parsed,
    method: typeof candidate.method === 'string' ? candidate.method.toUpperCase() : undefined,
    path: typeof candidate.path === 'string' ? candidate.path : undefined,
    times: typeof candidate.times === 'number' ? candidate.times : undefined,
  };
}
