/**
 * The fault matrix's axes: the providers, the port operations, and the faults, each fault as the
 * simulator rule that produces it. A cell is one (provider, operation, fault); what it must report
 * is in expected-cells.ts, how it runs in matrix-harness.ts.
 */
import type { Fault } from '@kycport/simulators';

export const PROVIDERS = ['plu', 'p100', 'plaid'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const OPERATIONS = ['createUser', 'getStatus', 'retry', 'submitVerification'] as const;
export type OperationName = (typeof OPERATIONS)[number];

/** The per-call `timeoutMs` of every matrix call: short, so timeouts cost little. */
export const CALL_TIMEOUT_MS = 500;

/** How long the simulator holds a request or trickles a body: well past `CALL_TIMEOUT_MS`. */
const HOLD_MS = 10 * CALL_TIMEOUT_MS;

export const FAULTS = {
  timeout_before_acting: {
    label: 'timeout before the provider acted',
    fault: { type: 'timeout_before_acting', ms: HOLD_MS },
  },
  timeout_after_acting: {
    label: 'timeout after it acted (answer lost)',
    fault: { type: 'timeout_after_acting', ms: HOLD_MS },
  },
  reset: { label: 'connection reset', fault: { type: 'reset' } },
  http_500: { label: '500', fault: { type: 'status', status: 500 } },
  http_502: { label: '502', fault: { type: 'status', status: 502 } },
  http_503: { label: '503', fault: { type: 'status', status: 503 } },
  http_429: { label: '429, Retry-After: 1', fault: { type: 'status', status: 429, retryAfterSeconds: 1 } },
  malformed_200: { label: 'malformed 200', fault: { type: 'malformed_json', afterActing: true } },
  wrong_shape_200: { label: 'wrong-shape 200', fault: { type: 'wrong_shape', afterActing: true } },
  slow_body: { label: 'slow body', fault: { type: 'slow_body', ms: HOLD_MS } },
} as const satisfies Record<string, { readonly label: string; readonly fault: Fault }>;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/**
 * What one cell reports, as the docs print it: the first call's result (`ok: <status>, <next
 * action>` or the error kind), its `retryable` and `outcome` (`-` for a success), the requests the
 * simulator saw during it, the result of the host's repeat (made only after a retryable error;
 * `-` otherwise), and then the users at the simulator and the attempts of the user.
 */
export interface CellReport {
  readonly result: string;
  readonly retryable: string;
  readonly outcome: string;
  readonly requests: number;
  readonly repeat: string;
  readonly users: number;
  readonly attempts: number;
}

export interface Cell extends CellReport {
  readonly provider: ProviderName;
  readonly operation: OperationName;
  readonly fault: FaultName;
}
