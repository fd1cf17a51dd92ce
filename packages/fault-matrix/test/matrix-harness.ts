/**
 * Runs fault-matrix cells: one simulator per provider, reused (reset before each cell), and the
 * provider's adapter built as a host without the container would (`parseConfig` of the simulator's
 * settings, then `create`), with a counting observer. The transport's backoff and Retry-After waits
 * are skipped (`sleep` resolves at once): the matrix checks what is sent, not how long it waits.
 */
import { KycException, readUserRef, userRef } from '@kycport/core';
import type { ConfigError, KycAdapter, KycError, KycResult, UserRef } from '@kycport/core';
import { p100Adapter } from '@kycport/p100';
import { plaidAdapter } from '@kycport/plaid';
import { pluAdapter } from '@kycport/plu';
import { startSimulator } from '@kycport/simulators';
import type { ProviderSimulator } from '@kycport/simulators';
import { countingObserver } from '@kycport/testing';
import { CALL_OPTIONS, CREATE_INPUTS, RETRY_OPTIONS, submitInput } from './inputs';
import { FAULTS, OPERATIONS } from './matrix-model';
import type { CellReport, FaultName, OperationName, ProviderName } from './matrix-model';

/** An fp-ts Either, structurally (this package does not depend on fp-ts). */
type Result<A, L = KycError> =
  { readonly _tag: 'Left'; readonly left: L } | { readonly _tag: 'Right'; readonly right: A };

type Observer = ReturnType<typeof countingObserver>;

/** The request each operation's fault hits: its first request that can act (getStatus: its read). */
export const FAULT_TARGETS: Record<
  ProviderName,
  Partial<Record<OperationName, { readonly method: string; readonly path: string }>>
> = {
  plu: {
    createUser: { method: 'POST', path: '/api/v2/partner/card/users' },
    getStatus: { method: 'GET', path: '/api/v1/partner/card/users' },
    retry: { method: 'POST', path: '/api/v2/partner/card/users/{serviceId}/retry-kyc' },
  },
  p100: {
    createUser: { method: 'POST', path: '/v1/user/balances/crypto-and-fiat' },
    getStatus: { method: 'GET', path: '/v1/kyc/status/{externalUserId}' },
    retry: { method: 'POST', path: '/v1/kyc' },
    submitVerification: { method: 'POST', path: '/v1/user/kyc-files/{externalUserId}' },
  },
  plaid: {
    createUser: { method: 'POST', path: '/identity_verification/create' },
    getStatus: { method: 'POST', path: '/identity_verification/list' },
    retry: { method: 'POST', path: '/identity_verification/retry' },
  },
};

export interface ProviderRig {
  readonly name: ProviderName;
  readonly sim: ProviderSimulator;
  /** The adapter with the simulator's settings (P100: the hosted method). */
  readonly adapter: KycAdapter;
  /** P100 only: the same settings with `kycMethod: 'document_upload'` (Method A), for submitVerification. */
  readonly uploads: KycAdapter;
  readonly observer: Observer;
  close(): Promise<void>;
}

function configOf<C>(parsed: Result<C, ConfigError>): C {
  if (parsed._tag === 'Left') throw new KycException(parsed.left);
  return parsed.right;
}

const NO_WAIT = { sleep: (): Promise<void> => Promise.resolve() };

function build(name: ProviderName, settings: Record<string, unknown>, observer: Observer): KycAdapter {
  const dependencies = { observer, transport: NO_WAIT };
  switch (name) {
    case 'plu':
      return pluAdapter.create(configOf(pluAdapter.parseConfig(settings)), dependencies);
    case 'p100':
      return p100Adapter.create(configOf(p100Adapter.parseConfig(settings)), dependencies);
    case 'plaid':
      return plaidAdapter.create(configOf(plaidAdapter.parseConfig(settings)), dependencies);
  }
}

/**
 * The simulator and the adapter(s), warmed up: every operation once without a fault, so code the
 * transport loads on first use (axios, multipart) is not timed inside a cell's short timeout.
 */
export async function startRig(name: ProviderName): Promise<ProviderRig> {
  const sim = await startSimulator(name);
  const observer = countingObserver();
  const adapter = build(name, sim.adapterSettings, observer);
  const uploads =
    name === 'p100'
      ? build(name, { ...sim.adapterSettings, kycMethod: 'document_upload' }, observer)
      : adapter;
  const rig: ProviderRig = {
    name,
    sim,
    adapter,
    uploads,
    observer,
    close: async () => {
      adapter.close();
      uploads.close();
      await sim.close();
    },
  };
  for (const operation of OPERATIONS) {
    const call = await arrange(rig, operation, `warm-up-${operation}`);
    await call();
  }
  sim.reset();
  return rig;
}

function created(result: Result<KycResult>, what: string): UserRef {
  if (result._tag === 'Left')
    throw new Error(`arranging ${what} failed: ${result.left.kind}: ${result.left.message}`);
  return result.right.userRef;
}

type Call = () => Promise<Result<KycResult>>;

/** Puts the simulator in the state the operation needs (without faults); returns the call to make. */
async function arrange(rig: ProviderRig, operation: OperationName, id: string): Promise<Call> {
  const { name, sim, adapter, uploads } = rig;
  const input = CREATE_INPUTS[name](id);
  switch (operation) {
    case 'createUser':
      return () => adapter.provider.createUser(input, CALL_OPTIONS)();
    case 'getStatus': {
      const ref = created(await adapter.provider.createUser(input)(), `${name} getStatus`);
      return () => adapter.provider.getStatus(ref, CALL_OPTIONS)();
    }
    case 'retry': {
      const ref = created(await adapter.provider.createUser(input)(), `${name} retry`);
      // The simulator knows the provider's own id; the adapter hands out the qualified ref.
      await sim.completeHostedFlow(readUserRef(ref).id, 'denied');
      return () => adapter.provider.retry(ref, RETRY_OPTIONS[name])();
    }
    case 'submitVerification': {
      if (name !== 'p100')
        return () => adapter.provider.submitVerification(userRef(id), submitInput(id), CALL_OPTIONS)();
      const ref = created(await uploads.provider.createUser(input)(), 'p100 submitVerification');
      return () => uploads.provider.submitVerification(ref, submitInput(id), CALL_OPTIONS)();
    }
  }
}

/** `ok: <status>, <next action>` for a success, the error kind for a failure. */
export function describeResult(result: Result<KycResult>): string {
  if (result._tag === 'Left') return result.left.kind;
  const { status, nextAction } = result.right.state;
  return `ok: ${status}, ${nextAction.type}`;
}

export interface CellRun {
  readonly report: CellReport;
  /** Calls the adapter reported to its observer during the first call (one per request sent). */
  readonly observedCalls: number;
  /** The first call's error, for failure messages. */
  readonly error?: KycError;
}

/**
 * One cell: reset, arrange, inject the fault (once, on the operation's target request; on any
 * request for an unsupported operation, which must send none), call, and repeat the call as a host
 * would, only after an error that says a repeat is safe.
 */
export async function runCell(
  rig: ProviderRig,
  operation: OperationName,
  fault: FaultName,
): Promise<CellRun> {
  const { sim, observer } = rig;
  const id = `${rig.name}-${operation}-${fault}`.replace(/_/g, '-');
  sim.reset();
  const call = await arrange(rig, operation, id);
  const requestsBefore = sim.requests.length;
  const eventsBefore = observer.count();
  sim.injectFault({ fault: FAULTS[fault].fault, ...FAULT_TARGETS[rig.name][operation], times: 1 });
  const first = await call();
  const requests = sim.requests.length - requestsBefore;
  const observedCalls = observer.count() - eventsBefore;
  sim.clearFaults();
  const error = first._tag === 'Left' ? first.left : undefined;
  const repeat = error?.retryable === true ? describeResult(await call()) : '-';
  const users = sim.users();
  return {
    report: {
      result: describeResult(first),
      retryable: error === undefined ? '-' : error.retryable ? 'yes' : 'no',
      outcome: error === undefined ? '-' : (error.outcome ?? 'none'),
      requests,
      repeat,
      users: users.length,
      attempts: users[0]?.attempts ?? 0,
    },
    observedCalls,
    error,
  };
}
