/**
 * What the store contract's groups share: the store under test (fresh per test), a fixed clock in
 * the store's terms (every `now` is passed in; nothing reads the wall clock), states and inputs.
 */
import { userRef } from '@kycport/core';
import type {
  ApplyOutcome,
  ApplyStateInput,
  KycState,
  KycStatus,
  KycStore,
  ProviderId,
  StateChange,
  UserRef,
} from '@kycport/core';

/** What `describeKycStoreContract`'s setup gives each test: the store, and how to release it. */
export interface KycStoreContractSetup {
  /** The store under test, empty. */
  readonly store: KycStore;
  /** Releases what `setup` opened (a pool, a database); called after each test. */
  close?(): Promise<void>;
}

/** Options of `describeKycStoreContract`. */
export interface KycStoreContractOptions {
  /** fast-check runs per property (default: the global setting, 100 unless `KYCPORT_FUZZ_RUNS`). */
  readonly propertyRuns?: number;
}

/** The store of the running test. */
export type CurrentStore = () => KycStore;

export const PROVIDER: ProviderId = 'fake';
export const OTHER_PROVIDER: ProviderId = 'other';

/** 2030-01-01T00:00:00Z: every time in the contract is an offset from it. */
const BASE_MS = Date.UTC(2030, 0, 1);

/** The ISO time `seconds` after the contract's base time. */
export function at(seconds: number): string {
  return new Date(BASE_MS + seconds * 1000).toISOString();
}

/** Milliseconds of a time a store handed back (it may spell it differently, e.g. `+00:00`). */
export function ms(iso: string | undefined): number {
  if (iso === undefined) throw new Error('expected a time, got none');
  return Date.parse(iso);
}

let refCounter = 0;

/** A ref no other test uses (stores may be shared between tests). */
export function freshRef(name = 'user'): UserRef {
  refCounter += 1;
  return userRef(`${PROVIDER}:${name}-${refCounter}-${Math.random().toString(36).slice(2, 8)}`);
}

export function state(status: KycStatus, providerStatus: string = status, attempt?: number): KycState {
  return {
    status,
    providerStatus,
    reasonCodes: status === 'denied' ? ['CONTRACT_DENIAL'] : [],
    ...(attempt === undefined ? {} : { attempt }),
    nextAction:
      status === 'action_required'
        ? { type: 'submit_verification', missing: ['document_data'] }
        : { type: 'await_provider' },
  };
}

/** An apply input: a `read` of `status` at `now` (seconds), with overrides. */
export function input(
  ref: UserRef,
  status: KycStatus,
  seconds: number,
  extra: Partial<Omit<ApplyStateInput, 'ref' | 'now'>> = {},
): ApplyStateInput {
  return { ref, provider: PROVIDER, state: state(status), source: 'read', now: at(seconds), ...extra };
}

/** A webhook-like ordered input: `status` stamped by the provider at `providerSeconds`. */
export function ordered(
  ref: UserRef,
  status: KycStatus,
  providerSeconds: number | undefined,
  extra: Partial<Omit<ApplyStateInput, 'ref' | 'now'>> & { readonly nowSeconds?: number } = {},
): ApplyStateInput {
  const { nowSeconds, ...rest } = extra;
  return {
    ref,
    provider: PROVIDER,
    state: state(status),
    source: 'webhook',
    ordered: true,
    ...(providerSeconds === undefined ? {} : { providerTime: at(providerSeconds) }),
    now: at(nowSeconds ?? 1000),
    ...rest,
  };
}

export function expectKind<K extends ApplyOutcome['kind']>(
  outcome: ApplyOutcome,
  kind: K,
): Extract<ApplyOutcome, { kind: K }> {
  expect(outcome.kind).toBe(kind);
  return outcome as Extract<ApplyOutcome, { kind: K }>;
}

export function appliedChange(outcome: ApplyOutcome): StateChange {
  return expectKind(outcome, 'applied').change;
}

/** Every change due at `seconds`, claimed with a long lease. */
export async function claimAll(
  store: KycStore,
  seconds: number,
  leaseMs = 60_000,
): Promise<ReadonlyArray<StateChange>> {
  return store.claimOutbox({ limit: 1000, leaseMs, now: at(seconds) });
}
