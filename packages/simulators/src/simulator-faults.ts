/**
 * Fault injection of the simulator server: the faults, the queue of rules the next matching
 * requests consume, what each fault answers, and the rule sent to `POST /__control/faults`.
 */
import { compilePattern } from './route-pattern';
import type { SimulatorResponse } from './simulator-server';

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

/** A fault that answers (a `delay` only postpones the answer). */
export type AnsweringFault = Exclude<Fault, { readonly type: 'delay' }>;

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

/** The status the request log records for a fault (0: no answer). */
export function faultLogStatus(fault: AnsweringFault): number {
  return fault.type === 'status' ? fault.status : fault.type === 'reset' ? 0 : 200;
}

/** What a fault answers; `reset` destroys the connection instead. */
export function faultResponse(fault: AnsweringFault): SimulatorResponse | 'reset' {
  switch (fault.type) {
    case 'reset':
      return 'reset';
    case 'status':
      return {
        status: fault.status,
        body: fault.body ?? {},
        headers:
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      };
    case 'malformed_json':
      return { status: 200, body: '{"status": "success", "data": {', contentType: 'application/json' };
    case 'wrong_shape':
      return { status: 200, body: { unexpected: true, data: [] } };
  }
}

type FaultInput = {
  type?: unknown;
  ms?: unknown;
  status?: unknown;
  retryAfterSeconds?: unknown;
  body?: unknown;
};

function parseFault(fault: FaultInput): Fault | undefined {
  switch (fault.type) {
    case 'delay':
      return typeof fault.ms === 'number' ? { type: 'delay', ms: fault.ms } : undefined;
    case 'status':
      if (typeof fault.status !== 'number') return undefined;
      return {
        type: 'status',
        status: fault.status,
        retryAfterSeconds: typeof fault.retryAfterSeconds === 'number' ? fault.retryAfterSeconds : undefined,
        body: fault.body,
      };
    case 'reset':
    case 'malformed_json':
    case 'wrong_shape':
      return { type: fault.type };
    default:
      return undefined;
  }
}

/** Parses a fault rule sent to `POST /__control/faults`. */
export function parseFaultRule(body: unknown): FaultRule | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as { fault?: FaultInput; method?: unknown; path?: unknown; times?: unknown };
  const fault = candidate.fault;
  if (!fault || typeof fault.type !== 'string') return undefined;
  const parsed = parseFault(fault);
  if (parsed === undefined) return undefined;
  return {
    fault: parsed,
    method: typeof candidate.method === 'string' ? candidate.method.toUpperCase() : undefined,
    path: typeof candidate.path === 'string' ? candidate.path : undefined,
    times: typeof candidate.times === 'number' ? candidate.times : undefined,
  };
}
