/**
 * The store port of `@kycport/tracker`: where the latest normalized state of each user, the webhook
 * keys already processed and the outbox of state changes live. Pure types (here so the shared store
 * contract in `@kycport/testing` needs only core): `createMemoryKycStore()` (`@kycport/tracker`) and
 * `@kycport/store-postgres` implement it, and one test suite (`describeKycStoreContract`) runs on both.
 *
 * Every method returns a Promise. A store that cannot answer (the database is down) rejects; the
 * tracker turns that into a typed `KycError` or an ingest result of `retry_later`, never a throw
 * to the host. Implementations must make each `apply` one atomic step (one transaction).
 */
import type { KycState, KycStatus } from './kyc-state';
import type { ProviderId } from './provider-id';
import type { UserRef } from './user-ref';

/**
 * Statuses a reconcile sweep leaves alone: verdicts and ended attempts. They change only through a
 * host call (retry, recorded by the tracker) or a provider's manual action (a webhook).
 */
export const FINAL_STATUSES: ReadonlyArray<KycStatus> = ['approved', 'denied', 'expired', 'canceled'];

/**
 * Whether a status is final (`FINAL_STATUSES`): a verdict or an ended attempt, left alone by
 * reconcile sweeps.
 */
export function isFinalStatus(status: KycStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Where a state came from. */
export type StateSource =
  /** A port call's result (createUser, retry, submitVerification). */
  | 'call'
  /** A webhook whose payload carried the state. */
  | 'webhook'
  /** A provider read (getStatus), e.g. after a webhook that carried only ids. */
  | 'read'
  /** A reconcile sweep's read. */
  | 'reconcile';

/** The latest state of one user, as the store keeps it. No personal data: only the normalized state. */
export interface TrackedState {
  /** The provider-qualified ref (`plu:acme-user-42`). */
  readonly ref: UserRef;
  /** The provider the user belongs to. */
  readonly provider: ProviderId;
  readonly state: KycState;
  /** When the provider says this state came about (ISO 8601), where its payload tells. */
  readonly providerTime?: string;
  /** 1 for the first state recorded; +1 per applied change. Guards updates (compare and set). */
  readonly version: number;
  /** When the state last changed in the store (ISO 8601). */
  readonly changedAt: string;
  /** When the provider last confirmed the state (ISO 8601): a change, or a read that found it unchanged. */
  readonly checkedAt: string;
}

/** One applied change, as the outbox hands it to the host's `onStateChange`. */
export interface StateChange {
  /** Unique per applied change and stable across outbox retries: the host's idempotency key. */
  readonly changeId: string;
  /** The user's provider-qualified ref. */
  readonly ref: UserRef;
  /** The provider the user belongs to. */
  readonly provider: ProviderId;
  /** The status before (absent for the first state recorded). */
  readonly previousStatus?: KycState['status'];
  /** The new state. */
  readonly state: KycState;
  /** The stored state's version after this change. */
  readonly version: number;
  /** Where the new state came from. */
  readonly source: StateSource;
  /** When the change was applied in the store (ISO 8601). */
  readonly changedAt: string;
  /** Delivery attempts of this change to `onStateChange` so far (0 before the first). */
  readonly attempts: number;
}

/**
 * What a `KycStore.apply` step takes: a user's state, where it came from, and the guards (dedupe
 * key, expected version, ordering) the store checks atomically.
 */
export interface ApplyStateInput {
  /** The user's provider-qualified ref. */
  readonly ref: UserRef;
  /** The provider the user belongs to. */
  readonly provider: ProviderId;
  /** The state to record. */
  readonly state: KycState;
  /** Where the state came from. */
  readonly source: StateSource;
  /**
   * When the provider says this state came about (ISO 8601), where its payload tells; orders
   * `ordered` inputs.
   */
  readonly providerTime?: string;
  /**
   * Apply only if the stored version is still this one (0: no state stored yet). Set for provider
   * reads, so a read that began before a newer webhook was applied cannot overwrite it.
   */
  readonly expectedVersion?: number;
  /**
   * A webhook's dedupe key: recorded in the same atomic step; if it was already recorded the
   * outcome is `duplicate` and nothing else changes.
   */
  readonly dedupeKey?: string;
  /** `true` when the state carries its own order (`providerTime`): a stale one is refused. */
  readonly ordered?: boolean;
  /** The store's clock (ISO 8601) for `changedAt` / `checkedAt`. */
  readonly now: string;
}

/**
 * What `KycStore.apply` did: applied (with the outbox entry), unchanged, stale, duplicate or
 * conflict.
 */
export type ApplyOutcome =
  /** The state changed; the change was put in the outbox in the same step. */
  | { readonly kind: 'applied'; readonly change: StateChange }
  /** Same status and provider status as stored: only `checkedAt` moved; no outbox entry. */
  | { readonly kind: 'unchanged'; readonly current: TrackedState }
  /** An ordered state older than the stored one: kept out (the caller may log it), nothing applied. */
  | { readonly kind: 'stale'; readonly current: TrackedState }
  /** The dedupe key was already processed. */
  | { readonly kind: 'duplicate' }
  /** `expectedVersion` no longer matches: the caller reads again. */
  | { readonly kind: 'conflict'; readonly current?: TrackedState };

/**
 * What `KycStore.claimOutbox` takes: how many due changes to lease, for how long, and the store's
 * clock.
 */
export interface OutboxClaim {
  /** Most changes to hand out. */
  readonly limit: number;
  /** How long the claim holds: another instance may claim the change after this. */
  readonly leaseMs: number;
  /** The store's clock (ISO 8601): changes due at or before it are handed out. */
  readonly now: string;
}

/**
 * What `KycStore.claimStaleUsers` takes: which users count as stale, how many to lease, and for how
 * long.
 */
export interface StaleUsersClaim {
  /** Users whose state has not changed for this long and whose status is not final (`isFinalStatus`). */
  readonly olderThanMs: number;
  /** Most users to hand out. */
  readonly limit: number;
  /** A sweep's lease: two instances never sweep the same users while it holds. */
  readonly leaseMs: number;
  /** The store's clock (ISO 8601). */
  readonly now: string;
  /** Only this provider's users, when set. */
  readonly provider?: ProviderId;
}

/**
 * The tracker's store port: each user's latest state, the processed webhook keys and the outbox of
 * changes. Implemented by `createMemoryKycStore` (`@kycport/tracker`) and `createPostgresKycStore`
 * (`@kycport/store-postgres`); every method returns a Promise and rejects only when the store
 * cannot answer.
 */
export interface KycStore {
  /** The user's stored state, or `undefined` when none is recorded. */
  get(ref: UserRef): Promise<TrackedState | undefined>;
  /** One atomic step: dedupe key, ordering / version guard, the state, and its outbox entry. */
  apply(input: ApplyStateInput): Promise<ApplyOutcome>;
  /** Records a processed webhook key with no state change (an event the tracker answered without applying). */
  markProcessed(dedupeKey: string, now: string): Promise<'new' | 'duplicate'>;
  /** Claims due outbox changes (several instances share the outbox: each change to one at a time). */
  claimOutbox(claim: OutboxClaim): Promise<ReadonlyArray<StateChange>>;
  /** The host handled the change: it leaves the outbox. */
  completeOutbox(changeId: string): Promise<void>;
  /** The host's handler failed: the change is due again at `retryAt` (ISO 8601). */
  failOutbox(changeId: string, retryAt: string): Promise<void>;
  /** Claims users to re-read (not final, unchanged for `olderThanMs`), leased for `leaseMs`. */
  claimStaleUsers(claim: StaleUsersClaim): Promise<ReadonlyArray<TrackedState>>;
  /** Releases what the store holds (a pool it created); absent when there is nothing to release. */
  close?(): Promise<void>;
}
